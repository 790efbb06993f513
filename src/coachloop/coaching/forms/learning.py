"""Forms for goals, progress notes and reflections.

Choices (the coaching a goal links to, the goal or step an entry is about) come from
``coaching.queries.learning``, so someone else's coaching, goal or step is simply not a valid
choice. The services check everything again; the forms say it first, all at once.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.models import EvidenceKind, Goal
from coachloop.common.forms import DatesMixin, date_input, error_messages, not_in_future, textarea


class CoachingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Share it with %(coach)s (%(kind)s)") % {
            "coach": obj.coach.full_name if obj.coach_id else obj.imported_coach_name,
            "kind": obj.get_kind_display().lower(),
        }


class GoalForm(DatesMixin, forms.Form):
    not_before_today = ("review_on",)

    title = forms.CharField(
        label=_("Your goal"),
        max_length=200,
        help_text=_(
            "Something challenging and personal, for example “Every pupil answers in "
            "full sentences”."
        ),
        error_messages=error_messages(_("Say what the goal is.")),
    )
    why = forms.CharField(
        label=_("Why it matters to you"),
        max_length=2000,
        required=False,
        widget=textarea(3),
    )
    pupils = forms.CharField(
        label=_("The pupils it aims to help"),
        max_length=120,
        help_text=_(
            "A class or a group, never a pupil’s name. For example “Year 9 set 2” or "
            "“the quieter pupils in 8C”."
        ),
        error_messages=error_messages(
            _("Name the class or group of pupils the goal aims to help.")
        ),
    )
    evidence_kinds = forms.MultipleChoiceField(
        label=_("Evidence that will show change"),
        choices=EvidenceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply."),
        error_messages=error_messages(
            _("Choose at least one kind of evidence that will show change."),
            invalid_choice=_("Choose from the kinds of evidence listed."),
        ),
    )
    evidence_plan = forms.CharField(
        label=_("How you will see the change"),
        max_length=2000,
        required=False,
        widget=textarea(3),
        help_text=_("For example: “I will compare their written answers in October and December.”"),
    )
    review_on = forms.DateField(
        label=_("Review on"),
        widget=date_input(),
        help_text=_("When you will look back at it. You can add progress any time."),
        error_messages=error_messages(
            _("Enter the date you will review the goal."),
            invalid=_("Enter a real date, for example 27 3 2026."),
        ),
    )
    relationship = CoachingChoiceField(
        label=_("Who can read this goal?"),
        queryset=None,
        required=False,
        blank=True,
        widget=forms.RadioSelect,
        empty_label=_("Just me"),
        help_text=_(
            "Your coach reads a goal you share with them and can add progress to it. "
            "Leaders never see your goals."
        ),
        error_messages={
            "invalid_choice": _(
                "Choose coaching you are part of now, or keep the goal to yourself."
            )
        },
    )

    def __init__(self, *args, relationships=None, stored_review_on=None, **kwargs):
        """``relationships``: the coaching the goal may be linked to; ``None`` leaves the
        question out (a coach setting a goal for the coaching they are in)."""
        super().__init__(*args, **kwargs)
        self.stored_review_on = stored_review_on
        if relationships is None:
            del self.fields["relationship"]
        else:
            self.fields["relationship"].queryset = relationships

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value < timezone.localdate() and value != self.stored_review_on:
            raise forms.ValidationError(_("The review date cannot be in the past."))
        return value

    @staticmethod
    def initial_for(goal):
        return {
            "title": goal.title,
            "why": goal.why,
            "pupils": goal.pupils,
            "evidence_kinds": goal.evidence_kinds,
            "evidence_plan": goal.evidence_plan,
            "review_on": goal.review_on,
            "relationship": goal.relationship_id,
            "version": goal.version,
        }


class GoalEditForm(GoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(DatesMixin, forms.Form):
    not_after_today = ("written_on",)

    written_on = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date of this progress."),
            invalid=_("Enter a real date, for example 27 3 2026."),
        ),
    )
    note = forms.CharField(
        label=_("What has changed?"),
        max_length=4000,
        widget=textarea(4),
        help_text=_("What you did, what pupils did differently, what you will try next."),
        error_messages=error_messages(_("Write what has changed.")),
    )

    def clean_written_on(self):
        return not_in_future(
            self.cleaned_data["written_on"], _("Progress cannot be dated in the future.")
        )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Goal.Status.choices)


class ReflectionForm(DatesMixin, forms.Form):
    not_after_today = ("written_on",)

    written_on = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the date of the entry."),
            invalid=_("Enter a real date, for example 27 3 2026."),
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages=error_messages(_("Give the entry a title.")),
    )
    body = forms.CharField(
        label=_("Your reflection"),
        max_length=10000,
        widget=textarea(8),
        help_text=_("What happened, what you noticed, what you think now. Only you can read this."),
        error_messages=error_messages(_("Write your reflection.")),
    )
    about = forms.ChoiceField(
        label=_("Is it about one of your goals or steps?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of your own goals or steps.")},
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        choices = [("", _("No, it is not about one of them"))]
        choices += [
            (f"goal-{goal.pk}", _("Goal: %(title)s") % {"title": goal.title})
            for goal in topics.goals
        ]
        choices += [
            (f"step-{step.pk}", _("Step: %(title)s") % {"title": step.title})
            for step in topics.steps
        ]
        self.fields["about"].choices = choices

    def clean_written_on(self):
        return not_in_future(
            self.cleaned_data["written_on"], _("An entry cannot be dated in the future.")
        )

    def entry(self):
        """The entry as the services take it: its date, title and body, and the goal or step
        it is about (either or both ``None``)."""
        about = self.cleaned_data.get("about") or ""
        goals = {f"goal-{goal.pk}": goal for goal in self.topics.goals}
        steps = {f"step-{step.pk}": step for step in self.topics.steps}
        return {
            **{key: self.cleaned_data[key] for key in ("written_on", "title", "body")},
            "goal": goals.get(about),
            "action_step": steps.get(about),
        }

    @staticmethod
    def initial_for(reflection):
        about = ""
        if reflection.goal_id:
            about = f"goal-{reflection.goal_id}"
        elif reflection.action_step_id:
            about = f"step-{reflection.action_step_id}"
        return {
            "written_on": reflection.written_on,
            "title": reflection.title,
            "body": reflection.body,
            "about": about,
        }
