"""A module portfolio, read by the teacher who made it or by their tutor (each read of it by
the tutor is in the teacher's audit trail). Nothing else of the teacher's is the tutor's to read."""

from dataclasses import dataclass

from django.http import Http404

from coachloop.common.audit import audit_read
from coachloop.programmes.models import Enrolment, Module, PortfolioItem


@dataclass
class Portfolio:
    enrolment: Enrolment
    module: Module
    items: list  # PortfolioItem, each with its evidence, reflection or submission version


def portfolio_for(viewer, *, enrolment_id, module_id):
    enrolment = (
        Enrolment.objects.select_related("teacher", "cohort").filter(pk=enrolment_id).first()
    )
    if enrolment is None or viewer.pk not in (enrolment.teacher_id, enrolment.tutor_id):
        raise Http404
    module = Module.objects.filter(pk=module_id, programme_id=enrolment.cohort.programme_id).first()
    if module is None:
        raise Http404
    items = list(
        PortfolioItem.objects.filter(enrolment=enrolment, module=module).select_related(
            "evidence", "reflection", "submission_version__submission__assignment"
        )
    )
    if viewer.pk == enrolment.tutor_id:
        audit_read(
            viewer=viewer.user,
            target=enrolment,
            subject=enrolment.teacher,
            summary=f"portfolio for {module.code} ({len(items)} items)",
        )
    return Portfolio(enrolment=enrolment, module=module, items=items)
