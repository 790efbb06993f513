"""A text is looked up in the merged catalog and the catalogs that hold something, never in
the empty ``en`` catalogs Python's gettext chains behind British English."""

from django.utils import translation
from django.utils.translation import trans_real

from coachloop.site.translations import drop_empty_fallbacks


def _fallbacks(language):
    chain, fallback = [], trans_real.translation(language)._fallback
    while fallback is not None:
        chain.append(fallback)
        fallback = fallback._fallback
    return chain


def test_british_english_has_no_empty_catalog_to_walk_through():
    assert all(set(f._catalog) - {""} for f in _fallbacks("en-gb"))


def test_pruning_keeps_every_answer():
    texts = ["Who can see your coaching", "This field is required.", "Password", "email address"]
    trans_real._translations.pop("en-gb", None)  # built afresh, with the whole chain
    with translation.override("en-gb"):
        before = [translation.gettext(t) for t in texts]
        plural = translation.ngettext("%(n)s day", "%(n)s days", 2)
        assert _fallbacks("en-gb"), "Django chains the empty catalogs when first building"
        drop_empty_fallbacks(trans_real.translation("en-gb"))

        assert [translation.gettext(t) for t in texts] == before
        assert translation.ngettext("%(n)s day", "%(n)s days", 2) == plural
