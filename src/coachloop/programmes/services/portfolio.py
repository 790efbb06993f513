"""A module portfolio: the teacher chooses which of their own evidence, reflections and
submitted work their tutor may read for a module. Taking an item out ends the tutor's access
to it at once."""

import re

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coachloop.coaching.models import EvidenceItem, Reflection
from coachloop.common.audit import audit_record
from coachloop.common.downloads import download_prepare
from coachloop.programmes.models import Enrolment, PortfolioItem, SubmissionVersion
from coachloop.programmes.portfolio_pdf import PORTFOLIO_PDF
from coachloop.programmes.services.common import now_or, refuse, refuse_if_ended

FIELDS = {
    EvidenceItem: "evidence",
    Reflection: "reflection",
    SubmissionVersion: "submission_version",
}


def _owner_id(item):
    if isinstance(item, SubmissionVersion):
        return item.submission.enrolment.teacher_id
    return item.teacher_id


@transaction.atomic
def portfolio_item_add(*, viewer, enrolment, module, item, now=None):
    """Put one of the teacher's own items in their portfolio for ``module``."""
    if enrolment.teacher_id != viewer.pk or _owner_id(item) != viewer.pk:
        refuse("item", _("Only your own work can go in your portfolio."))
    if module.programme_id != enrolment.cohort.programme_id:
        refuse("module", _("This module is not part of your programme."))
    refuse_if_ended(enrolment, "item", _("Your place on this programme has ended."))
    field = FIELDS[type(item)]
    # One addition at a time per portfolio, so the same item cannot go in twice.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    if isinstance(item, SubmissionVersion) and item.submission.enrolment_id != enrolment.pk:
        refuse("item", _("This work was submitted for another programme."))
    if PortfolioItem.objects.filter(enrolment=enrolment, module=module, **{field: item}).exists():
        refuse("item", _("This is in the portfolio already."))
    last = PortfolioItem.objects.filter(enrolment=enrolment, module=module).aggregate(
        last=Max("position")
    )["last"]
    entry = PortfolioItem.objects.create(
        trust_id=enrolment.trust_id,
        enrolment=enrolment,
        module=module,
        added_at=now_or(now),
        position=0 if last is None else last + 1,
        **{field: item},
    )
    audit_record(
        actor=viewer.user,
        verb="portfolio.item_added",
        target=entry,
        subject=viewer.user,
        summary=f"{field} {item.pk} for {module.code}",
    )
    return entry


@transaction.atomic
def portfolio_item_remove(*, viewer, entry):
    entry = PortfolioItem.objects.select_for_update().select_related("enrolment").get(pk=entry.pk)
    if entry.enrolment.teacher_id != viewer.pk:
        refuse("item", _("Only the teacher changes their portfolio."))
    audit_record(
        actor=viewer.user, verb="portfolio.item_removed", target=entry, subject=viewer.user
    )
    entry.delete()


def portfolio_pdf_prepare(*, viewer, portfolio, back=("", "")):
    """Ask for a portfolio the viewer may read (``queries.portfolio.portfolio_for``) as a PDF,
    made by the task worker; the download to send them to (its audit event is the download's
    own)."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", portfolio.module.code)
    return download_prepare(
        owner=viewer.user,
        trust=viewer.trust,
        kind=PORTFOLIO_PDF,
        title=_("Portfolio for %(module)s: %(name)s")
        % {"module": portfolio.module, "name": portfolio.enrolment.teacher.full_name},
        file_name=f"portfolio-{code}.pdf",
        content_type="application/pdf",
        arguments={"enrolment_id": portfolio.enrolment.pk, "module_id": portfolio.module.pk},
        back=back,
    )
