"""What the programme services share: the clock, locking a submission, and refusals."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.programmes.models import Submission


def now_or(now):
    return now or timezone.now()


def refuse_if_ended(enrolment, field, message=None):
    """Refuse what would add to a place on the programme that has ended."""
    if enrolment.finished_on is not None:
        refuse(field, message or _("This teacher's place on the programme has ended."))


def locked_submission(submission):
    """The submission's row, held for the rest of the transaction, as it stands now."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__module__programme", "enrolment")
        .get(pk=submission.pk)
    )


def check(rule, viewer, obj):
    if not rules.test_rule(rule, viewer, obj):
        raise PermissionDenied


def refuse(field, message):
    raise ValidationError({field: message})


def whole_mark(value, field, message):
    """A mark is a whole number from 0 to 100; anything else is refused with ``message``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        refuse(field, message)
    return value
