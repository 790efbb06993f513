"""The demo teacher can take their record away, and it comes back in whole elsewhere."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from coachloop.coaching.models import DropIn, Relationship
from coachloop.coaching.portability.format import all_parts
from coachloop.coaching.services.portability import teacher_record_import
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.demo.build import build_demo
from coachloop.people.models import Trust
from tests.coaching.portability_fixtures import items_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 11, 20)


def test_the_demo_teacher_exports_their_record_and_it_imports_into_another_trust(
    media,
):
    trust = build_demo(today=TODAY)
    out = io.StringIO()
    call_command("export_teacher", "teacher@riverside.example.org", stdout=out)
    document = json.loads(out.getvalue())
    with trust_scope(trust):
        recorded = DropIn.objects.filter(
            relationship__teacher__email="teacher@riverside.example.org", is_draft=False
        ).count()
    assert document["teacher"]["email"] == "teacher@riverside.example.org"
    assert document["relationships"] and document["relationships"][0]["action_steps"]
    assert sum(len(r["dropins"]) for r in document["relationships"]) == recorded > 0

    with scopes_disabled():
        elsewhere = Trust.objects.create(name="Elsewhere Trust", slug="elsewhere")
    result = teacher_record_import(trust=elsewhere, raw=out.getvalue())
    for part in all_parts():
        items = [item for item, _parents in items_of(document, part)]
        assert result.counts[part.key] == len(items), part.key
    assert result.counts["dropins"] == recorded
    with trust_scope(elsewhere):
        places = set(Relationship.objects.values_list("imported_from", flat=True))
    assert all(place.endswith(", Riverside Learning Trust") for place in places)
