"""Evidence on a teacher's goals and action steps: files, links and pupil voice.

The teacher adds evidence to their own goals and steps, and may remove it. A file is checked by
its content (``common.uploads``) before anything is written; a refused file leaves no row and
no file behind. The stored file has a random name; the teacher's cleaned name is kept for
showing and downloading only.
"""

from urllib.parse import urlsplit

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, EvidenceItem, Goal
from coachloop.coaching.services.learning import locked_goal, tidy_text
from coachloop.coaching.services.sharing import shares_end_with
from coachloop.common.audit import audit_record
from coachloop.common.uploads import check_upload

Kind = EvidenceItem.Kind
ADD = "coaching.add_evidence"


def _target(viewer, goal, action_step):
    """The goal or step the evidence is for, as stored now, if it is the viewer's own."""
    if (goal is None) == (action_step is None):
        raise ValueError("Evidence is for one goal or one action step.")
    if goal is not None:
        return locked_goal(viewer, goal, rule=ADD)
    stored = (
        ActionStep.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .filter(pk=action_step.pk)
        .first()
    )
    if stored is None or not rules.test_rule(ADD, viewer, stored):
        raise PermissionDenied
    return stored


def _link_problem(url):
    """Why ``url`` cannot be kept as a link, or ``None``: a full https address only."""
    if not url:
        return _("Enter the link, starting https://")
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        if urlsplit(url).scheme.lower() not in ("", "https"):
            return _("Only secure links can be added: the link must start https://")
        return _("Enter a full link, for example https://video.example.org/lesson-12")
    parts = urlsplit(url)
    if parts.username or parts.password:
        return _("Remove the name and password from the link before adding it.")
    return None


def _saved(item, *, viewer, verb):
    item.save()
    audit_record(actor=viewer.user, verb=verb, target=item, subject=item.teacher)
    return item


@transaction.atomic
def evidence_add(
    *, viewer, kind, title="", note="", url="", upload=None, goal=None, action_step=None
):
    """Add a file, a link or a pupil-voice note to one of the teacher's goals or steps.

    A file is checked by content and size first; its row and its stored file are written
    together or not at all.
    """
    target = _target(viewer, goal, action_step)
    errors = {}
    title = tidy_text(errors, "title", title, limit=200)
    note = tidy_text(
        errors,
        "note",
        note,
        limit=4000,
        missing=_("Write what pupils said or did.") if kind == Kind.PUPIL_VOICE else None,
    )
    item = EvidenceItem(
        trust_id=target.trust_id,
        teacher=viewer.user,
        goal=target if isinstance(target, Goal) else None,
        action_step=target if isinstance(target, ActionStep) else None,
        kind=kind,
        note=note,
        added_by=viewer.user,
        added_on=timezone.localdate(),
    )
    if kind == Kind.FILE:
        checked = None
        try:
            checked = check_upload(upload)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        item.title = title or checked.original_name
        item.original_name = checked.original_name
        item.content_type = checked.content_type
        item.size = checked.size
        item.file_suffix = checked.suffix
        upload.seek(0)
        item.file.save(checked.original_name, upload, save=False)
        try:
            return _saved(item, viewer=viewer, verb="evidence.file_added")
        except BaseException:
            item.file.storage.delete(item.file.name)
            raise
    if kind == Kind.LINK:
        url = (url or "").strip()
        problem = _link_problem(url) or (len(url) > 500 and _("Keep the link to 500 characters."))
        if problem:
            errors["url"] = problem
        if not title:
            errors["title"] = _("Say what the link is, for example “Lesson video, 12 March”.")
        if errors:
            raise ValidationError(errors)
        item.title, item.url = title, url
        return _saved(item, viewer=viewer, verb="evidence.link_added")
    if kind == Kind.PUPIL_VOICE:
        if not title:
            errors["title"] = _("Give it a short title, for example “Exit tickets, 9X2”.")
        if errors:
            raise ValidationError(errors)
        item.title = title
        return _saved(item, viewer=viewer, verb="evidence.pupil_voice_added")
    raise ValueError(f"Unknown kind of evidence: {kind!r}")


@transaction.atomic
def evidence_remove(*, viewer, item):
    """Remove a piece of the teacher's own evidence; its file goes once the removal is saved."""
    stored = EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
    if stored is None or not rules.test_rule("coaching.remove_evidence", viewer, stored):
        raise PermissionDenied
    audit_record(
        actor=viewer.user,
        verb="evidence.removed",
        target=stored,
        subject=viewer.user,
        summary=stored.get_kind_display(),
    )
    file_name, storage = stored.file.name, stored.file.storage
    shares_end_with(stored)
    stored.delete()
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))
