"""Forms for the university staff's pages: enrolling a teacher, choosing a second marker,
recording a coach's qualification and confirming a release of marks.

Every choice comes from ``queries.staff_pages``, so another programme's cohort or another
trust's person is simply not a valid choice: a clear form error, never a lookup by raw id."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from coachloop.common.forms import PersonChoiceField, date_field, error_messages
from coachloop.programmes.models import CoachQualification


def _choice(message, invalid):
    return error_messages(message, invalid_choice=invalid)


class EnrolForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=None,
        empty_label=_("Choose a cohort"),
        error_messages=_choice(
            _("Choose the cohort the teacher joins."),
            _("Choose a cohort of this programme from the list."),
        ),
    )
    teacher = PersonChoiceField(
        label=_("Teacher"),
        queryset=None,
        empty_label=_("Choose a teacher"),
        error_messages=_choice(
            _("Choose the teacher to enrol."), _("Choose a teacher from the list.")
        ),
    )
    school = forms.ModelChoiceField(
        label=_("Their school"),
        queryset=None,
        empty_label=_("Choose a school"),
        error_messages=_choice(
            _("Choose the school the teacher works at."), _("Choose a school from the list.")
        ),
    )
    coach = PersonChoiceField(
        label=_("Their school coach"),
        queryset=None,
        empty_label=_("Choose a coach"),
        help_text=_("A coach at the teacher's school, who supports them day to day."),
        error_messages=_choice(
            _("Choose the teacher's school coach."), _("Choose a coach from the list.")
        ),
    )
    tutor = PersonChoiceField(
        label=_("Their tutor"),
        queryset=None,
        empty_label=_("Choose a tutor"),
        error_messages=_choice(
            _("Choose the teacher's tutor."), _("Choose a tutor of this programme from the list.")
        ),
    )
    started_on = date_field(_("Starts on"), _("Enter the date the teacher starts."))

    def __init__(self, *args, choices, **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = choices.cohorts
        self.fields["teacher"].queryset = choices.teachers
        self.fields["school"].queryset = choices.schools
        self.fields["coach"].queryset = choices.coaches
        self.fields["tutor"].queryset = choices.tutors


class QualificationForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Highest qualification"),
        choices=CoachQualification.Level.choices,
        widget=forms.RadioSelect,
        error_messages=_choice(
            _("Choose the coach's highest qualification."),
            _("Choose a qualification from the list."),
        ),
    )
    subject = forms.CharField(
        label=_("In (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example, Education or Instructional coaching."),
    )


class EndPlaceForm(forms.Form):
    finished_on = date_field(
        _("The place ended on"), _("Enter the date the teacher's place ended.")
    )
    finished_on.error_messages["invalid"] = _("Enter a real date, with its day, month and year.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"finished_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReleaseForm(forms.Form):
    """The lead's confirmation of a release, sent from its page: ``confirm``, and the number
    of teachers' marks the page showed, which must still be the number ready (else the page is
    shown again with the new number, and nothing is released)."""

    confirm = forms.CharField(required=False)
    ready = forms.IntegerField(required=False, min_value=0)

    def __init__(self, *args, ready_now, **kwargs):
        super().__init__(*args, **kwargs)
        self.ready_now = ready_now

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confirm") != "yes":
            raise forms.ValidationError(
                _("Nothing is released yet. Check what a release does, then confirm it here.")
            )
        if not self.ready_now:
            raise forms.ValidationError(_("No marks are ready for release."))
        if cleaned.get("ready") != self.ready_now:
            raise forms.ValidationError(
                ngettext_lazy(
                    "The marks ready for release changed while you were reading: %(n)s "
                    "teacher's mark is ready now. Nothing is released yet: check and confirm "
                    "again.",
                    "The marks ready for release changed while you were reading: %(n)s "
                    "teachers' marks are ready now. Nothing is released yet: check and confirm "
                    "again.",
                    "n",
                )
                % {"n": self.ready_now}
            )
        return cleaned
