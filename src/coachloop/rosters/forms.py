"""The forms of the import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coachloop.common.forms import date_input
from coachloop.common.uploads import check_inside, clean_file_name

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # larger files go through the import commands
ROSTER_SUFFIXES = (".zip", ".csv", ".xlsx")


def _file_input(accept):
    return forms.FileInput(attrs={"class": "govuk-file-upload", "accept": accept})


def _checked_size(upload, command):
    """An upload within the page's size limit, looked inside (``common.uploads.check_inside``:
    a zip that expands too far or holds something unsafe is refused before anything reads
    it, and the virus check runs when set up)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _(
                "The file is larger than 100 MB: ask your operator to import it with the "
                "%(command)s command."
            )
            % {"command": command}
        )
    check_inside(upload, clean_file_name(upload.name))
    return upload


class StaffUploadForm(forms.Form):
    roster = forms.FileField(
        label=_("The staff file"),
        help_text=_(
            "A OneRoster export (a .zip file, version 1.1 or 1.2) from your MIS or data broker, "
            "or Coachloop's staff spreadsheet filled in (.csv or .xlsx)."
        ),
        error_messages={"required": _("Choose the file to import.")},
        widget=_file_input(",".join(ROSTER_SUFFIXES)),
    )
    full_list = forms.BooleanField(
        label=_("This spreadsheet lists everyone at its schools"),
        required=False,
        help_text=_(
            "For Coachloop's staff spreadsheet only. Tick it if anyone missing from the list "
            "has left: their roles at that school then end. Leave it unticked to add and "
            "change people only. (A OneRoster export says this itself.)"
        ),
    )
    leaders = forms.BooleanField(
        label=_("Bring in OneRoster administrators as school leaders"),
        required=False,
        initial=True,
        help_text=_(
            "School leaders see their school's figures, never anyone's coaching. Untick this "
            "if your MIS marks office staff as administrators."
        ),
    )
    exported_on = forms.DateField(
        label=_("Date of the export (optional)"),
        required=False,
        help_text=_(
            "Roles of people who have left end on this date. Leave it empty to use the date "
            "in the file, or today."
        ),
        widget=date_input(),
        error_messages={"invalid": _("Enter the date of the export, like 2026-09-01.")},
    )

    def clean_roster(self):
        upload = self.cleaned_data["roster"]
        if not upload.name.lower().endswith(ROSTER_SUFFIXES):
            raise forms.ValidationError(_("Choose a .zip, .csv or .xlsx file."))
        return _checked_size(upload, "import_roster")


class ApplyForm(forms.Form):
    """Applying. When many would leave, the administrator says that they have."""

    confirm_leaving = forms.BooleanField(
        label=_("Yes, these people have left"),
        required=False,
    )
    invite = forms.BooleanField(
        label=_("Email each new person a link to choose a password"),
        required=False,
        help_text=_(
            "Leave this unticked if your staff sign in with your trust's own accounts, or if "
            "you would rather tell them yourself. New people can always use “Forgotten your "
            "password?” on the sign-in page."
        ),
    )

    def __init__(self, *args, leaving=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.many_leaving = leaving
        if not leaving:
            del self.fields["confirm_leaving"]
        else:
            self.fields["confirm_leaving"].required = True
            self.fields["confirm_leaving"].error_messages["required"] = _(
                "Tick the box to say that these people have left, or check the file."
            )


class OrgChoiceForm(forms.Form):
    """Which school one of the roster's organisations is."""

    source_id = forms.CharField(widget=forms.HiddenInput, max_length=255)
    school = forms.ModelChoiceField(
        queryset=None,
        label=_("Which school is it?"),
        empty_label=_("Choose a school"),
        error_messages={
            "required": _("Choose the school"),
            "invalid_choice": _("Choose one of your trust's schools."),
        },
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class SchoolsUploadForm(forms.Form):
    establishments = forms.FileField(
        label=_("Establishments file"),
        help_text=_(
            "From Get Information about Schools: your trust's page, “Download data”, the "
            "establishment fields CSV. The national file (edubasealldata…csv) works too."
        ),
        error_messages={"required": _("Choose the establishments file.")},
        widget=_file_input(".csv"),
    )
    links = forms.FileField(
        label=_("Group links file (optional)"),
        required=False,
        help_text=_(
            "The trust's links file from the same page: it gives the trust's Companies House "
            "number and its schools that joined under another name."
        ),
        widget=_file_input(".csv"),
    )
    group_uid = forms.RegexField(
        regex=r"^\d{1,10}$",
        label=_("Your trust's group UID"),
        help_text=_("The number in the address of your trust's page on the register."),
        error_messages={
            "required": _("Enter your trust's group UID."),
            "invalid": _("Enter the group UID as a number, like 4124."),
        },
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def clean_establishments(self):
        return _checked_size(self.cleaned_data["establishments"], "import_gias")

    def clean_links(self):
        upload = self.cleaned_data.get("links")
        return _checked_size(upload, "import_gias") if upload else upload
