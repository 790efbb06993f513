"""A module's reading list: the programme's lead or a tutor adds a reading, and a teacher's
coach (or their tutor) prepares a question to talk it through with the teacher."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import DiscussionPrompt, ProgrammeStaff, Reading
from coachloop.programmes.rules import holds
from coachloop.programmes.services.common import check, now_or, refuse

TITLE_LIMIT = 300
CITATION_LIMIT = 500
URL_LIMIT = 500
PROMPT_LIMIT = 2000
LONGEST_MODULE_WEEKS = 52


def may_add_reading(viewer, module):
    """The programme's lead or one of its tutors."""
    return any(
        holds(viewer, module.programme_id, role)
        for role in (ProgrammeStaff.Role.LEAD, ProgrammeStaff.Role.TUTOR)
    )


@transaction.atomic
def reading_add(*, viewer, module, title, citation="", url="", week=None):
    """Adds a reading to the module's list: its title, who wrote it (a reference), an optional
    link and the week of the module it belongs to."""
    if not may_add_reading(viewer, module):
        raise PermissionDenied
    title, citation, url = title.strip(), citation.strip(), url.strip()
    if not title:
        refuse("title", _("Give the reading a title."))
    if len(title) > TITLE_LIMIT:
        refuse("title", _("Keep the title to %(limit)s characters.") % {"limit": TITLE_LIMIT})
    if len(citation) > CITATION_LIMIT:
        refuse(
            "citation",
            _("Keep the reference to %(limit)s characters.") % {"limit": CITATION_LIMIT},
        )
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError:
            refuse("url", _("Enter a link that starts with https:// or http://."))
        if len(url) > URL_LIMIT:
            refuse("url", _("Keep the link to %(limit)s characters.") % {"limit": URL_LIMIT})
    if week is not None and not 1 <= week <= LONGEST_MODULE_WEEKS:
        refuse(
            "week",
            _("Enter a week from 1 to %(weeks)s.") % {"weeks": LONGEST_MODULE_WEEKS},
        )
    reading = Reading.objects.create(
        trust_id=module.trust_id, module=module, title=title, citation=citation, url=url, week=week
    )
    audit_record(actor=viewer.user, verb="reading.added", target=reading)
    return reading


@transaction.atomic
def prompt_add(*, viewer, reading, enrolment, text, now=None):
    """The teacher's coach or tutor prepares a question to discuss ``reading`` with them."""
    check("programmes.give_feedback", viewer, enrolment)
    programme_id = reading.module.programme_id
    if enrolment.cohort.programme_id != programme_id:
        refuse("enrolment", _("This teacher is not on the programme this reading belongs to."))
    if enrolment.finished_on is not None:
        refuse("enrolment", _("This teacher's place on the programme has ended."))
    text = text.strip()
    if not text:
        refuse("text", _("Write the question you would like to talk through."))
    if len(text) > PROMPT_LIMIT:
        refuse("text", _("Keep the prompt to %(limit)s characters.") % {"limit": PROMPT_LIMIT})
    prompt = DiscussionPrompt.objects.create(
        trust_id=reading.trust_id,
        reading=reading,
        enrolment=enrolment,
        text=text,
        written_by=viewer.user,
        written_at=now_or(now),
    )
    audit_record(
        actor=viewer.user, verb="discussion_prompt.added", target=prompt, subject=enrolment.teacher
    )
    return prompt
