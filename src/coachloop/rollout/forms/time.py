"""Forms for protected coaching slots, CPD sessions and their attendance.

Choices (coaches, staff, strands) come from ``rollout.queries.time``, so another school's
person or another trust's strand is simply not a valid choice.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import (
    PeopleChoiceField,
    PersonChoiceField,
    date_input,
    error_messages,
    time_input,
)
from coachloop.rollout.models import ProtectedSlot


class StrandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.version.framework.name})"


class ProtectedSlotForm(forms.Form):
    coach = PersonChoiceField(
        label=_("Coach"),
        queryset=None,
        empty_label=_("Choose a coach"),
        error_messages=error_messages(
            _("Choose the coach this time is for."),
            invalid_choice=_("Choose a coach at this school."),
        ),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        choices=ProtectedSlot.Weekday.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=error_messages(
            _("Choose the day of the week."),
            invalid_choice=_("Choose a day from Monday to Friday."),
        ),
    )
    starts_at = forms.TimeField(
        label=_("Starts at"),
        widget=time_input(),
        help_text=_("For example, 13:30"),
        error_messages=error_messages(
            _("Enter the time the slot starts."),
            invalid=_("Enter a time, for example 13:30."),
        ),
    )
    ends_at = forms.TimeField(
        label=_("Ends at"),
        widget=time_input(),
        help_text=_("For example, 14:20"),
        error_messages=error_messages(
            _("Enter the time the slot ends."),
            invalid=_("Enter a time, for example 14:20."),
        ),
    )
    starts_on = forms.DateField(
        label=_("First week"),
        widget=date_input(),
        help_text=_("The slot repeats every week from this date."),
        error_messages=error_messages(
            _("Enter the date the slot starts from."), invalid=_("Enter a real date.")
        ),
    )
    ends_on = forms.DateField(
        label=_("Last date (optional)"),
        required=False,
        widget=date_input(),
        help_text=_("Leave this blank if the slot carries on until you end it."),
        error_messages={"invalid": _("Enter a real date.")},
    )
    label = forms.CharField(
        label=_("What it is for (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example, feedback conversations with early-career teachers."),
    )

    def __init__(self, *args, coaches, **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The slot must end after it starts."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last date cannot be before the first date."))
        return data


class SlotEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last date of the slot"),
        widget=date_input(),
        help_text=_("The slot is kept in the record, ending on this date."),
        error_messages=error_messages(
            _("Enter the last date of the slot."), invalid=_("Enter a real date.")
        ),
    )

    def __init__(self, *args, slot, **kwargs):
        # ``protected_slot_end`` checks the date against the slot's first one.
        kwargs.setdefault("initial", {"ends_on": max(timezone.localdate(), slot.starts_on)})
        super().__init__(*args, **kwargs)


class CpdSessionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example, Cold calling: practising the pause."),
        error_messages=error_messages(_("Enter a title for the session.")),
    )
    strand = StrandChoiceField(
        label=_("Framework strand (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Choose a strand of the trust's current framework.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date of the session."), invalid=_("Enter a real date.")
        ),
    )
    starts_at = forms.TimeField(
        label=_("Starts at"),
        widget=time_input(),
        help_text=_("For example, 15:45"),
        error_messages=error_messages(
            _("Enter the time the session starts."),
            invalid=_("Enter a time, for example 15:45."),
        ),
    )
    ends_at = forms.TimeField(
        label=_("Ends at"),
        widget=time_input(),
        help_text=_("For example, 17:00"),
        error_messages=error_messages(
            _("Enter the time the session ends."),
            invalid=_("Enter a time, for example 17:00."),
        ),
    )
    location = forms.CharField(
        label=_("Where (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example, the library, or a video call link."),
    )
    everyone = forms.BooleanField(
        label=_("Invite all staff at the school"),
        required=False,
    )
    invitees = PeopleChoiceField(
        label=_("Or choose who to invite"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Invite only people who work at this school.")},
    )

    def __init__(self, *args, strands, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strand"].queryset = strands
        self.fields["invitees"].queryset = staff
        self.staff = staff

    def clean(self):
        data = super().clean()
        date, starts, ends = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        elif date and starts and ends:
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(date, starts))
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(date, ends))
        if "invitees" not in self.errors:
            if data.get("everyone"):
                data["invitees"] = list(self.staff)
            elif not data.get("invitees"):
                self.add_error("invitees", _("Choose at least one person to invite."))
        return data

    def session_fields(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "strand": data.get("strand"),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "location": data.get("location", ""),
            "invitees": list(data["invitees"]),
        }


YES, NO = "yes", "no"


class AttendanceForm(forms.Form):
    """One yes/no question per invitation: did they come?"""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            initial = {True: YES, False: NO}.get(invitation.attended, "")
            self.fields[self.field_name(invitation)] = forms.ChoiceField(
                label=invitation.person.full_name,
                choices=[(YES, _("Came")), (NO, _("Did not come"))],
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(invitation):
        return f"attended-{invitation.pk}"

    def rows(self):
        return [(invitation, self[self.field_name(invitation)]) for invitation in self.invitations]

    def clean(self):
        data = super().clean()
        answered = {
            invitation.pk: data[self.field_name(invitation)] == YES
            for invitation in self.invitations
            if data.get(self.field_name(invitation))
        }
        if not answered and not self.errors:
            raise forms.ValidationError(_("Say who came to the session."))
        data["attendance"] = answered
        return data
