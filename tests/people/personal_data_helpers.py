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
from coachloop.people.models import Membership, User
from coachloop.programmes.models import Enrolment, Mark, Submission, SubmissionVersion
from coachloop.rosters.readers.staff_table import read_staff_csv
from coachloop.rosters.services import staff_import_check, staff_import_start
from tests.factories import DropInFactory
from tests.rosters.roster_files import staff_csv_bytes, staff_row

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
        _a_staff_list_checked(trust, administrator, [teacher, other.teacher])
    return DemoWorld(trust, teacher, coach, other.teacher, administrator)


def _a_staff_list_checked(trust, administrator, people):
    """A staff list naming them, read and checked by the real import, not yet applied."""
    urn = Membership.objects.filter(user=people[0], school__isnull=False).first().school.urn
    rows = [staff_row(p.full_name, email=p.email, urn=urn) for p in people]
    bundle = read_staff_csv(io.BytesIO(staff_csv_bytes(rows)), file_name="staff.csv")
    roster_import = staff_import_start(
        actor=administrator, trust=trust, bundle=bundle, file_name="staff.csv"
    )
    staff_import_check(roster_import=roster_import)


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
