"""Everything Coachloop holds about a person in one trust, as one download: the answer to a
subject access request (UK GDPR article 15), for the person themself or for the trust's
administrator (its data protection officer's hands) about a named person.

Each app gives its sections through ``common.personal_data``; the download is a zip holding
``records.json`` (every section, as JSON data), ``records.html`` (the same, to read in a
browser) and ``files/`` (uploaded files that are the person's: evidence travels inside their
teacher record, submissions' files here). The teacher-record file of "Download my record"
stays as it is, for taking a record to another school; it is one section here.
"""

import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import READ, audit_record
from coachloop.common.personal_data import contributors

FORMAT = "coachloop.subject-access"
VERSION = 1


def sections_of(person, trust, *, for_person_themself=True):
    """Every app's sections about ``person`` in ``trust``, lowest layer first; the trust's
    administrator's copy without coaching content or account details (each app leaves them
    out, saying so)."""
    return [
        section
        for _label, c in contributors()
        for section in c.export(person, trust, for_person_themself=for_person_themself)
    ]


def document(person, trust, sections, made_at):
    return {
        "format": FORMAT,
        "version": VERSION,
        "made_at": made_at.isoformat(),
        "trust": trust.name,
        "person": {"name": person.full_name, "email": person.email},
        "sections": [
            {"key": s.key, "heading": str(s.heading), "note": str(s.note), "records": s.records}
            for s in sections
        ],
    }


def bundle(person, trust, *, made_at=None, for_person_themself=True):
    """The zip's bytes."""
    made_at = made_at or timezone.now()
    sections = sections_of(person, trust, for_person_themself=for_person_themself)
    data = document(person, trust, sections, made_at)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    page = render_to_string(
        "people/data/records.html",
        {
            "data": data,
            "sections": [
                (s, [json.dumps(r, ensure_ascii=False, indent=2) for r in s["records"]])
                for s in data["sections"]
            ],
        },
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.json", text)
        archive.writestr("records.html", page)
        for section in sections:
            for name, stored in section.files:
                try:
                    with stored.open("rb") as handle:
                        archive.writestr(name, handle.read())
                except OSError:
                    archive.writestr(f"{name}.missing.txt", _("This file could not be read."))
    return out.getvalue()


def subject_access_download(*, actor, trust, person):
    """The download, with its audit event: someone else's download is a read of the person's
    whole record, listed on their "Who has read my records"; their own is recorded too."""
    themself = actor.pk == person.pk
    body = bundle(person, trust, for_person_themself=themself)
    audit_record(
        actor=actor,
        verb="person.data_downloaded" if themself else READ,
        target=person,
        subject=person,
        trust=trust,
        summary=_("everything held about them")
        if themself
        else _("everything held about them but coaching content and account details"),
    )
    return body
