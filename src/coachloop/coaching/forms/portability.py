"""The form for bringing a teacher's record in from elsewhere."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.common.uploads import check_inside, clean_file_name

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # larger records go through ``manage.py import_teacher``


class RecordImportForm(forms.Form):
    record = forms.FileField(
        label=_("The teacher's record file"),
        help_text=_(
            "The JSON file the teacher downloaded from “Download my record” in Coachloop "
            "where they worked before."
        ),
        error_messages={"required": _("Choose the record file to import.")},
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".json"}),
    )

    def clean_record(self):
        upload = self.cleaned_data["record"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 200 MB: ask your operator to import it with the "
                    "import_teacher command."
                )  # fmt: skip
            )
        # The virus check, when set up; each evidence file in the record is checked again as
        # an upload of its own when the record is read.
        check_inside(upload, clean_file_name(upload.name))
        return upload
