"""Forms for coaches as learners: a session review against the principles, a learning log
entry, and sharing a review with the school's coaching leads.

The conversations offered come from ``queries.reviews.review_choices``, so someone else's
coaching or another group's session is simply not a valid choice."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.principles import PRINCIPLES, Showing
from coachloop.coaching.services.reviews import ENTRY_LIMIT, REVIEW_TEXT_LIMIT, TITLE_LIMIT
from coachloop.common.forms import DatesMixin, date_input

NOT_LINKED = ""


def rating_field_name(principle):
    return f"principle_{principle.code}"


class SessionReviewForm(DatesMixin, forms.Form):
    not_after_today = ("held_on",)

    held_on = forms.DateField(
        label=_("Date of the conversation"),
        widget=date_input(),
        help_text=_("For a group session, the day the group met."),
        error_messages={"required": _("Enter the date of the conversation.")},
    )
    conversation = forms.ChoiceField(
        label=_("Which conversation"),
        required=False,
        help_text=_(
            "Only the teacher's name or the group is kept with your review, never what was said."
        ),
        error_messages={"invalid_choice": _("Choose a conversation from the list.")},
    )
    school = forms.ChoiceField(
        label=_("School"),
        required=False,
        help_text=_("Needed only when the review is not linked to a teacher or a group."),
        error_messages={"invalid_choice": _("Choose a school from the list.")},
    )
    went_well = forms.CharField(
        label=_("What went well"),
        required=False,
        max_length=REVIEW_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    try_next = forms.CharField(
        label=_("What I will try next time"),
        required=False,
        max_length=REVIEW_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    shared_with_qa = forms.BooleanField(
        label=_("Share with my QA lead"),
        required=False,
        help_text=_(
            "Your school's coaching leads will be able to read this review. Leave it unticked "
            "to keep it to yourself."
        ),
    )

    def __init__(self, *args, choices, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self._relationships = {f"r{r.pk}": r for r in choices.relationships}
        self._sessions = {f"g{s.pk}": s for s in choices.group_sessions}
        grouped = [(NOT_LINKED, _("Not linked to a teacher or group"))]
        if choices.relationships:
            grouped.append(
                (
                    _("Your coaching"),
                    [(key, self._relationship_label(r)) for key, r in self._relationships.items()],
                )
            )
        if choices.group_sessions:
            grouped.append(
                (
                    _("Group sessions"),
                    [(key, self._session_label(s)) for key, s in self._sessions.items()],
                )
            )
        self.fields["conversation"].choices = grouped
        self._schools = {str(school.pk): school for school in schools}
        if len(schools) > 1:
            self.fields["school"].choices = [("", _("Choose a school"))] + [
                (str(school.pk), school.name) for school in schools
            ]
        else:
            del self.fields["school"]
        for principle in PRINCIPLES:
            self.fields[rating_field_name(principle)] = forms.ChoiceField(
                label=principle.name,
                help_text=principle.explanation,
                choices=Showing.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say how far it showed: %(principle)s.")
                    % {"principle": principle.name},
                    "invalid_choice": _("Choose one of the answers."),
                },
            )

    @staticmethod
    def _relationship_label(relationship):
        label = f"{relationship.teacher.full_name} ({relationship.get_kind_display()})"
        if relationship.finished_on:
            return _("%(label)s, ended %(date)s") % {
                "label": label,
                "date": date_format(relationship.finished_on, "j F Y"),
            }
        return label

    @staticmethod
    def _session_label(session):
        return _("%(group)s, %(date)s") % {
            "group": session.group.name,
            "date": date_format(session.met_on, "j F Y"),
        }

    def rating_fields(self):
        return [(principle, self[rating_field_name(principle)]) for principle in PRINCIPLES]

    def review_fields(self):
        """The service's arguments, from the cleaned data."""
        data = self.cleaned_data
        chosen = data.get("conversation") or NOT_LINKED
        return {
            "held_on": data["held_on"],
            "relationship": self._relationships.get(chosen),
            "group_session": self._sessions.get(chosen),
            "school": self._schools.get(data.get("school") or ""),
            "ratings": {p.code: data[rating_field_name(p)] for p in PRINCIPLES},
            "went_well": data["went_well"],
            "try_next": data["try_next"],
            "shared_with_qa": data["shared_with_qa"],
        }


class ReviewShareForm(forms.Form):
    shared_with_qa = forms.BooleanField(required=False)


class LearningEntryForm(DatesMixin, forms.Form):
    not_after_today = ("written_on",)

    written_on = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages={"required": _("Enter the date.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LIMIT,
        help_text=_("For example, the course, the reading or the conversation it came from."),
        error_messages={"required": _("Give the entry a title.")},
    )
    body = forms.CharField(
        label=_("What I learnt"),
        max_length=ENTRY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write what you learnt.")},
    )
