"""Forms for the three partners' pages: scheduling and recording a three-way meeting,
bringing a goal, adding a reading and preparing a discussion prompt.

The people and things offered (an action's owner, a goal, a teacher) come from the page's
query, so anyone or anything else is simply not a valid choice. The services check it all
again; the forms say it first, all at once."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import DatesMixin, date_input, error_messages, textarea, time_input
from coachloop.programmes.services.readings import (
    CITATION_LIMIT,
    LONGEST_MODULE_WEEKS,
    PROMPT_LIMIT,
    TITLE_LIMIT,
    URL_LIMIT,
)

ACTION_SLOTS = 3
AGENDA_LIMIT = 4000
NOTES_LIMIT = 8000
ACTION_LIMIT = 300


class MeetingScheduleForm(DatesMixin, forms.Form):
    not_before_today = ("on",)

    on = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date of the meeting."),
            invalid=_("Enter the date of the meeting as a real date, for example 17 3 2026."),
        ),
    )
    at = forms.TimeField(
        label=_("Time"),
        widget=time_input(),
        help_text=_("For example 15:45."),
        error_messages=error_messages(
            _("Enter the time the meeting starts."),
            invalid=_("Enter the time as hours and minutes, for example 15:45."),
        ),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=AGENDA_LIMIT,
        widget=textarea(5),
        help_text=_("What the three of you will talk about, so everyone can prepare."),
        error_messages=error_messages(_("Say what the meeting is for, so all three can prepare.")),
    )

    def clean(self):
        data = super().clean()
        on, at = data.get("on"), data.get("at")
        if on and at:
            when = timezone.make_aware(dt.datetime.combine(on, at))
            if when < timezone.now():
                self.add_error("at", _("Choose a time that has not passed yet."))
            data["scheduled_for"] = when
        return data

    def meeting_fields(self):
        return {
            "scheduled_for": self.cleaned_data["scheduled_for"],
            "agenda": self.cleaned_data["agenda"],
        }


class MeetingRecordForm(DatesMixin, forms.Form):
    """The meeting's notes and up to three actions, each for one of the three partners."""

    not_after_today = ("held_on",)

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages=error_messages(
            _("The page was out of date. Reload it and save again."),
            invalid=_("The page was out of date. Reload it and save again."),
        ),
    )
    held_on = forms.DateField(
        label=_("Date it took place"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date the meeting took place."),
            invalid=_("Enter the date the meeting took place as a real date."),
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_LIMIT,
        required=False,
        widget=textarea(8),
        help_text=_(
            "What you talked about and agreed. The teacher, the coach and the tutor can "
            "read them, nobody else."
        ),
    )

    def __init__(self, *args, partners, **kwargs):
        """``partners``: (person, label) for the teacher, the coach and the tutor."""
        super().__init__(*args, **kwargs)
        self._partners = {str(person.pk): person for person, _label in partners}
        for n in range(1, ACTION_SLOTS + 1):
            self.fields[f"action_{n}_text"] = forms.CharField(
                label=_("Action %(n)s") % {"n": n},
                max_length=ACTION_LIMIT,
                required=False,
            )
            self.fields[f"action_{n}_owner"] = forms.TypedChoiceField(
                label=_("Who will do it"),
                choices=[("", _("Choose who"))] + [(str(p.pk), name) for p, name in partners],
                coerce=self._partner,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": _(
                        "Choose the teacher, the coach or the tutor for action %(n)s."
                    )
                    % {"n": n}
                },
            )
            self.fields[f"action_{n}_due_on"] = forms.DateField(
                label=_("By"),
                widget=date_input(),
                required=False,
                error_messages={
                    "invalid": _("Enter the date action %(n)s is due as a real date.") % {"n": n}
                },
            )

    def _partner(self, value):
        return self._partners[value]

    def action_rows(self):
        return [
            (n, self[f"action_{n}_text"], self[f"action_{n}_owner"], self[f"action_{n}_due_on"])
            for n in range(1, ACTION_SLOTS + 1)
        ]

    def clean(self):
        data = super().clean()
        actions = []
        for n in range(1, ACTION_SLOTS + 1):
            text = (data.get(f"action_{n}_text") or "").strip()
            owner = data.get(f"action_{n}_owner")
            due_on = data.get(f"action_{n}_due_on")
            if not text:
                if owner or due_on:
                    self.add_error(f"action_{n}_text", _("Say what action %(n)s is.") % {"n": n})
                continue
            if owner is None and f"action_{n}_owner" not in self.errors:
                self.add_error(
                    f"action_{n}_owner", _("Choose who will do action %(n)s.") % {"n": n}
                )
                continue
            actions.append((text, owner, due_on))
        data["actions"] = actions
        return data

    def record_fields(self):
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "notes": data["notes"],
            "actions": data["actions"],
            "version": data["version"],
        }


def _picker(field, things, label):
    """Offers ``things`` (already read by the page's query) as the field's choices; the
    cleaned value is the thing itself, and nothing else is a valid choice."""
    by_key = {str(thing.pk): thing for thing in things}
    field.choices = [(key, label(thing)) for key, thing in by_key.items()]
    field.coerce = by_key.__getitem__


class GoalBringForm(forms.Form):
    goal = forms.TypedChoiceField(
        label=_("Which of your goals"),
        widget=forms.RadioSelect,
        error_messages=error_messages(
            _("Choose one of your goals."),
            invalid_choice=_("Choose one of your goals from the list."),
        ),
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        _picker(self.fields["goal"], goals, lambda goal: goal.title)


class ReadingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LIMIT,
        error_messages=error_messages(_("Give the reading a title.")),
    )
    citation = forms.CharField(
        label=_("Author and reference"),
        max_length=CITATION_LIMIT,
        required=False,
        help_text=_("Who wrote it, and where it was published. For example “Lemov, D. (2021)”."),
    )
    url = forms.URLField(
        label=_("Link (optional)"),
        max_length=URL_LIMIT,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a link that starts with https:// or http://.")},
    )
    week = forms.IntegerField(
        label=_("Week of the module (optional)"),
        required=False,
        min_value=1,
        max_value=LONGEST_MODULE_WEEKS,
        error_messages={
            "invalid": _("Enter the week as a number, for example 3."),
            "min_value": _("Enter a week from 1 to %(weeks)s.") % {"weeks": LONGEST_MODULE_WEEKS},
            "max_value": _("Enter a week from 1 to %(weeks)s.") % {"weeks": LONGEST_MODULE_WEEKS},
        },
    )


class PromptForm(forms.Form):
    enrolment = forms.TypedChoiceField(
        label=_("For which teacher"),
        widget=forms.RadioSelect,
        error_messages=error_messages(
            _("Choose the teacher the prompt is for."),
            invalid_choice=_("Choose one of your teachers from the list."),
        ),
    )
    text = forms.CharField(
        label=_("Discussion prompt"),
        max_length=PROMPT_LIMIT,
        widget=textarea(4),
        help_text=_(
            "A question to talk the reading through together, for example “Where have "
            "you seen this in your own classroom?”"
        ),
        error_messages=error_messages(_("Write the question you would like to talk through.")),
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        _picker(
            self.fields["enrolment"],
            enrolments,
            lambda enrolment: enrolment.teacher.full_name or enrolment.teacher.email,
        )
