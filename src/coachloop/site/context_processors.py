from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from coachloop.people.models import Role

SITE_ROUTES = ("home", "logout", "privacy", "accessibility", "account")


def navigation(request):
    """The links between apps on every page: in the header one per home the signed-in person
    has, and which is open, and for a person in more than one trust the trust they are working
    in and a link to switch; in the footer the person's own coaching time, calendar and
    emails, for the roles they concern (``_footer_links``). And the site's own routes by name
    (``site_urls.privacy``, ``site_urls.account``: the person's own account), for the base
    template, the error pages and any app's page to link to without naming the site's
    routes."""
    viewer = getattr(request, "viewer", None)
    path = request.path
    nav = [
        (label, url, path == url or (url != "/" and path.startswith(url)))
        for label, url in _header_links(viewer)
    ]
    return {
        "site_urls": {name: reverse(name) for name in SITE_ROUTES},
        "nav_links": nav,
        "footer_links": _footer_links(viewer),
        "trust_switch": _trust_switch(viewer, path),
        "viewer": viewer,
        "read_after_end_days": settings.COACHLOOP_READ_AFTER_END_DAYS,
    }


def _header_links(viewer):
    if viewer is None:
        return []
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


def _trust_switch(viewer, path):
    """The trust the person is working in and where to switch, when they have another."""
    if viewer is None or not viewer.works_in_several_trusts:
        return None
    url = reverse("trust_choose")
    return {"trust": viewer.trust, "url": url, "current": path == url}


# Who each footer link is for: the pages about one's own coaching time and calendar are for
# people in coaching (a coach's protected time and drop-ins due, a teacher's practice planned,
# twilight sessions, which a coaching lead runs); the emails are the coach's reminders and the
# weekly digest for coaches and coaching leads. Heads, trust leads, university staff and
# administrators have none of these, so they see only the pages about Coachloop.
IN_COACHING = frozenset({Role.COACH, Role.TEACHER, Role.COACHING_LEAD})
SENT_EMAILS = frozenset({Role.COACH, Role.COACHING_LEAD})


def _footer_links(viewer):
    if viewer is None:
        return []
    roles = viewer.roles()
    links = []
    if roles & IN_COACHING:
        links.append((_("Your coaching time and sessions"), reverse("rollout:time_mine")))
        links.append((_("Your calendar"), reverse("rollout:time_calendar")))
    if roles & SENT_EMAILS:
        links.append((_("Emails"), reverse("rollout:emails")))
    return links
