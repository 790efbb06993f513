import re
import uuid
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
    companies_house_number = models.CharField(
        _("Companies House number"), max_length=20, blank=True
    )
    # The trust as a group in England's schools register (GIAS): its schools are imported by
    # these (``manage.py import_gias``).
    register_group_uid = models.CharField(
        _("group UID in the schools register"),
        max_length=10,
        blank=True,
        help_text=_("The trust's “Group UID” in Get Information about Schools, for example 4124."),
    )
    register_group_id = models.CharField(
        _("group ID in the schools register"),
        max_length=20,
        blank=True,
        help_text=_("The trust's “Group ID”, for example TR01234."),
    )
    password_sign_in = models.BooleanField(
        _("staff may sign in with a password"),
        default=True,
        help_text=_(
            "Untick to have staff sign in only with the trust's own accounts (its sign-in "
            "providers). Someone who also works in a trust that allows passwords keeps theirs."
        ),
    )
    idle_minutes = models.PositiveSmallIntegerField(
        _("sign people out after this many minutes unused"),
        default=120,
        validators=[MinValueValidator(10), MaxValueValidator(720)],
        help_text=_(
            "Someone who has not used Coachloop for this long is signed out and asked to sign "
            "in again. Between 10 and 720 minutes (12 hours). Coachloop suggests 120 minutes "
            "(2 hours); use less where staff share computers."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep records for this many years after they end"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text=_(
            "Coaching, groups and programme work that ended longer ago, and people whose last "
            "role here ended that long ago, are erased each night. 6 is usual; ask your DPO."
        ),
    )
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
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"))
    urn = models.CharField(
        _("URN"), max_length=10, blank=True, help_text=_("The school's unique reference number.")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    # From the schools register; empty for a school entered by hand.
    establishment_type = models.CharField(_("type of school"), max_length=100, blank=True)
    local_authority = models.CharField(_("local authority"), max_length=100, blank=True)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("A school that has closed keeps its history; nobody starts a role there."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "slug"], name="school_slug_unique_in_trust"),
            models.UniqueConstraint(fields=["urn"], condition=~Q(urn=""), name="school_urn_unique"),
        ]

    def __str__(self):
        return self.name


