"""A person's data: everyone signed in may download their own (there is no way to name anyone
else's); only a trust's administrator may download a named person's, erase them, or read an
erasure's report, for anyone with a role in any school of the trust; another trust's person,
or report, is a 404 to them (and a 403 to everyone else, who may not do it at all)."""

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.erasures import Erasure
from tests.access.codes import MEMBERS, only, page_route


def _administrators(code=200):
    return {
        "own": only({"administrator": code}, others=403),
        "other_school": only({"administrator": code}, others=403),
        "other_trust": only({"administrator": 404}, others=403),
    }


def _person(records):
    return {"person_id": records.teacher.pk}


def _erasure(records):
    with scopes_disabled():
        made = Erasure.objects.create(
            trust=records.school.trust,
            person=records.teacher,
            reason="Asked for erasure by email.",
            counts=[["Coaching", "Drop-ins", 1]],
        )
    return {"erasure_id": made.pk}


OWN_DATA = page_route(dict.fromkeys(MEMBERS, 200))

ROWS = {
    "my_data": ("get", None, OWN_DATA),
    "my_data_download": ("get", None, OWN_DATA),
    "person_data": ("get", _person, _administrators()),
    "person_data_download": ("get", _person, _administrators()),
    "person_erase": ("get", _person, _administrators()),
    "erasure_report": ("get", _erasure, _administrators()),
    "erasure_report_csv": ("get", _erasure, _administrators()),
    "erasure_report_xlsx": ("get", _erasure, _administrators()),
}

# Posting the erase form: the administrator's form (without its confirmation) comes back
# with its errors and erases nobody; another trust's person is a 404, anyone else a 403.
VARIANTS = {
    "person_erase#post": ("post", _person, _administrators()),
}
