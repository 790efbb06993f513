"""Portability: everyone signed in may download their own record (there is no way to name
anyone else's); only a trust's administrator may bring a record in from elsewhere."""

from tests.access.codes import MEMBERS, page_route

OWN_RECORD = page_route(dict.fromkeys(MEMBERS, 200))

ROWS = {
    "coaching:portability_download": ("get", None, OWN_RECORD),
    "coaching:portability_json": ("get", None, OWN_RECORD),
    # Asks for the PDF, made by the task worker: everyone goes straight to its page.
    "coaching:portability_pdf": ("post", None, page_route(dict.fromkeys(MEMBERS, 302))),
    "coaching:portability_import": ("get", None, page_route({"administrator": 200})),
}
