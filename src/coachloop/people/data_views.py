"""A person's data: everything held about them as one download (for themself, or for the
trust's administrator answering a subject access request), and erasure on request with its
report. Every download is audited; erasure is ``people.erasure.person_erase``."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from coachloop.common import spreadsheets
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.spreadsheets import Column
from coachloop.common.submissions import creates_once
from coachloop.people import erasure
from coachloop.people.erasures import Erasure
from coachloop.people.models import Role, User
from coachloop.people.subject_access import subject_access_download


def _zip(body, person):
    name = slugify(person.full_name) or "person"
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="coachloop-data-{name}-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@member_required()
def my_data(request):
    return render(request, "people/data/mine.html", {})


@require_safe
@never_cache
@member_required()
def my_data_download(request):
    viewer = request.viewer
    body = subject_access_download(actor=viewer.user, trust=viewer.trust, person=viewer.user)
    return _zip(body, viewer.user)


def _person_here(request, person_id):
    """A person with a role, now or before, in the administrator's trust; anyone else is a
    404, never a hint that they exist."""
    trust = request.viewer.trust
    return get_object_or_404(User.objects.filter(memberships__trust=trust).distinct(), pk=person_id)


@member_required(Role.ADMINISTRATOR)
def person_data(request, person_id):
    person = _person_here(request, person_id)
    trust = request.viewer.trust
    context = {
        "person": person,
        "erased": erasure.is_erased(person),
        "erasures": Erasure.objects.filter(person=person, trust=trust),
        "problem": erasure.erasure_problem(actor=request.user, trust=trust, person=person),
    }
    return render(request, "people/data/person.html", context)


@require_safe
@never_cache
@member_required(Role.ADMINISTRATOR)
def person_data_download(request, person_id):
    person = _person_here(request, person_id)
    viewer = request.viewer
    body = subject_access_download(actor=viewer.user, trust=viewer.trust, person=person)
    return _zip(body, person)


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this person being erased?"),
        help_text=_(
            "For example: “Asked for erasure by email on 3 March; their data protection "
            "officer agreed.” Kept with the report. Do not write the person's name."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Confirm that you understand this cannot be undone.")},
    )


@never_cache
@member_required(Role.ADMINISTRATOR)
@creates_once
def person_erase(request, person_id):
    person = _person_here(request, person_id)
    trust = request.viewer.trust
    problem = erasure.erasure_problem(actor=request.user, trust=trust, person=person)
    form = ErasureForm(posted(request))
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            done = erasure.person_erase(
                actor=request.user,
                trust=trust,
                person=person,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            return redirect("erasure_report", erasure_id=done.pk)
    context = {"person": person, "problem": problem, "form": form}
    return render(request, "people/data/erase.html", context)


def _erasure_here(request, erasure_id):
    return get_object_or_404(
        Erasure.objects.select_related("person", "erased_by"),
        pk=erasure_id,
        trust=request.viewer.trust,
    )


@member_required(Role.ADMINISTRATOR)
def erasure_report(request, erasure_id):
    done = _erasure_here(request, erasure_id)
    total = erasure.erased_total(done.counts)
    return render(request, "people/data/report.html", {"erasure": done, "total": total})


ERASURE_COLUMNS = [
    Column(_("Person")),
    Column(_("Erased at"), "datetime"),
    Column(_("Erased by")),
    Column(_("Reason")),
    Column(_("Part of Coachloop")),
    Column(_("What")),
    Column(_("How many"), "int"),
]


def _erasure_rows(done):
    """The report as one table: a row for each kind of record, the erasure's details on each
    (so a spreadsheet can filter and sum it)."""
    erased_by = done.erased_by.full_name if done.erased_by else _("Retention period")
    about = [done.person.full_name, done.erased_at, erased_by, done.reason]
    return [[*about, app, kind, n] for app, kind, n in done.counts]


@require_safe
@member_required(Role.ADMINISTRATOR)
def erasure_report_csv(request, erasure_id):
    done = _erasure_here(request, erasure_id)
    body = spreadsheets.csv_bytes(ERASURE_COLUMNS, _erasure_rows(done))
    response = HttpResponse(body, content_type=spreadsheets.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="erasure-{done.pk}.csv"'
    return response


@require_safe
@member_required(Role.ADMINISTRATOR)
def erasure_report_xlsx(request, erasure_id):
    done = _erasure_here(request, erasure_id)
    sheet = spreadsheets.Sheet(_("Erasure"), ERASURE_COLUMNS, _erasure_rows(done))
    response = HttpResponse(spreadsheets.xlsx_bytes([sheet]), content_type=spreadsheets.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="erasure-{done.pk}.xlsx"'
    return response


urlpatterns = [
    path("account/your-data/", my_data, name="my_data"),
    path("account/your-data/download/", my_data_download, name="my_data_download"),
    path("people/<int:person_id>/data/", person_data, name="person_data"),
    path(
        "people/<int:person_id>/data/download/", person_data_download, name="person_data_download"
    ),
    path("people/<int:person_id>/erase/", person_erase, name="person_erase"),
    path("people/erasures/<int:erasure_id>/", erasure_report, name="erasure_report"),
    path(
        "people/erasures/<int:erasure_id>/report.csv", erasure_report_csv, name="erasure_report_csv"
    ),
    path(
        "people/erasures/<int:erasure_id>/report.xlsx",
        erasure_report_xlsx,
        name="erasure_report_xlsx",
    ),
]
