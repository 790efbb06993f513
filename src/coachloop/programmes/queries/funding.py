"""Funding: each enrolment's fee and its split between the school and the university, added up
per programme and per school.

The programme lead sees exact figures for their programme. A headteacher sees their own
school's totals as aggregates: when fewer than five of their staff are enrolled, the count and
the money (which would give the count away) are both withheld.
"""

from dataclasses import dataclass
from decimal import Decimal

import rules
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.http import Http404

from coachloop.common import disclosure
from coachloop.people.models import Role
from coachloop.programmes.models import Enrolment, Programme

HUNDRED = Decimal(100)
PENNY = Decimal("0.01")


@dataclass
class FundingRow:
    label: str  # the programme's title, or the school's name
    enrolments: int
    total: Decimal
    to_schools: Decimal

    @property
    def to_university(self):
        return self.total - self.to_schools


@dataclass
class SchoolFunding:
    programme: str
    enrolments: disclosure.Figure
    total: Decimal | None  # None when withheld
    to_school: Decimal | None


def _totals(enrolments, group_by):
    school_part = ExpressionWrapper(
        F("fee") * F("school_share_percent"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    return (
        enrolments.values(*group_by)
        .annotate(n=Count("pk"), total=Sum("fee"), school=Sum(school_part))
        .order_by(*group_by)
    )


def _money(value):
    return (Decimal(value or 0)).quantize(PENNY)


def programme_funding(viewer, programme_id):
    """The programme's funding in all, and school by school: for its programme lead only."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not rules.test_rule("programmes.lead", viewer, programme):
        raise Http404
    enrolments = Enrolment.objects.filter(cohort__programme=programme)
    rows = [
        FundingRow(
            label=row["school__name"],
            enrolments=row["n"],
            total=_money(row["total"]),
            to_schools=_money(Decimal(row["school"] or 0) / HUNDRED),
        )
        for row in _totals(enrolments, ["school__name", "school_id"])
    ]
    whole = FundingRow(
        label=programme.title,
        enrolments=sum(r.enrolments for r in rows),
        total=sum((r.total for r in rows), Decimal("0.00")),
        to_schools=sum((r.to_schools for r in rows), Decimal("0.00")),
    )
    return whole, rows


def school_funding(viewer, school):
    """Each programme's enrolments and funding at one school, for its headteacher or the
    trust lead."""
    is_head = school.pk in viewer.school_ids_with(Role.HEADTEACHER)
    if not (is_head or (viewer.is_trust_lead and school.trust_id == viewer.trust.pk)):
        raise Http404
    found = []
    for row in _totals(
        Enrolment.objects.filter(school=school),
        ["cohort__programme__title", "cohort__programme_id"],
    ):
        small = disclosure.is_small(row["n"])
        found.append(
            SchoolFunding(
                programme=row["cohort__programme__title"],
                enrolments=disclosure.count(row["n"]),
                total=None if small else _money(row["total"]),
                to_school=None if small else _money(Decimal(row["school"] or 0) / HUNDRED),
            )
        )
    return found