class ExternalId(TenantModel):
    """What another system calls a person: their OneRoster ``sourcedId`` (so a roster import
    finds them again whatever their email address becomes), or their Teacher Reference Number.
    Unique within a trust; another trust's systems may call the same person something else."""

    class Kind(models.TextChoices):
        ONEROSTER = "oneroster", _("OneRoster sourcedId")
        TRN = "trn", _("Teacher Reference Number")

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_ids")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("identifier"), max_length=255)

    class Meta:
        verbose_name = _("identifier in another system")
        verbose_name_plural = _("identifiers in other systems")
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "kind", "value"],
                name="external_id_unique_in_trust",
                violation_error_message=_("Someone in your trust already has this identifier."),
            ),
            models.UniqueConstraint(
                fields=["trust", "kind", "person"],
                name="external_id_one_of_each_kind",
                violation_error_message=_("This person already has an identifier of this kind."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        super().clean()
        self.value = self.value.strip()
        if self.kind == self.Kind.TRN and not re.fullmatch(r"\d{7}", self.value):
            raise ValidationError({"value": _("A Teacher Reference Number is 7 digits.")})


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


GOOGLE_ISSUER = "https://accounts.google.com"
MICROSOFT_ISSUER = "https://login.microsoftonline.com/{tenant}/v2.0"
# The directory of personal Microsoft accounts (outlook.com and the like), open to anyone.
MICROSOFT_PERSONAL_ACCOUNTS = "9188040d-6c67-4c5b-b112-36a304b66dad"
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SignInProvider(TenantModel):
    """One of a trust's own sign-in services (its Google Workspace, its Microsoft Entra ID
    organisation, or another OpenID Connect provider, a university's for example), through
    which its staff sign in to Coachloop without a password of ours.

    django-allauth sees each one as an OpenID Connect app (``people.single_sign_on``); it
    signs in only people who already have a role in this trust, matched by a verified email
    address in one of ``allowed_domains``.
    """

    class Kind(models.TextChoices):
        GOOGLE = "google", _("Google")
        MICROSOFT = "microsoft", _("Microsoft Entra ID")
        OPENID_CONNECT = "openid_connect", _("Another OpenID Connect provider")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name on the button"),
        max_length=60,
        help_text=_(
            "The sign-in page shows “Sign in with” and this name, for example “Riverside "
            "Google account”."
        ),
    )
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        help_text=_(
            "Part of the redirect URI you register with the provider, so it cannot be "
            "changed once saved. For example “google”."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=191)
    # Kept for django-allauth to send to the provider; never shown again once saved.
    client_secret = models.CharField(_("client secret"), max_length=500)
    server_url = models.URLField(
        _("issuer URL"),
        blank=True,
        help_text=_(
            "For another OpenID Connect provider only: its issuer, the address before "
            "“/.well-known/openid-configuration”. It must start with https://."
        ),
    )
    tenant_id = models.CharField(
        _("directory (tenant) ID"),
        max_length=36,
        blank=True,
        help_text=_(
            "For Microsoft Entra ID only: your organisation's directory (tenant) ID, from the "
            "app registration's overview. Only accounts of that organisation are signed in."
        ),
    )
    allowed_domains = models.TextField(
        _("email domains"),
        help_text=_(
            "One a line, for example riverside.example.org. Only accounts whose verified "
            "email address ends in one of them are signed in."
        ),
    )
    enabled = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Untick to take the button off the sign-in page and stop signing in with it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("sign-in provider")
        verbose_name_plural = _("sign-in providers")
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "slug"],
                name="sign_in_provider_slug_unique",
                violation_error_message=_(
                    "Your trust already has a provider with this short name."
                ),
            ),
            # django-allauth finds a provider again by its client ID alone (after a second
            # sign-in step), so no two may share one.
            models.UniqueConstraint(fields=["client_id"], name="sign_in_provider_client_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def provider_id(self):
        """Its name in django-allauth and in its addresses (``/accounts/oidc/<this>/...``)."""
        return f"t{self.trust_id}-{self.slug}"

    @property
    def issuer(self):
        if self.kind == self.Kind.GOOGLE:
            return GOOGLE_ISSUER
        if self.kind == self.Kind.MICROSOFT:
            return MICROSOFT_ISSUER.format(tenant=self.tenant_id.strip().lower())
        return self.server_url.rstrip("/")

    @property
    def domains(self):
        return [line.strip().lower() for line in self.allowed_domains.split() if line.strip()]

    def clean(self):
        super().clean()
        errors = {}
        domains = self.domains
        bad = [domain for domain in domains if not DOMAIN.match(domain)]
        if not domains:
            errors["allowed_domains"] = _("Enter at least one email domain.")
        elif bad:
            errors["allowed_domains"] = _(
                "Enter domains only, one a line, like riverside.example.org (not %(bad)s)."
            ) % {"bad": ", ".join(bad)}
        else:
            self.allowed_domains = "\n".join(dict.fromkeys(domains))
        if self.kind == self.Kind.MICROSOFT:
            try:
                self.tenant_id = str(uuid.UUID(self.tenant_id.strip()))
            except ValueError:
                errors["tenant_id"] = _(
                    "Enter the directory (tenant) ID, like 72f988bf-86f1-41af-91ab-2d7cd011db47."
                )
            else:
                if self.tenant_id == MICROSOFT_PERSONAL_ACCOUNTS:
                    errors["tenant_id"] = _(
                        "That is Microsoft's directory of personal accounts, which anyone can "
                        "join. Enter your organisation's own directory (tenant) ID."
                    )
        else:
            self.tenant_id = ""
        if self.kind == self.Kind.OPENID_CONNECT:
            problem = _issuer_problem(self.server_url)
            if problem:
                errors["server_url"] = problem
        else:
            self.server_url = ""
        if errors:
            raise ValidationError(errors)


def _issuer_problem(url):
    if not url:
        return _("Enter the provider's issuer URL.")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return _("Enter the issuer URL without anything after a ? or #.")
    if parts.hostname in {urlsplit(GOOGLE_ISSUER).hostname, "login.microsoftonline.com"}:
        return _(
            "For Google or Microsoft, choose that kind of provider: Coachloop then also checks "
            "that accounts belong to your organisation."
        )
    # Plain http only for a provider on this machine (one run for testing).
    if parts.scheme != "https" and parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        return _("The issuer URL must start with https://.")
    return None


class SignIn(models.Model):
    """One time a person signed in: when, on what, and how. Shown only to the person themself,
    on their account page, so that they can spot a sign-in that was not them.

    Not tenant-owned: a person who works in two trusts signs in to Coachloop, not to one of
    them. Kept for ``people.sessions.SIGN_INS_KEPT_DAYS`` days.
    """

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        SINGLE_SIGN_ON = "single_sign_on", _("Single sign-on")
        PASSKEY = "passkey", _("Passkey")
        OTHER = "other", _("Another way")

    class SecondStep(models.TextChoices):
        AUTHENTICATOR_APP = "authenticator_app", _("authenticator app")
        SECURITY_KEY = "security_key", _("security key or passkey")
        RECOVERY_CODE = "recovery_code", _("recovery code")

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(default=timezone.now)
    user_agent = models.CharField(max_length=500, blank=True)
    device = models.CharField(_("device"), max_length=120)
    method = models.CharField(max_length=20, choices=Method.choices)
    second_step = models.CharField(max_length=20, choices=SecondStep.choices, blank=True)
    provider = models.CharField(
        max_length=200, blank=True, help_text=_("The single sign-on provider's name.")
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.device}"

    def how(self):
        """How they signed in, in plain words: "Password and authenticator app"."""
        first = self.get_method_display()
        if self.method == self.Method.SINGLE_SIGN_ON and self.provider:
            first = _("Single sign-on (%(provider)s)") % {"provider": self.provider}
        if not self.second_step:
            return first
        return _("%(first)s and %(second)s") % {
            "first": first,
            "second": self.get_second_step_display(),
        }


from coachloop.people.erasures import Erasure  # noqa: E402, F401 (a model of this app)
