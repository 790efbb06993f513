from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coachloop.people.models import Role
from coachloop.people.viewer import Viewer

SITE_ROUTES = ("home", "logout", "privacy", "accessibility", "account")


def navigation(request):
    """The links between apps on every page: in the header one per home the signed-in person
    has, and which is open, and for a person in more than one trust the trust they are working
    in and a link to switch; in the footer the person's own coaching time, calendar and
    emails, for the roles they concern (``_footer_links``). And the site's own routes by name
    (``site_urls.privacy``, ``site_urls.account``: the person's own account), for the base
    template, the error pages and any app's page to link to without naming the site's
    routes.

    The links depend only on the person's roles and schools and the language, so they are
    made once for each of these (``_links``), not on every page."""
    viewer = getattr(request, "viewer", None)
    path = request.path
    language, prefix = get_language(), get_script_prefix()
    header, footer = _links(_roles_and_schools(viewer), language, prefix)
    nav = [
        (label, url, path == url or (url != "/" and path.startswith(url))) for label, url in header
    ]
    return {
        "site_urls": _site_urls(language, prefix),
        "nav_links": nav,
        "footer_links": footer,
        "trust_switch": _trust_switch(viewer, path, language, prefix),
        "viewer": viewer,
        "read_after_end_days": settings.COACHLOOP_READ_AFTER_END_DAYS,
    }


@lru_cache(maxsize=8)
def _site_urls(language, prefix):
    return MappingProxyType({name: reverse(name) for name in SITE_ROUTES})


def _roles_and_schools(viewer):
    """All the links depend on: each role with its school's id, name and address."""
    if viewer is None:
        return None
    return tuple(
        (
            m.role,
            m.school_id,
            m.school.name if m.school_id else "",
            m.school.slug if m.school_id else "",
        )
        for m in viewer.memberships
    )


@lru_cache(maxsize=1024)
def _links(roles_and_schools, language, prefix):
    """The header and footer links for a person with these roles in these schools, in
    ``language`` (the one active: the arguments are the cache's key)."""
    if roles_and_schools is None:
        return (), ()
    viewer = Viewer(
        user=None,
        trust=None,
        memberships=tuple(
            _Held(role, school_id, _School(name, slug))
            for role, school_id, name, slug in roles_and_schools
        ),
    )
    return tuple(_header_links(viewer)), tuple(_footer_links(viewer))


class _School(NamedTuple):
    name: str
    slug: str


class _Held(NamedTuple):
    """A role as the links need it: no person, no trust, no database."""

    role: str
    school_id: int | None
    school: _School


def _header_links(viewer):
    links = []
    roles = viewer.roles()
    if Role.COACH in roles:
        links.append((_("My teachers"), reverse("coaching:coach_home")))
    if Role.TEACHER in roles:
        links.append((_("My development"), reverse("coaching:teacher_home")))
    for school in viewer.schools_with(Role.COACHING_LEAD):
        links.append(
            (
                _("Coaching at %(school)s") % {"school": school.name},
                reverse("coaching:lead_home", args=[school.slug]),
            )
        )
    if viewer.is_trust_lead:
        links.append((_("Insights"), reverse("insights:trust")))
    else:
        for school in viewer.schools_with(Role.HEADTEACHER):
            links.append((_("Insights"), reverse("insights:school", args=[school.slug])))
    if Role.PARTNER_STAFF in roles:
        links.append((_("Programmes"), reverse("programmes:home")))
    links.append((_("Framework"), reverse("frameworks:library")))
    if viewer.is_administrator:
        links.append((_("Administration"), reverse("admin:index")))
        links.append((_("Imports"), reverse("rosters:home")))
    return links


def _trust_switch(viewer, path, language, prefix):
    """The trust the person is working in and where to switch, when they have another."""
    if viewer is None or not viewer.works_in_several_trusts:
        return None
    url = _choose_url(language, prefix)
    return {"trust": viewer.trust, "url": url, "current": path == url}


@lru_cache(maxsize=8)
def _choose_url(language, prefix):
    return reverse("trust_choose")


# Who each footer link is for: the pages about one's own coaching time and calendar are for
# people in coaching (a coach's protected time and drop-ins due, a teacher's practice planned,
# twilight sessions, which a coaching lead runs); the emails are the coach's reminders and the
# weekly digest for coaches and coaching leads. Heads, trust leads, university staff and
# administrators have none of these, so they see only the pages about Coachloop.
IN_COACHING = frozenset({Role.COACH, Role.TEACHER, Role.COACHING_LEAD})
SENT_EMAILS = frozenset({Role.COACH, Role.COACHING_LEAD})


def _footer_links(viewer):
    roles = viewer.roles()
    links = []
    if roles & IN_COACHING:
        links.append((_("Your coaching time and sessions"), reverse("rollout:time_mine")))
        links.append((_("Your calendar"), reverse("rollout:time_calendar")))
    if roles & SENT_EMAILS:
        links.append((_("Emails"), reverse("rollout:emails")))
    return links


@receiver(setting_changed)
def _forget_links(**kwargs):
    """A test that changes the routes or languages finds the links made afresh."""
    for made in (_site_urls, _links, _choose_url):
        made.cache_clear()
