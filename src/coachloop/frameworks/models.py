"""Frameworks for teaching: a framework has versions; a version has strands and steps.

Steps can be mapped to statements of a reference framework published elsewhere (England's
Early Career Framework, say), so a mentor can show which statutory content coaching covered.
Reference frameworks are public documents, the same for every trust, so they are not
tenant-owned; the mappings from a trust's steps to them are.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class Framework(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "slug"], name="framework_slug_unique_in_trust")
        ]

    def __str__(self):
        return self.name


class FrameworkVersion(TenantModel):
    """A published version. Loading a framework again adds a version; old ones stay."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    label = models.CharField(_("label"), max_length=40, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(_("current version"), default=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="framework_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(is_current=True),
                name="framework_one_current_version",
            ),
        ]

    def __str__(self):
        return f"{self.framework} v{self.number}"


class Strand(TenantModel):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="strands")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="strand_code_unique_in_version"
            )
        ]

    def __str__(self):
        return self.title


class Step(TenantModel):
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    looks_like = models.TextField(_("what it looks like in the classroom"))
    why_it_works = models.TextField(_("why it works"))
    how_to_rehearse = models.TextField(_("how to rehearse it"))
    position = models.PositiveIntegerField(default=0)
    school = models.ForeignKey(
        "people.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when a school added this step to its adaptation of the framework."),
    )
    reference_statements = models.ManyToManyField(
        "ReferenceStatement", through="StepMapping", related_name="steps", blank=True
    )

    class Meta:
        ordering = ["strand__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strand", "code"], name="step_code_unique_in_strand")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class StepAdaptation(TenantModel):
    """A school's change to one of the trust's steps: hidden, renamed, or both.

    Keyed by the strand's and step's codes rather than the step row, so the change carries
    over to each new version of the framework that keeps those codes.
    """

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    strand_code = models.CharField(max_length=20)
    step_code = models.CharField(max_length=20)
    hidden = models.BooleanField(_("hide this step"), default=False)
    title = models.CharField(_("the school's name for it"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "framework", "strand_code", "step_code"],
                name="step_adaptation_once_per_step",
            )
        ]

    def __str__(self):
        return f"{self.strand_code}/{self.step_code}"


class ReferenceFramework(models.Model):
    """A published framework that steps map to, such as the Early Career Framework."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    attribution = models.TextField(blank=True)

    def __str__(self):
        return self.name


class ReferenceStatement(models.Model):
    class Kind(models.TextChoices):
        KNOW = "learn_that", _("Learn that")
        DO = "learn_how_to", _("Learn how to")

    framework = models.ForeignKey(
        ReferenceFramework, on_delete=models.CASCADE, related_name="statements"
    )
    code = models.CharField(max_length=20)
    section_number = models.PositiveIntegerField()
    section_title = models.CharField(max_length=200)
    heading = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="reference_statement_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class StepMapping(TenantModel):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="mappings")
    statement = models.ForeignKey(
        ReferenceStatement, on_delete=models.CASCADE, related_name="mappings"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "statement"], name="step_mapping_unique")
        ]

    def __str__(self):
        return f"{self.step} maps to {self.statement.code}"
