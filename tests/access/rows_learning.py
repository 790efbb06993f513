"""The teacher's own learning: goals, reflections and evidence are the teacher's; a goal (and
its evidence) linked to their coaching, and evidence on a step, is read by that coach too.
Reflections are the teacher's alone. Leaders never reach any of it. Each page listing one's
own things answers every member, with only their own. Every item carries the secret note, so
the matrix also checks nobody else sees its words."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from coachloop.coaching.models import EvidenceItem, Goal, GoalProgress, Reflection
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import MEMBERS, content_route, page_route
from tests.world import SECRET_NOTE


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (29, 79, 74)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
# One stored file shared by every row of a test (in its temporary media folder).
STORED_NAME = "evidence/access-matrix/board.png"


def _goal(r):
    with scopes_disabled():
        goal = Goal.objects.create(
            trust=r.school.trust,
            teacher=r.teacher,
            relationship=r.relationship,
            title="Every pupil answers in full sentences",
            why=SECRET_NOTE,
            pupils="Year 9 set 2",
            evidence_kinds=["pupil_work"],
            review_on=timezone.localdate() + dt.timedelta(days=7),
            created_by=r.teacher,
            created_at=timezone.now(),
        )
        GoalProgress.objects.create(
            trust=r.school.trust,
            goal=goal,
            written_on=timezone.localdate(),
            note=SECRET_NOTE,
            written_by=r.teacher,
        )
    return goal


def evidence_file(r, *, on_step=False, link=False):
    """A piece of the teacher's evidence (a file, or a link) on a goal of theirs or on a step."""
    goal = None if on_step else _goal(r)
    if link:
        kind = {"kind": EvidenceItem.Kind.LINK, "url": "https://video.example.org/lesson-12"}
    else:
        if not default_storage.exists(STORED_NAME):
            default_storage.save(STORED_NAME, ContentFile(PNG))
        kind = {
            "kind": EvidenceItem.Kind.FILE,
            "file": STORED_NAME,
            "original_name": "board.png",
            "content_type": "image/png",
            "size": len(PNG),
        }
    with scopes_disabled():
        return EvidenceItem.objects.create(
            trust=r.school.trust,
            teacher=r.teacher,
            goal=goal,
            action_step=r.step if on_step else None,
            title="Board photo",
            note=SECRET_NOTE,
            added_by=r.teacher,
            added_on=timezone.localdate(),
            **kind,
        )


def _reflection(r):
    with scopes_disabled():
        return Reflection.objects.create(
            trust=r.school.trust,
            teacher=r.teacher,
            written_on=timezone.localdate(),
            title="After period 3",
            body=SECRET_NOTE,
            action_step=r.step,
        )


def _with_goal(r):
    """A list page: the teacher has a goal (nobody else should see its words there)."""
    _goal(r)
    return {}


def _with_reflection(r):
    _reflection(r)
    return {}


def _with_evidence(r):
    evidence_file(r)
    return {}


def _goal_id(r):
    return {"goal_id": _goal(r).pk}


def _goal_file_kind(r):
    return {"goal_id": _goal(r).pk, "kind": "file"}


def _step_link_kind(r):
    return {"step_id": r.step.pk, "kind": "link"}


def _step(r):
    evidence_file(r, on_step=True)
    return {"step_id": r.step.pk}


def _relationship(r):
    _goal(r)
    return {"relationship_id": r.relationship.pk}


def _reflection_id(r):
    return {"reflection_id": _reflection(r).pk}


def _evidence_id(r):
    return {"evidence_id": evidence_file(r).pk}


def _evidence_on_step_id(r):
    return {"evidence_id": evidence_file(r, on_step=True).pk}


def _link_id(r):
    return {"evidence_id": evidence_file(r, link=True).pk}


EVERY_MEMBER = page_route(dict.fromkeys(MEMBERS, 200))
TEACHER_AND_COACH = content_route({"teacher": 200, "coach": 200})
TEACHER_ONLY = content_route({"teacher": 200})

ROWS = {
    # Goals and progress.
    "coaching:goals": ("get", _with_goal, EVERY_MEMBER),
    "coaching:goal_new": ("get", None, EVERY_MEMBER),
    "coaching:goal_detail": ("get", _goal_id, TEACHER_AND_COACH),
    "coaching:goal_edit": ("get", _goal_id, TEACHER_AND_COACH),
    "coaching:goal_progress": ("get", _goal_id, TEACHER_AND_COACH),
    # The matrix posts a status that is not one of a goal's: back to the goal with a message.
    "coaching:goal_status": ("post", _goal_id, content_route({"teacher": 302, "coach": 302})),
    "coaching:coachee_goals": ("get", _relationship, TEACHER_AND_COACH),
    "coaching:coachee_goal_new": ("get", _relationship, content_route({"coach": 200})),
    # The journal: the teacher's alone, not even their coach's.
    "coaching:reflections": ("get", _with_reflection, EVERY_MEMBER),
    "coaching:reflection_new": ("get", None, EVERY_MEMBER),
    "coaching:reflection_detail": ("get", _reflection_id, TEACHER_ONLY),
    "coaching:reflection_edit": ("get", _reflection_id, TEACHER_ONLY),
    "coaching:reflection_delete": ("get", _reflection_id, TEACHER_ONLY),
    # Evidence: added and removed by the teacher; read (and downloaded) by the coach too.
    "coaching:my_evidence": ("get", _with_evidence, EVERY_MEMBER),
    "coaching:goal_evidence_new": ("get", _goal_file_kind, TEACHER_ONLY),
    "coaching:step_evidence": ("get", _step, TEACHER_AND_COACH),
    "coaching:step_evidence_new": ("get", _step_link_kind, TEACHER_ONLY),
    "coaching:evidence_download": ("get", _evidence_id, TEACHER_AND_COACH),
    "coaching:evidence_remove": ("get", _evidence_id, TEACHER_ONLY),
}

# Evidence downloads of other kinds: a file on an action step; a link, which is shown and
# never downloaded, so there is nothing to send, to anyone.
VARIANTS = {
    "coaching:evidence_download#step": ("get", _evidence_on_step_id, TEACHER_AND_COACH),
    "coaching:evidence_download#link": ("get", _link_id, content_route({})),
}
