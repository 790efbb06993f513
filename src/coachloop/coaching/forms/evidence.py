"""Forms for evidence on the teacher's goals and steps: a file, a link, or what pupils said.

What a file contains, and whether it is too large, is checked by ``common.uploads``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import error_messages, textarea
from coachloop.common.uploads import KINDS, too_large_message

ACCEPT = ",".join(f".{ending}" for kind in KINDS for ending in kind.endings)


class EvidenceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Choose a file"),
        allow_empty_file=True,  # the upload check says so, in its own words
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ACCEPT}),
        error_messages=error_messages(
            _("Choose a file to add."),
            invalid=_("Choose a file to add."),
            missing=_("Choose a file to add."),
        ),
    )
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        help_text=_("If you leave it empty, the file’s name is used."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=4000,
        required=False,
        widget=textarea(3),
        help_text=_("What it shows. No pupil’s name, in the note or in the file."),
    )

    def __init__(self, *args, max_bytes, too_large=(), **kwargs):
        """``too_large``: names of files dropped while they arrived, for being over the limit."""
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.too_large = list(too_large)
        if self.too_large:
            self.fields["file"].required = False
        self.fields["file"].help_text = _(
            "A PDF, an image (PNG, JPEG, GIF or WebP), a document (Word, Excel, PowerPoint "
            "or OpenDocument text) or plain text, up to %(limit)d MB."
        ) % {"limit": max(1, max_bytes // (1024 * 1024))}

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message(self.too_large[0], self.max_bytes))
        return self.cleaned_data["file"]


class EvidenceLinkForm(forms.Form):
    url = forms.CharField(
        label=_("Link"),
        max_length=500,
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "A secure link (starting https://) to something kept elsewhere, such as a lesson video."
        ),
        error_messages=error_messages(_("Enter the link, starting https://")),
    )
    title = forms.CharField(
        label=_("What is it?"),
        max_length=200,
        help_text=_("For example “Lesson video, 12 March”."),
        error_messages=error_messages(
            _("Say what the link is, for example “Lesson video, 12 March”.")
        ),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=4000,
        required=False,
        widget=textarea(3),
    )


class PupilVoiceForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Exit tickets, 9X2”."),
        error_messages=error_messages(_("Give it a short title, for example “Exit tickets, 9X2”.")),
    )
    note = forms.CharField(
        label=_("What pupils said or did"),
        max_length=4000,
        widget=textarea(5),
        help_text=_(
            "In their words where you can. No names: write “a pupil in 9X2” or “several pupils”."
        ),
        error_messages=error_messages(_("Write what pupils said or did.")),
    )


EVIDENCE_FORMS = {
    "file": EvidenceFileForm,
    "link": EvidenceLinkForm,
    "pupil_voice": PupilVoiceForm,
}
