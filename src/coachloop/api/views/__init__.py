"""The API's pages for people signed in to the site: their own tokens, and the trust's
integrations for its administrators. They live outside ``/api/``, whose answers are JSON."""
