"""Forms for starting each kind of coaching (assigning a coach to a teacher, within the school's
caseload limit), ending it, handing it over, and the teacher's answer about their earlier
notes. Choices of people and strands come from queries, so someone from another school is
simply not a valid choice; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.coaching.services.relationships import (
    END_EARLIER,
    KEEP_BOTH,
    MAX_CADENCE_DAYS,
    MIN_CADENCE_DAYS,
    SUBJECT_LIMIT,
    Kind,
)
from coachloop.common.forms import DatesMixin, PersonChoiceField, date_field, not_in_future

DEFAULT_MENTORING_DAYS = 14


class CoachChoiceField(forms.ModelChoiceField):
    """A coach, with how many teachers they coach here against the school's limit."""

    def __init__(self, *args, limit, **kwargs):
        self.limit = limit
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        caseload = getattr(obj, "caseload", None)
        if caseload is None:
            return obj.full_name
        return ngettext(
            "%(name)s (coaches %(count)d teacher, limit %(limit)d)",
            "%(name)s (coaches %(count)d teachers, limit %(limit)d)",
            caseload,
        ) % {"name": obj.full_name, "count": caseload, "limit": self.limit}


class TeacherChoiceField(PersonChoiceField):
    """A teacher, with the coaching they have now and its kind (``coaching``: teacher id to
    ``coaching_now`` rows), so the lead sees who already has a coach before choosing; a
    teacher with none is shown by name alone."""

    coaching = {}

    def label_from_instance(self, obj):
        name = super().label_from_instance(obj)
        running = self.coaching.get(obj.pk)
        if not running:
            return name
        now = "; ".join(f"{one.kind_label}: {one.coach_name}" for one in running)
        return f"{name} ({now})"


class StartsTodayOrBefore(DatesMixin):
    """Coaching that starts (``started_on``) today or on a date in the past."""

    not_after_today = ("started_on",)

    def clean_started_on(self):
        return not_in_future(
            self.cleaned_data["started_on"],
            _("Coaching can start today or on a date in the past."),
        )


class AssignCoachForm(StartsTodayOrBefore, forms.Form):
    """A coach for a teacher, within the school's caseload limit, or past it once the lead
    confirms ("assign anyway"). Instructional coaching here; mentoring and specialist coaching
    (below) add fields of their own (``kind_fields``)."""

    kind = Kind.INSTRUCTIONAL

    teacher = TeacherChoiceField(
        label=_("Teacher"),
        queryset=None,
        empty_label=_("Choose a teacher"),
        error_messages={
            "required": _("Choose a teacher."),
            "invalid_choice": _("Choose a teacher from the list."),
        },
    )
    coach = CoachChoiceField(
        label=_("Coach"),
        queryset=None,
        limit=0,
        empty_label=_("Choose a coach"),
        error_messages={
            "required": _("Choose a coach."),
            "invalid_choice": _("Choose a coach from the list."),
        },
    )
    started_on = date_field(
        _("Coaching starts on"),
        _("Enter the date the coaching starts."),
    )
    assign_anyway = forms.BooleanField(
        label=_("Assign anyway"),
        required=False,
        help_text=_("The coach will have more teachers than the school's limit."),
    )
    same_kind = forms.ChoiceField(
        label=_("What should happen to the coaching the teacher has now?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (END_EARLIER, _("End it on the day this coaching starts")),
            (KEEP_BOTH, _("Keep both on purpose: the teacher will have two coaches of this kind")),
        ],
        help_text=_(
            "A teacher usually has one coach of each kind. Ending the coaching now keeps what "
            "was recorded, and its coach can still read it for a while."
        ),
        error_messages={
            "invalid_choice": _("Choose whether to end the coaching there is or keep both.")
        },
    )

    def __init__(self, *args, teachers, coaches, limit, coaching=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["teacher"].coaching = coaching or {}
        self.same_kind_running = []  # the coaching a refusal named (``SameKindRunning``)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].limit = limit
        self.fields["coach"].help_text = ngettext(
            "The school's limit is %(limit)d teacher per coach. You will be asked to confirm "
            "before a coach goes past it.",
            "The school's limit is %(limit)d teachers per coach. You will be asked to confirm "
            "before a coach goes past it.",
            limit,
        ) % {"limit": limit}

    @property
    def ask_to_confirm(self):
        """Show the "assign anyway" box: the lead ticked it, or the coach is at the limit."""
        return self.is_bound and (
            bool(self["assign_anyway"].value()) or "assign_anyway" in self.errors
        )

    def coaching_rows(self):
        """Each teacher on offer, with the coaching they have now (``CoachingNow`` rows)."""
        field = self.fields["teacher"]
        return [(teacher, field.coaching.get(teacher.pk, [])) for teacher in field.queryset]

    @property
    def ask_same_kind(self):
        """Show the choice to end or keep the coaching of this kind the teacher has: a
        refusal named it, or the lead has chosen already."""
        return self.is_bound and (
            bool(self.same_kind_running)
            or bool(self["same_kind"].value())
            or "same_kind" in self.errors
        )

    def kind_fields(self):
        """The kind's own fields, for ``coach_assign`` (none for instructional coaching)."""
        return {}


def _started_on():
    return date_field(_("Starts on"), _("Enter the date the coaching starts."))


def _teacher_field(label, *, required_message, field_class=TeacherChoiceField):
    return field_class(
        label=label,
        queryset=None,
        empty_label=_("Choose a teacher"),
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose a teacher from the list."),
        },
    )


