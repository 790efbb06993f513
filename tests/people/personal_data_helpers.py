"""A demo trust in which its teacher has records in every app, with markers of our own: a
drop-in and a submission of theirs, and the same of another teacher's, each with a text found
nowhere else, and a read of their record by their coach."""

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, Relationship
from coachloop.common.audit import audit_read
from coachloop.common.tenancy import scopes_disabled
from coachloop.demo.build import build_demo
from coachloop.people.models import User
from coachloop.programmes.models import Enrolment, Mark, Submission, SubmissionVersion
from coachloop.rosters.models import RosterImport
from tests.factories import DropInFactory

TODAY = dt.date(2025, 11, 20)
THEIRS = "Theirs-only-note-4b1c"
OTHERS = "Someone-elses-note-9e2d"
THEIR_ESSAY = "Their-essay-text-51aa"
UNRELEASED_COMMENT = "Unreleased-marker-comment-77f0"


@dataclass
class DemoWorld:
    trust: object
    teacher: object
    coach: object
    other_teacher: object
    administrator: object


def build(media):
    trust = build_demo(today=TODAY, schools=1)
    with scopes_disabled():
        teacher = User.objects.get(email="teacher@riverside.example.org")
        coach = User.objects.get(email="coach@riverside.example.org")
        administrator = User.objects.get(email="admin@riverside.example.org")
        mine = Relationship.objects.filter(teacher=teacher).first()
        dropin = DropInFactory(relationship=mine, noticed=THEIRS)
        other = Relationship.objects.exclude(teacher=teacher).exclude(teacher=coach).first()
        DropInFactory(relationship=other, noticed=OTHERS)
        audit_read(viewer=coach, target=dropin, subject=teacher, summary="drop-in")
        evidence = EvidenceItem.objects.filter(teacher=teacher).first()
        evidence.file.save("their-evidence.txt", ContentFile(b"their evidence"), save=True)
        enrolment = Enrolment.objects.get(teacher=teacher)
        submission = Submission.objects.filter(enrolment=enrolment).first()
        version = SubmissionVersion.objects.filter(submission=submission).first()
        version.text = THEIR_ESSAY
        version.save()
        _an_unreleased_mark(enrolment)
        RosterImport.objects.create(
            trust=trust,
            kind=RosterImport.Kind.STAFF,
            status=RosterImport.Status.APPLIED,
            source_format="staff-csv",
            file_name="staff.csv",
            exported_on=TODAY,
            uploaded_by=administrator,
            records={"rows": [{"email": teacher.email, "name": teacher.full_name}]},
        )
    return DemoWorld(trust, teacher, coach, other.teacher, administrator)


def _an_unreleased_mark(enrolment):
    submission = (
        Submission.objects.filter(enrolment=enrolment)
        .exclude(status=Submission.Status.RELEASED)
        .first()
    )
    assert submission is not None, "the demo teacher has a submission not yet released"
    Mark.objects.filter(submission=submission).delete()
    Mark.objects.create(
        trust=enrolment.trust,
        submission=submission,
        position=Mark.Position.FIRST,
        marker=enrolment.tutor,
        overall=64,
        comments=UNRELEASED_COMMENT,
        submitted_at=timezone.now(),
    )


def unzip(body):
    archive = zipfile.ZipFile(io.BytesIO(body))
    return archive, json.loads(archive.read("records.json"))
