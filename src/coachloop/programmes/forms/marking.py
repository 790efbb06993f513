"""Forms for the markers and the moderator: a mark criterion by criterion, the moderator's
decision, an extension and formative feedback on a draft.

A mark is a whole number from 0 to 100; the services check it again, so a mark that slips past
a form is still refused."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import date_input, error_messages, textarea

MARK_HELP = _("A whole number from 0 to 100.")


OUT_OF_RANGE = _("Each mark must be a whole number from 0 to 100.")


def mark_field(
    label, required_message, *, help_text=MARK_HELP, required=True, out_of_range=OUT_OF_RANGE
):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages=error_messages(
            required_message,
            invalid=out_of_range,
            min_value=out_of_range,
            max_value=out_of_range,
        ),
    )


def criterion_field_name(criterion):
    return f"criterion_{criterion.pk}"


class MarkForm(forms.Form):
    comments = forms.CharField(
        label=_("Overall comment"),
        help_text=_("The feedback the teacher reads with their mark, once it is released."),
        max_length=8000,
        widget=textarea(8),
        error_messages=error_messages(_("Write the feedback the teacher will read with the mark.")),
    )

    def __init__(self, *args, criteria, later=False, **kwargs):
        """``later``: "save and finish later", where any mark or the comment may be blank."""
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {}
        for criterion in self.criteria:
            help_text = _("Weight %(weight)s%%. A whole number from 0 to 100.") % {
                "weight": criterion.weight
            }
            if criterion.description:
                help_text = f"{criterion.description} {help_text}"
            scores[criterion_field_name(criterion)] = mark_field(
                criterion.title,
                _("Give a mark for %(criterion)s.") % {"criterion": criterion.title},
                help_text=help_text,
                required=not later,
            )
        # The criteria come first, then the comment.
        self.fields = {**scores, "comments": self.fields["comments"]}
        self.fields["comments"].required = not later

    def criterion_fields(self):
        return [self[criterion_field_name(c)] for c in self.criteria]

    def scores(self):
        return {str(c.pk): self.cleaned_data[criterion_field_name(c)] for c in self.criteria}

    @staticmethod
    def initial_from(claim):
        """What a marker saved to finish later, as the form's first values."""
        if claim is None:
            return None
        initial = {f"criterion_{key}": value for key, value in claim.scores.items()}
        initial["comments"] = claim.comments
        return initial


class ModerateForm(forms.Form):
    AGREE, CHANGE = "agree", "change"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[(AGREE, _("Agree the mark")), (CHANGE, _("Change the mark"))],
        widget=forms.RadioSelect,
        error_messages=error_messages(
            _("Say whether you agree the mark or change it."),
            invalid_choice=_("Say whether you agree the mark or change it."),
        ),
    )
    mark = mark_field(
        _("Moderated mark"),
        _("Enter the moderated mark."),
        help_text=_("Only if you change the mark: a whole number from 0 to 100."),
        required=False,
        out_of_range=_("The moderated mark must be a whole number from 0 to 100."),
    )
    note = forms.CharField(
        label=_("Note for the markers"),
        help_text=_("Needed when you change the mark: say why."),
        required=False,
        max_length=2000,
        widget=textarea(5),
    )

    def clean(self):
        data = super().clean()
        missing = data.get("decision") == self.CHANGE and data.get("mark") is None
        if missing and "mark" not in self.errors:
            self.add_error("mark", _("Enter the moderated mark."))
        return data

    def service_fields(self):
        data = self.cleaned_data
        agree = data["decision"] == self.AGREE
        return {
            "agree": agree,
            "mark": None if agree else data["mark"],
            "note": data["note"],
        }


class ExtensionForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"),
        widget=date_input(),
        error_messages=error_messages(
            _("Enter the new due date."), invalid=_("Enter the new due date as a real date.")
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The teacher and the exam board see it."),
        max_length=2000,
        widget=textarea(4),
        error_messages=error_messages(
            _("Say why the extension is granted: the teacher and the board see it.")
        ),
    )

    def __init__(self, *args, due_at, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_at = timezone.localtime(due_at)
        self.fields["due_on"].help_text = _(
            "The work will be due at %(time)s on that day. Now due on %(date)s."
        ) % {
            "time": time_format(self.due_at, "H:i"),
            "date": date_format(self.due_at, "j F Y"),
        }
        self.fields["due_on"].widget.attrs["min"] = self.due_at.date().isoformat()

    def new_due_at(self):
        """The chosen day, at the time of day the work is due now."""
        return timezone.make_aware(
            dt.datetime.combine(
                self.cleaned_data["due_on"], self.due_at.time().replace(tzinfo=None)
            )
        )


class FeedbackForm(forms.Form):
    body = forms.CharField(
        label=_("Your feedback on this draft"),
        help_text=_("Formative: it helps the teacher improve the work, it is not a mark."),
        max_length=8000,
        widget=textarea(8),
        error_messages=error_messages(_("Write your feedback before you send it.")),
    )
