from django import forms
from django.utils.translation import gettext_lazy as _


class AdaptationForm(forms.Form):
    """One "hide" box and one "our name" box per step of the trust's framework."""

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        for step in steps:
            self.fields[f"hide-{step.pk}"] = forms.BooleanField(
                label=_("Hide “%(title)s”") % {"title": step.trust_title},
                required=False,
                initial=step.hidden,
            )
            self.fields[f"title-{step.pk}"] = forms.CharField(
                label=_("The school's name for “%(title)s”") % {"title": step.trust_title},
                required=False,
                max_length=200,
                initial="" if step.title == step.trust_title else step.title,
                error_messages={"max_length": _("Keep the name to 200 characters or fewer.")},
            )

    def rows(self):
        return [(step, self[f"hide-{step.pk}"], self[f"title-{step.pk}"]) for step in self.steps]

    def changes(self):
        """(step, hidden, title) for every step whose adaptation differs from what it was."""
        result = []
        for step in self.steps:
            hidden = self.cleaned_data[f"hide-{step.pk}"]
            title = self.cleaned_data[f"title-{step.pk}"].strip()
            before = "" if step.title == step.trust_title else step.title
            if (hidden, title) != (step.hidden, before):
                result.append((step, hidden, title))
        return result


class SchoolStepForm(forms.Form):
    strand = forms.ChoiceField(
        label=_("Strand"), error_messages={"required": _("Choose a strand.")}
    )
    title = forms.CharField(
        label=_("The step"),
        max_length=200,
        error_messages={"required": _("Write the step.")},
    )
    looks_like = forms.CharField(
        label=_("What it looks like in the classroom"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Say what the step looks like in the classroom.")},
    )
    why_it_works = forms.CharField(
        label=_("Why it works"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Say why the step works.")},
    )
    how_to_rehearse = forms.CharField(
        label=_("How to rehearse it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Say how to rehearse the step.")},
    )

    def __init__(self, *args, strands, **kwargs):
        super().__init__(*args, **kwargs)
        self.strands = {str(strand.pk): strand for strand in strands}
        self.fields["strand"].choices = [("", _("Choose a strand"))] + [
            (str(strand.pk), strand.title) for strand in strands
        ]

    def clean_strand(self):
        return self.strands[self.cleaned_data["strand"]]
