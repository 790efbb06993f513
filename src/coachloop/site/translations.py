"""Each translation looked up once, not seven times.

For British English, Python's gettext gives each app that ships both an ``en_GB`` and an
``en`` catalog (Django's own apps among them) the ``en`` one as a fallback, and Django chains
every such fallback behind the merged catalog. Those ``en`` catalogs hold nothing but their
header, yet a text with no British English entry (nearly all of Coachloop's own, written in
British English already) walks the whole chain: six empty catalogs, about 30 microseconds,
on each of the 30 to 200 texts of every page. The chain is dropped when it holds nothing, so
a lookup that missed before misses at once, with the same answer (the text itself).
"""

from django.conf import settings
from django.utils.translation import trans_real


def drop_empty_fallbacks(translation):
    """Unlink the fallback catalogs of ``translation`` that hold no text (only a header)."""
    kept = []
    fallback = translation._fallback
    while fallback is not None:
        if any(key != "" for key in getattr(fallback, "_catalog", {"x": 1})):
            kept.append(fallback)
        fallback = fallback._fallback
    for earlier, later in zip(kept, [*kept[1:], None], strict=False):
        earlier._fallback = later
    translation._fallback = kept[0] if kept else None


def load_without_empty_fallbacks():
    """Build each of the site's languages now, pruned (Django keeps them per process)."""
    if settings.USE_I18N:
        for code, _name in settings.LANGUAGES:
            drop_empty_fallbacks(trans_real.translation(code))
