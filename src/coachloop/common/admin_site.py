"""The admin site: for people who hold the administrator role in a trust, inside its scope.

Access comes from the role, not from a flag on the account, so there is one place to grant
it (a membership) and it ends when the membership does. A superuser is no exception: without
an administrator role in a trust they see no trust's rows.

``TrustAdmin`` is the base of every model admin. Rows are the administrator's own trust's;
nothing is deleted, because memberships, relationships and frameworks are history that is
kept; every change writes an audit event in the same transaction as the change.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.common.audit import audit_record
from coachloop.common.formsets import BoundedInlineFormSet
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import TenantModel


def is_trust_administrator(request):
    viewer = getattr(request, "viewer", None)
    return bool(request.user.is_active and viewer is not None and viewer.is_administrator)


class CoachloopAdminSite(admin.AdminSite):
    site_header = _("Coachloop administration")
    site_title = _("Coachloop administration")
    index_title = _("Your trust's people, schools and frameworks")
    enable_nav_sidebar = False

    def has_permission(self, request):
        return is_trust_administrator(request)

    def autocomplete_view(self, request):
        # A NUL character cannot be searched for in PostgreSQL: say so rather than fail.
        if "\x00" in request.GET.get("term", ""):
            return HttpResponseBadRequest(_("That search cannot contain a NUL character."))
        return super().autocomplete_view(request)

    def password_change(self, request, extra_context=None):
        # One page for changing a password, whose limits on guessing and whose ending of
        # every other session apply: not the admin site's own, which has neither.
        return redirect("account_change_password")

    def password_change_done(self, request, extra_context=None):
        return redirect("account_change_password")

    def login(self, request, extra_context=None):
        # One sign-in page for everyone; signed in without the role is a refusal, not a loop.
        if request.user.is_authenticated:
            return render(request, "common/403.html", status=403)
        return redirect_to_login(request.GET.get("next", reverse("admin:index")))


def _with_trust(form_class, trust):
    """A model form whose new instances belong to ``trust``, whose uniqueness checks include
    the trust, so a clash is a form error rather than a database error, and whose checks
    across fields wait until each field is valid, so a missing relation is that field's
    error rather than a server error."""

    class TrustForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.trust_id is None:
                self.instance.trust = trust

        def clean(self):
            # A field missing or wrong (a school not chosen, a person not of this trust) is
            # the error to show: the form's own checks across fields, which read them all,
            # run only once every field is valid.
            if self.errors:
                return forms.ModelForm.clean(self)
            return super().clean()

        def _get_validation_exclusions(self):
            exclusions = super()._get_validation_exclusions()
            exclusions.discard("trust")
            return exclusions

    TrustForm.__name__ = form_class.__name__
    return TrustForm


def _audit_saved(request, obj, change):
    audit_record(
        actor=request.user,
        verb=f"{obj._meta.model_name}.{'changed' if change else 'added'}",
        target=obj,
        trust=request.viewer.trust,
        summary=str(obj),
    )


def _save_and_audit(request, formset):
    with transaction.atomic():
        formset.save()
        for obj in formset.new_objects:
            _audit_saved(request, obj, False)
        for obj, _fields in formset.changed_objects:
            _audit_saved(request, obj, True)


class AdministratorsOnly:
    """For every admin page and inline: the administrator role decides, the rows are the
    administrator's own trust's, and nothing is deleted."""

    def has_view_permission(self, request, obj=None):
        return is_trust_administrator(request)

    def has_add_permission(self, request, obj=None):
        return is_trust_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_trust_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_trust_administrator(request):
            return queryset.none()
        if issubclass(self.model, TenantModel):
            # The trust scope already limits these rows; saying so here does not depend on it.
            return queryset.filter(trust=request.viewer.trust)
        return queryset


class TrustAdmin(AdministratorsOnly, admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_trust_administrator(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(self.model, TenantModel) and is_trust_administrator(request):
            return _with_trust(form, request.viewer.trust)
        return form

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if isinstance(obj, TenantModel) and not change:
                obj.trust = request.viewer.trust
            super().save_model(request, obj, form, change)
            _audit_saved(request, obj, change)

    def save_formset(self, request, form, formset, change):
        _save_and_audit(request, formset)

    def history_view(self, request, object_id, extra_context=None):
        """This trust's audit trail for the row, instead of Django's log, which is kept for
        the whole installation and would show other trusts' administrators at work."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        events = (
            AuditEvent.objects.filter(
                trust=request.viewer.trust,
                target_type=obj._meta.label_lower,
                target_id=str(obj.pk),
            )
            .exclude(verb="read")
            .select_related("actor")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "events": events,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/coachloop_history.html", context)


class PeriodAdmin(TrustAdmin):
    """A date-ranged period (a role, a coaching relationship): it is started with
    ``start_fields`` and later finished, once; nothing else about it is ever changed.

    Subclasses say how a period starts and finishes, through the services that audit it.
    """

    start_fields: list = []
    start_form = forms.ModelForm
    finish_form = None  # a FinishOnceForm

    def start(self, request, obj):
        raise NotImplementedError

    def finish(self, request, obj):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = self.finish_form if obj else self.start_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return [*self.start_fields, "finished_on"] if obj else self.start_fields

    def get_readonly_fields(self, request, obj=None):
        return self.start_fields if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = self.start(request, obj).pk
        elif "finished_on" in form.changed_data and obj.finished_on:
            self.finish(request, obj)


class TrustInline(AdministratorsOnly, admin.StackedInline):
    """Stacked, so every field has its own label (a tabular row's inputs have none)."""

    extra = 0
    formset = BoundedInlineFormSet  # counts from the browser bounded (common.formsets)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(self.model, TenantModel) and is_trust_administrator(request):
            formset.form = _with_trust(formset.form, request.viewer.trust)
        return formset


class FinishOnceForm(forms.ModelForm):
    """Changing a period (a role, a coaching relationship) means finishing it, once; the rest
    of the period stays as it was."""

    already_finished = _("This has already finished. Start a new one instead.")
    before_start = _("It cannot finish before it started.")
    may_finish_later = True  # a date still to come says when it will finish
    finishing_help = _("Finishing cannot be undone: a new one is started instead.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "finished_on" in self.fields:
            # A text may name the days a former coach still reads (in the plural that fits).
            days = settings.COACHLOOP_READ_AFTER_END_DAYS
            self.fields["finished_on"].help_text = str(self.finishing_help % {"days": days})

    def clean(self):
        if self.instance._state.adding:
            # A row id that is not one of the page's own (tampered with): nothing to finish.
            raise ValidationError(_("This is not one of the records on this page."))
        return super().clean()

    def clean_finished_on(self):
        value = self.cleaned_data.get("finished_on")
        before = self.initial.get("finished_on")
        if before is not None and value != before:
            raise ValidationError(self.already_finished)
        if value and value < self.instance.started_on:
            raise ValidationError(self.before_start)
        if value and not self.may_finish_later and value > timezone.localdate():
            raise ValidationError(_("Give today's date or a past one."))
        return value
