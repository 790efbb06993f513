"""What apps offer on each other's pages (a link, a section), without the page's app naming
the app that offers it.

A page with room for such offers names its *place* (by convention its route name,
``"coaching:teacher_home"``), asks ``offers(place, viewer)`` and includes each offer's
template. Each app with something to offer there says so through ``contribute`` (from its
``AppConfig.ready``), with a provider: a function of the viewer returning its ``Offer``s,
none when it has nothing for them. So this module knows no app, a lower app never names a
higher one, and a page costs what its providers cost (each says how many queries it runs).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Offer:
    """One thing offered on a page: the offering app's own template (a file or one of its
    partials, ``"programmes/offered.html#teacher-home"``), which words and links it as any
    template does, and what that template needs beyond the page's own context, which it is
    included in (``offer.context`` in it)."""

    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[[object], list[Offer]]

_PROVIDERS: dict[str, list[Provider]] = defaultdict(list)


def contribute(place, provider):
    """Offer what ``provider`` gives on ``place``; once however often an app's ``ready`` runs."""
    if provider not in _PROVIDERS[place]:
        _PROVIDERS[place].append(provider)


def offers(place, viewer) -> list[Offer]:
    """Everything offered on ``place`` to ``viewer``, in the order the apps offered it."""
    return [offer for provider in _PROVIDERS[place] for offer in provider(viewer)]