def _coach_field(label, *, required_message):
    return CoachChoiceField(
        label=label,
        queryset=None,
        limit=0,
        empty_label=_("Choose from the school's coaches"),
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose from the list."),
        },
    )


class MentoringForm(AssignCoachForm):
    kind = Kind.MENTORING

    teacher = _teacher_field(
        _("Teacher being mentored"), required_message=_("Choose the teacher being mentored.")
    )
    coach = _coach_field(_("Mentor"), required_message=_("Choose a mentor."))
    started_on = _started_on()
    induction_starts_on = date_field(
        _("Induction period starts on"),
        _("Enter the date the induction period starts."),
        help_text=_("For an early-career teacher, usually the day they started teaching."),
    )
    induction_ends_on = date_field(
        _("Induction period ends on"),
        _("Enter the date the induction period ends."),
    )
    cadence_days = forms.IntegerField(
        label=_("Days between meetings"),
        help_text=_(
            "Mentoring keeps its own rhythm, whatever the school's coaching model says. "
            "From %(low)d to %(high)d days."
        )
        % {"low": MIN_CADENCE_DAYS, "high": MAX_CADENCE_DAYS},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}
        ),
        error_messages={
            "required": _("Enter how many days there should be between meetings."),
            "invalid": _("Enter a whole number of days, like 14."),
        },
    )

    field_order = [
        "teacher",
        "coach",
        "started_on",
        "induction_starts_on",
        "induction_ends_on",
        "cadence_days",
        "assign_anyway",
        "same_kind",
    ]

    def clean_cadence_days(self):
        value = self.cleaned_data["cadence_days"]
        if not MIN_CADENCE_DAYS <= value <= MAX_CADENCE_DAYS:
            raise forms.ValidationError(
                _("Enter a number of days between meetings from %(low)d to %(high)d.")
                % {"low": MIN_CADENCE_DAYS, "high": MAX_CADENCE_DAYS}
            )
        return value

    def clean(self):
        data = super().clean()
        starts, ends = data.get("induction_starts_on"), data.get("induction_ends_on")
        if starts and ends and ends <= starts:
            self.add_error("induction_ends_on", _("The induction period must end after it starts."))
        return data

    def kind_fields(self):
        data = self.cleaned_data
        names = ("induction_starts_on", "induction_ends_on", "cadence_days")
        return {name: data[name] for name in names}


class StrandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.version.framework.name})"


class SpecialistForm(AssignCoachForm):
    kind = Kind.SPECIALIST

    teacher = _teacher_field(_("Teacher"), required_message=_("Choose a teacher."))
    coach = _coach_field(_("Specialist coach"), required_message=_("Choose a coach."))
    started_on = _started_on()
    strand = StrandChoiceField(
        label=_("Strand of the framework"),
        queryset=None,
        required=False,
        empty_label=_("Not one strand"),
        help_text=_("The aspect of practice this coaching is about, if it is one strand."),
        error_messages={"invalid_choice": _("Choose a strand from the list.")},
    )
    subject = forms.CharField(
        label=_("Or a subject or aspect of practice"),
        required=False,
        max_length=SUBJECT_LIMIT,
        help_text=_("For example, teaching early reading, or practical work in science."),
    )

    field_order = [
        "teacher",
        "coach",
        "started_on",
        "strand",
        "subject",
        "assign_anyway",
        "same_kind",
    ]

    def __init__(self, *args, strands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strand"].queryset = strands

    def clean(self):
        data = super().clean()
        missing = not data.get("strand") and not (data.get("subject") or "").strip()
        if missing and "strand" not in self.errors and "subject" not in self.errors:
            self.add_error(
                "strand",
                _("Choose the strand of the framework this coaching is about, or name a subject."),
            )
        return data

    def kind_fields(self):
        return {"strand": self.cleaned_data["strand"], "subject": self.cleaned_data["subject"]}


class CoCoachingForm(StartsTodayOrBefore, forms.Form):
    teacher = _teacher_field(
        _("First teacher"),
        required_message=_("Choose the first teacher."),
        field_class=PersonChoiceField,
    )
    peer = _teacher_field(
        _("Second teacher"),
        required_message=_("Choose the second teacher."),
        field_class=PersonChoiceField,
    )
    started_on = _started_on()

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["peer"].queryset = teachers

    def clean(self):
        data = super().clean()
        if data.get("teacher") and data.get("teacher") == data.get("peer"):
            self.add_error(
                "peer", _("Choose two different teachers: co-coaching is between two peers.")
            )
        return data


class EndForm(DatesMixin, forms.Form):
    not_after_today = ("finished_on",)

    finished_on = date_field(_("Ends on"), _("Enter the date the coaching ends."))


class HandoverForm(forms.Form):
    coach = _coach_field(_("New coach"), required_message=_("Choose the new coach."))

    def __init__(self, *args, coaches, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].limit = limit


class ConsentForm(forms.Form):
    AGREE, NOT_NOW, WITHDRAW = "agree", "not_now", "withdraw"
    answer = forms.ChoiceField(
        choices=[(AGREE, _("Yes")), (NOT_NOW, _("Not now")), (WITHDRAW, _("Stop sharing"))],
        error_messages={
            "required": _("Choose whether your new coach may read your earlier notes."),
            "invalid_choice": _("Choose whether your new coach may read your earlier notes."),
        },
    )
