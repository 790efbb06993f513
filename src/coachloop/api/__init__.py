"""The REST API: tokens, integrations, resources over the pages' own queries, webhooks."""
