"""Tokens, integrations, rate windows and webhooks: every table of the API, in one migration
so the packages building on it never collide (docs/architecture.md, "The API").

A token's secret is shown once and never stored: only its SHA-256 ``digest`` is kept, with its
first characters (``prefix``) so a person can tell their tokens apart.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coachloop.common.tenancy import TenantModel


class Scope(models.TextChoices):
    """What an integration's token may do (a personal token does what its person may)."""

    READ_PEOPLE = "read_people", _("Read people and roles")
    READ_ACTIVITY = "read_activity", _("Read coaching activity")
    READ_AGGREGATES = "read_aggregates", _("Read dashboards' figures")
    # Webhooks only: told that a programme's marks were released (how many, when), never the
    # marks (docs/api.md): no integration reads marks.
    READ_MARKS = "read_marks", _("Be told when marks are released")
    WRITE_ROLES = "write_roles", _("Start and end roles")


class Integration(TenantModel):
    """Another system of the trust's (an MIS, a CPD catalogue) that uses the API through its
    own service account: a ``User`` with no password and no memberships."""

    name = models.CharField(_("name"), max_length=100)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class ApiToken(TenantModel):
    """A bearer token: a person's own (``integration`` empty) or an integration's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, null=True, blank=True, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list, blank=True)
    schools = models.ManyToManyField(
        "people.School", through="TokenSchool", blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rate_per_minute = models.PositiveIntegerField(default=60)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class TokenSchool(TenantModel):
    """A school an integration's token is limited to. The table Django made for the
    many-to-many field, given its token's trust (docs/scaling.md)."""

    apitoken = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "api_apitoken_schools"
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "apitoken", "school"], name="api_token_school_once"
            )
        ]

    def __str__(self):
        return f"{self.apitoken_id} {self.school_id}"


class TokenWindow(TenantModel):
    """Calls made with a token in one minute (the rate limit's fixed window). In its token's
    trust, like every row hanging off a tenant row (docs/scaling.md)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "token", "minute"], name="api_token_window_unique"
            )
        ]

    def __str__(self):
        return f"{self.token_id} {self.minute:%Y-%m-%d %H:%M} {self.count}"


class WebhookEndpoint(TenantModel):
    """Where an integration is told of events, signed with its secret."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="endpoints")
    # The integration's token whose scopes (and schools) decide which events are sent: once
    # it is revoked or expired, nothing more is.
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, blank=True)
    secret = models.CharField(max_length=100)
    # While a secret is rotated, deliveries are signed with both.
    previous_secret = models.CharField(max_length=100, blank=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    # The last audit event collected for this endpoint.
    cursor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, to be tried again")
    GAVE_UP = "gave_up", _("Given up")


class WebhookDelivery(TenantModel):
    """One event sent (or to be sent) to one endpoint."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("common.AuditEvent", on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], name="api_delivery_once_per_endpoint"
            )
        ]

    def __str__(self):
        return f"{self.event_type} to {self.endpoint_id} ({self.status})"
