"""What each app holds about a person, for a subject-access download, erasure and retention.

Personal data is spread over apps in every layer, and a lower app may not import a higher one,
so no single module can list it. Each app that holds records about people says so through
``contribute`` (from its ``AppConfig.ready``) with a ``Contributor``:

- ``export(person, trust, *, for_person_themself)``: the ``Section``s of records it holds
  about the person in the trust, in plain JSON data, with the files that belong to them. The
  trust's administrator's copy (``for_person_themself=False``) leaves out coaching content
  (the privacy tiers' first tier: administrators configure, they do not read content) and
  what is about the account rather than the trust (sign-ins, devices, addresses, linked
  accounts, two-step methods): each such section is there, empty, saying what is left out
  (``left_out``), as the person downloads it themself from "Your data";
- ``erase(person, trust)``: deletes what is about the person (or theirs), keeps what is about
  others with the person's identity left to the pseudonymised account, and returns how many of
  each kind it erased (a ``Counter`` keyed by the kind's plural name);
- ``expire(trust, cutoff)``: erases what the trust's retention period has run out for (records
  whose relationship, enrolment or period ended before ``cutoff``), with its counts;
- ``covers``: each model it answers for, and what happens to it on erasure, in words, so the
  completeness test (``tests/common/test_personal_data.py``) can fail on a model that holds a
  person and that no app answers for.

This module knows no app; ``people.subject_access`` and ``people.erasure`` run the
contributors, in the order of ``INSTALLED_APPS`` for an export and the reverse for erasure
(a higher app's rows point at a lower app's, so they go first).
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _


@dataclass
class Section:
    """One list of records in a subject-access download."""

    key: str  # unique in the download: "<app>.<what>"
    heading: str
    records: list = field(default_factory=list)  # dicts of JSON data
    note: str = ""  # what is left out and why, or how to read it
    files: list = field(default_factory=list)  # (name in the download, FieldFile)


@dataclass(frozen=True)
class Contributor:
    covers: dict  # "app_label.ModelName" -> what erasure does to it, in words
    export: Callable[..., list]  # (person, trust, *, for_person_themself)
    erase: Callable[[object, object], Counter]
    expire: Callable[[object, dt.date], Counter] = lambda trust, cutoff: Counter()
    # "app_label.ModelName" -> what a report calls its rows, where the model's plural name
    # would not do ("drop ins")
    kinds: dict = field(default_factory=dict)


_CONTRIBUTORS: dict[str, Contributor] = {}
_KINDS: dict[str, str] = {}


def contribute(app_label, contributor):
    _CONTRIBUTORS[app_label] = contributor
    _KINDS.update({label.lower(): kind for label, kind in contributor.kinds.items()})


def contributors():
    """(app label, contributor) in the order of INSTALLED_APPS: lowest layer first."""
    order = [config.label for config in apps.get_app_configs()]
    return sorted(_CONTRIBUTORS.items(), key=lambda item: order.index(item[0]))


# Helpers the contributors share.


def left_out_note(what):
    return _(
        "Left out of this copy, made by the trust's administrator: %(what)s. Administrators "
        "do not read coaching content or account details; the person can download all of it "
        "themself from their account (“Your data”)."
    ) % {"what": what}


def left_out(key, heading, what):
    """A section of the administrator's copy whose records only the person may download."""
    return Section(key=key, heading=heading, note=left_out_note(what))


def plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def with_people(queryset):
    """The queryset with every person its rows name fetched with it (``record_of`` names
    them), so a download runs a number of queries that does not grow with its records."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    names = [
        f.name
        for f in queryset.model._meta.concrete_fields
        if f.is_relation and f.related_model is user_model
    ]
    return queryset.select_related(*names) if names else queryset


def record_of(obj, *, leave_out=(), files_in=None):
    """A row as JSON data: every concrete field but the ones left out and the trust; a person
    by their name, another row by its number, a file by its name in the download (``files_in``
    gathers the files)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in leave_out or f.name == "trust":
            continue
        if f.is_relation:
            if f.related_model is apps.get_model(settings.AUTH_USER_MODEL):
                person = getattr(obj, f.name)
                data[f.name] = person.full_name if person is not None else None
            else:
                data[f"{f.name}_id"] = getattr(obj, f.attname)
        elif isinstance(f, models.FileField):
            stored = getattr(obj, f.name)
            name = f"files/{obj._meta.model_name}-{obj.pk}-{stored.name.rsplit('/', 1)[-1]}"
            data[f.name] = name if stored else None
            if stored and files_in is not None:
                files_in.append((name, stored))
        else:
            data[f.name] = plain(f.value_from_object(obj))
    return data


def delete_counted(counts, queryset):
    """Delete the rows and count them under their kinds (cascades included)."""
    _, per_model = queryset.delete()
    for label, number in per_model.items():
        if number:
            kind = _KINDS.get(label.lower()) or apps.get_model(label)._meta.verbose_name_plural
            counts[str(kind)[:1].upper() + str(kind)[1:]] += number


def delete_files_on_commit(files):
    """Remove stored files once the erasure has committed (a rolled-back one keeps them)."""
    stored = [(f.storage, f.name) for f in files if f]

    def remove():
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(remove)
