from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from coachloop.common.tenancy import TenantModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is needed to sign in.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        # For operations. The admin site also needs an administrator role in a trust.
        extra.update(is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. People are not tenant-owned: a teacher can move between trusts.

    What someone may do comes from their memberships (roles in a school or trust), the admin
    site included, so there is no separate "staff" flag to keep in step with them.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Someone who is not active cannot sign in.")
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Trust(models.Model):
    """The tenant. A school that is not in a trust is a trust of one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    companies_house_number = models.CharField(max_length=20, blank=True)
    # Two-step sign-in (people/two_step.py): leaders always use it; a trust may ask it of
    # everyone.
    two_step_for_everyone = models.BooleanField(
        _("two-step sign-in for everyone"),
        default=False,
        help_text=_(
            "Headteachers, trust leads, administrators and programme leads always use two-step "
            "sign-in. Tick this to ask it of everyone in the trust, from their next sign-in."
        ),
    )
    # Only the demo built by ``manage.py load_demo`` sets this, so that its accounts can be
    # tried with a password alone; no page or form offers it.
    two_step_waived_for_demo = models.BooleanField(
        _("demo: two-step sign-in not required"), default=False, editable=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(TenantModel):
    class Phase(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        SECONDARY = "secondary", _("Secondary")
        ALL_THROUGH = "all_through", _("All-through")
        SPECIAL = "special", _("Special")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"))
    urn = models.CharField(
        _("URN"), max_length=10, blank=True, help_text=_("The school's unique reference number.")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "slug"], name="school_slug_unique_in_trust"),
            models.UniqueConstraint(fields=["urn"], condition=~Q(urn=""), name="school_urn_unique"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    COACH = "coach", _("Coach")
    COACHING_LEAD = "coaching_lead", _("Coaching lead")
    HEADTEACHER = "headteacher", _("Headteacher")
    TRUST_LEAD = "trust_lead", _("Trust lead")
    ADMINISTRATOR = "administrator", _("Administrator")
    # A partner university's lead, tutor or moderator: what they may do on a programme comes
    # from their part in it (programmes.ProgrammeStaff), not from this role.
    PARTNER_STAFF = "partner_staff", _("University staff")


TRUST_WIDE_ROLES = {Role.TRUST_LEAD, Role.ADMINISTRATOR, Role.PARTNER_STAFF}


class StaffGroup(models.TextChoices):
    """Which group of staff a teacher belongs to: a school's coaching model sets a rhythm
    for each."""

    EARLY_CAREER = "early_career", _("Early-career teachers")
    TEACHER = "teacher", _("Teachers")
    LEADER = "leader", _("Leaders")


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(finished_on__isnull=True) | Q(finished_on__gte=on), started_on__lte=on)


class Membership(TenantModel):
    """One role a person holds, for a period, in a school (or across the trust)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Leave empty for a role across the whole trust."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    staff_group = models.CharField(
        _("staff group"),
        max_length=20,
        choices=StaffGroup.choices,
        default=StaffGroup.TEACHER,
        help_text=_("For a teacher's role: the group whose coaching rhythm applies."),
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(MembershipQuerySet), trust="trust_id"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user__full_name", "role"]
        indexes = [models.Index(fields=["user", "role"]), models.Index(fields=["school", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False)
                | Q(role__in=["trust_lead", "administrator", "partner_staff"]),
                name="membership_school_needed_for_school_roles",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("started_on")),
                name="membership_finishes_after_it_starts",
            ),
        ]

    def __str__(self):
        where = self.school or self.trust
        return f"{self.user} – {self.get_role_display()} – {where}"

    def clean(self):
        if self.school_id and self.trust_id and self.school.trust_id != self.trust_id:
            raise ValidationError(_("The school must belong to the same trust."))
        if not self.school_id and self.role not in TRUST_WIDE_ROLES:
            # Not tied to the school field: some forms that check a role do not show it.
            raise ValidationError(_("This role needs a school."))
        if self.user_id and self.role and self.started_on and self._overlapping().exists():
            raise ValidationError(
                _("This person already holds this role here for part of that time.")
            )

    def _overlapping(self):
        others = Membership.objects.filter(
            user_id=self.user_id, role=self.role, school_id=self.school_id
        ).exclude(pk=self.pk)
        others = others.filter(Q(finished_on__isnull=True) | Q(finished_on__gte=self.started_on))
        if self.finished_on:
            others = others.filter(started_on__lte=self.finished_on)
        return others


class AcademicYear(TenantModel):
    name = models.CharField(_("name"), max_length=20, help_text=_("For example 2026/27."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "name"], name="academic_year_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name


class Term(TenantModel):
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("name"), max_length=40)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.academic_year}"


class PasswordLinkRequest(models.Model):
    """A password link that was asked for, kept for an hour so that links are sent only a
    few times an hour to one email address or to one network address.

    It holds a keyed digest of the email address, never the address itself, and is asked for
    whether or not an account has that address, so it says nothing about who has one.
    """

    email_digest = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "requested_at"]),
            models.Index(fields=["address", "requested_at"]),
        ]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.address}"
