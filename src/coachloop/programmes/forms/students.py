"""Forms for the teacher's pages: their work on an assignment, and their portfolio."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.coaching.forms.evidence import ACCEPT
from coachloop.common.forms import error_messages, textarea
from coachloop.common.uploads import too_large_message
from coachloop.programmes.services.submissions import MAX_FILES


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (none allowed); each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "accept": ACCEPT})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)]


class SubmissionForm(forms.Form):
    DRAFT, FINAL = "draft", "final"

    text = forms.CharField(
        label=_("Your work"),
        max_length=100_000,
        widget=textarea(18),
        error_messages=error_messages(_("Write or paste your work before you submit it.")),
    )
    files = MultipleFileField(
        label=_("Attach files (optional)"),
        required=False,
        allow_empty_file=True,  # the upload check says so, in its own words
    )
    action = forms.ChoiceField(
        choices=[(DRAFT, _("Save a draft")), (FINAL, _("Hand in the final version"))],
        required=False,
    )
    confirm_final = forms.BooleanField(
        label=_("I am handing in my final version: I cannot change it or add to it afterwards"),
        help_text=_("Tick this only to hand in. Saving a draft needs no tick."),
        required=False,
    )

    def __init__(self, *args, max_bytes, too_large=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.too_large = list(too_large)
        self.fields["files"].help_text = _(
            "Up to %(count)d files: PDF, images, Word, Excel, PowerPoint, OpenDocument text or "
            "plain text, each up to %(limit)d MB."
        ) % {"count": MAX_FILES, "limit": max(1, max_bytes // (1024 * 1024))}

    def clean_files(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message(self.too_large[0], self.max_bytes))
        return self.cleaned_data["files"]

    def clean(self):
        """Handing in cannot be undone, so it needs the teacher's tick as well as the button:
        without it nothing is handed in and what they wrote is shown again."""
        cleaned = super().clean()
        if self.is_final and not cleaned.get("confirm_final"):
            self.add_error(
                "confirm_final",
                _(
                    "Nothing is handed in yet. To hand in your final version, tick the box to "
                    "confirm it, then choose “Hand in the final version” again."
                ),
            )
        if self.errors and cleaned.get("files") and "files" not in self.errors:
            self.add_error("files", _("Your files were not kept: choose them again."))
        return cleaned

    @property
    def is_final(self):
        return self.cleaned_data.get("action") == self.FINAL


class PortfolioAddForm(forms.Form):
    """One of the teacher's own items, from the choices the page offered."""

    item = forms.ChoiceField(
        error_messages=error_messages(
            _("Choose something of yours to add to the portfolio."),
            invalid_choice=_("That is not one of yours to add. Choose from the list."),
        )
    )

    def __init__(self, *args, builder, **kwargs):
        super().__init__(*args, **kwargs)
        self.builder = builder
        self.fields["item"].choices = [(c.key, c.title) for c in builder.choices]

    def chosen(self):
        return self.builder.choice(self.cleaned_data["item"]).item
