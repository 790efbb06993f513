"""Reading a PDF's tagging as a screen reader does, for the tests of every PDF Coachloop makes."""

import io

from pypdf import PdfReader


def tagging_of(body):
    """What a screen reader relies on in a PDF: its structure tree, its marking, its language
    and its title."""
    reader = PdfReader(io.BytesIO(body))
    catalog = reader.trailer["/Root"]
    return {
        "structure": "/StructTreeRoot" in catalog,
        "marked": bool(catalog.get("/MarkInfo", {}).get("/Marked")),
        "language": str(catalog.get("/Lang", "")),
        "title": reader.metadata.title if reader.metadata else None,
        "title_shown": bool(catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
    }
