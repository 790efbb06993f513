"""Coachloop's settings: one module, read from the environment with small typed helpers.

Every variable is documented in docs/operating.md. Defaults suit development and the demo
(SQLite, debug on); production sets COACHLOOP_ENV=production and the secrets.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_admins(name: str) -> list[tuple[str, str]]:
    """People to email about server errors, as ``Name <address>, Other <address>``."""
    value = env_str(name).strip()
    if not value:
        return []  # Python 3.11.2 (Debian 12's) reads "" as one empty address
    pairs = getaddresses([value])
    bad = [f"{who} <{address}>".strip() for who, address in pairs if "@" not in address]
    if bad:
        raise ImproperlyConfigured(f"{name} has an entry without an email address: {bad[0]}")
    return [(who or address, address) for who, address in pairs]


def env_secret(name: str, *, development_default: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return development_default


PRODUCTION = env_str("COACHLOOP_ENV", "development") == "production"
DEBUG = env_bool("COACHLOOP_DEBUG", default=not PRODUCTION)
SECRET_KEY = env_secret(
    "COACHLOOP_SECRET_KEY",
    development_default="development-only-key-never-used-in-production-0123456789abcdef",
)
ALLOWED_HOSTS = env_list("COACHLOOP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("COACHLOOP_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The floor first. The sign-in and password pages are people's own templates
    # (people/templates/people/, named in people's views and the project's URLs). The one
    # deliberate override is django-allauth's layout and elements (people/templates/allauth/),
    # so its pages (two-step codes, single sign-on) wear the GOV.UK design: people comes
    # before allauth below.
    "coachloop.common",
    "coachloop.common.apps.CoachloopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "health_check",  # its `manage.py health_check healthz` command; /healthz is common/health.py
    "axes",
    "coachloop.people",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "coachloop.frameworks",
    "coachloop.policy",
    "coachloop.coaching",
    "coachloop.rollout",
    "coachloop.rosters",
    "coachloop.programmes",
    "coachloop.insights",
    "coachloop.site",
    "coachloop.demo",
    # The REST API (coachloop.api, docs/api.md): DRF, its OpenAPI schema and Swagger UI's
    # files from PyPI (no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "coachloop.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files leave here, with no policy
    # Every other answer: Cache-Control: no-store and Permissions-Policy (common/middleware.py).
    "coachloop.common.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything looks a value up: PostgreSQL refuses text holding NUL (400 instead).
    "coachloop.common.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Under /api/v1/ the request is its bearer token's, never the session's.
    "coachloop.api.middleware.ApiTokenMiddleware",
    "coachloop.people.middleware.TrustScopeMiddleware",
    # After the trust scope: a session's idle time is the setting of the viewer's trust.
    "coachloop.people.middleware.SessionLimitsMiddleware",
    "coachloop.people.two_step.TwoStepSetUpMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coachloop.urls"
WSGI_APPLICATION = "coachloop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coachloop.site.context_processors.navigation",
            ],
            # {% form_token %} in every create form, with no {% load %} (common.submissions).
            "builtins": ["coachloop.common.templatetags.submissions"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{REPO_DIR / 'coachloop.sqlite3'}"),
        conn_max_age=env_int("COACHLOOP_DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        # A kept connection is tested before each request reuses it, so a database restart
        # costs a reconnection, not an error page.
        conn_health_checks=True,
    )
}
# A PostgreSQL read replica (docs/scaling.md): the dashboards and their downloads read from it,
# through common.routers; everything else, and every write, uses default.
COACHLOOP_READ_REPLICA = None
if env_str("COACHLOOP_DB_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("COACHLOOP_DB_REPLICA_URL", ""),
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    COACHLOOP_READ_REPLICA = "replica"
DATABASE_ROUTERS = ["coachloop.common.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a paused sign-in before any other
    "rules.permissions.ObjectPermissionBackend",
    # allauth's, reading the session's person with their current roles in one query.
    "coachloop.people.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Signing in runs on django-allauth (people/adapters.py says how). People sign in with their
# email address; nobody signs themself up: a school's administrator adds people.
ACCOUNT_ADAPTER = "coachloop.people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "coachloop.people.adapters.SingleSignOnAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
# The sign-in page still signs in someone else on a shared school computer, as it always has.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# A new password ends every other session (people.apps); the one it was chosen in goes on.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {"change_password": "coachloop.people.forms.ChangePasswordForm"}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# django-axes (below) limits signing in, counting failures in the database, which every
# worker shares, with a larger limit for a network address (a school's staff share one).
# allauth's own limits count in the cache, which each worker keeps apart, so its limits on
# signing in are off; its others (changing a password) stay as they are. Its limit on
# two-step codes is "login_failed" too: wrong codes count with django-axes instead
# (people/two_step_signin.py).
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # people.signin matches people itself
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# Two-step sign-in (people/two_step.py says who must use it): an authenticator app, or a
# passkey or security key, after the password, with recovery codes. A passkey is a second
# step, not a way of signing in without a password (MFA_PASSKEY_LOGIN_ENABLED is off): the
# sign-in page, the trusts' single sign-on and the limits on signing in all start from the
# email address. Passkeys need HTTPS (or http://localhost, not 127.0.0.1).
MFA_ADAPTER = "coachloop.people.two_step_signin.TwoStepAdapter"
MFA_FORMS = {
    "authenticate": "coachloop.people.two_step_signin.AuthenticateForm",
    "reauthenticate": "coachloop.people.two_step_signin.ReauthenticateForm",
    "activate_totp": "coachloop.people.two_step_signin.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Coachloop"
# A code is accepted for the 30 seconds before and after its own, for a phone's clock that is
# a little out or a code typed as it changes; wrong codes are limited as wrong passwords are.
MFA_TOTP_TOLERANCE = 1

# Guessing passwords (docs/operating.md). django-axes counts failed sign-ins in the database,
# so every worker sees the same count: after COACHLOOP_SIGN_IN_ACCOUNT_LIMIT failures for one
# email address, or COACHLOOP_SIGN_IN_ADDRESS_LIMIT from one network address (a school's staff
# share one), signing in there is paused for COACHLOOP_SIGN_IN_PAUSE_MINUTES.
COACHLOOP_SIGN_IN_ACCOUNT_LIMIT = env_int("COACHLOOP_SIGN_IN_ACCOUNT_LIMIT", 10)
COACHLOOP_SIGN_IN_ADDRESS_LIMIT = env_int("COACHLOOP_SIGN_IN_ADDRESS_LIMIT", 50)
COACHLOOP_SIGN_IN_PAUSE_MINUTES = env_int("COACHLOOP_SIGN_IN_PAUSE_MINUTES", 15)
# Password links sent per email address and per network address in an hour.
COACHLOOP_RESET_LINKS_PER_EMAIL = env_int("COACHLOOP_RESET_LINKS_PER_EMAIL", 3)
COACHLOOP_RESET_LINKS_PER_ADDRESS = env_int("COACHLOOP_RESET_LINKS_PER_ADDRESS", 20)
# How many proxies in front of the server append to X-Forwarded-For; 0 trusts no header.
# Production assumes one TLS proxy (see SECURE_PROXY_SSL_HEADER below).
COACHLOOP_TRUSTED_PROXIES = env_int("COACHLOOP_TRUSTED_PROXIES", 1 if PRODUCTION else 0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = COACHLOOP_SIGN_IN_ACCOUNT_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=COACHLOOP_SIGN_IN_PAUSE_MINUTES)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the pause ends when it says it will
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "coachloop.people.signin.SignInThrottle"
AXES_USERNAME_CALLABLE = "coachloop.people.signin.attempted_email"
AXES_CLIENT_IP_CALLABLE = "coachloop.people.signin.client_address"
AXES_LOCKOUT_CALLABLE = "coachloop.people.views.sign_in_paused"
# Its admin pages span every trust; its log of every sign-in would be kept for ever.
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = env_str("COACHLOOP_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# One time format everywhere, 24-hour ("17:00"), as schools timetable: a time or date-time shown
# without a format of its own (and the admin's) uses common/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["coachloop.common.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("COACHLOOP_STATIC_ROOT", str(REPO_DIR / "staticfiles")))
STATICFILES_DIRS = [
    ("govuk", REPO_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", REPO_DIR / "node_modules" / "htmx.org" / "dist"),
    REPO_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("COACHLOOP_MEDIA_ROOT", str(REPO_DIR / "media")))

EMAIL_BACKEND = env_str(
    "COACHLOOP_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("COACHLOOP_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("COACHLOOP_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("COACHLOOP_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("COACHLOOP_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("COACHLOOP_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("COACHLOOP_FROM_EMAIL", "Coachloop <coachloop@localhost>")

# How long a session lasts (people/sessions.py, docs/operating.md): it ends after
# COACHLOOP_SESSION_MAX_HOURS however busy the person is, and sooner when they leave Coachloop
# unused for their trust's idle time (2 hours unless the trust changes it). The cookie lasts no
# longer than the session.
COACHLOOP_SESSION_MAX_HOURS = env_int("COACHLOOP_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = COACHLOOP_SESSION_MAX_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("COACHLOOP_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env_int("COACHLOOP_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every page (django-csp; docs/operating.md "Headers"). Every
# script and stylesheet is a file under /static/: no inline <script>, no on...= handler, no
# style attribute, no eval (htmx's own is switched off in common/base.html's htmx-config).
# img-src allows data: for the empty favicon in base.html, nothing else.
# form-action also governs where a form's submission is redirected: a sign-in with a school's
# identity provider (Google, Microsoft, OpenID Connect) that posts or redirects there needs
# the provider's origin in COACHLOOP_CSP_FORM_ACTION, e.g. https://login.microsoftonline.com.
COACHLOOP_CSP_FORM_ACTION = [SELF, *env_list("COACHLOOP_CSP_FORM_ACTION")]
COACHLOOP_CSP_REPORT_ONLY = env_bool("COACHLOOP_CSP_REPORT_ONLY", default=False)
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": COACHLOOP_CSP_FORM_ACTION,
        "frame-ancestors": [NONE],
        "report-uri": env_str("COACHLOOP_CSP_REPORT_URI") or None,
    }
}
# Report-only: browsers load everything and report what the policy would have refused (in the
# console, and to COACHLOOP_CSP_REPORT_URI if set). For trying a change of policy, not to keep.
if COACHLOOP_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# How long a coach may still read a relationship's content after it ends (read-only).
COACHLOOP_READ_AFTER_END_DAYS = env_int("COACHLOOP_READ_AFTER_END_DAYS", 30)
# The largest evidence file a teacher may upload, in bytes (10 MB unless set).
COACHLOOP_EVIDENCE_MAX_BYTES = env_int("COACHLOOP_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

# What an uploaded zip file (Word, Excel, PowerPoint, OpenDocument, a OneRoster export) may
# hold, checked before anything opens it (common/uploads/archives.py): entries, megabytes
# once opened (all entries together), and how many times its compressed size an entry over
# 1 MB may expand to.
COACHLOOP_UPLOAD_MAX_ENTRIES = env_int("COACHLOOP_UPLOAD_MAX_ENTRIES", 1000)
COACHLOOP_UPLOAD_MAX_EXPANDED_MB = env_int("COACHLOOP_UPLOAD_MAX_EXPANDED_MB", 500)
COACHLOOP_UPLOAD_MAX_RATIO = env_int("COACHLOOP_UPLOAD_MAX_RATIO", 100)
# An optional virus check of every upload by clamd (common/uploads/antivirus.py): its local
# socket's path, or host:port. When set and clamd cannot answer, uploads are refused.
COACHLOOP_CLAMD_SOCKET = env_str("COACHLOOP_CLAMD_SOCKET")
COACHLOOP_CLAMD_ADDRESS = env_str("COACHLOOP_CLAMD_ADDRESS")
COACHLOOP_CLAMD_TIMEOUT = env_int("COACHLOOP_CLAMD_TIMEOUT", 30)
# England's Early Career Framework (Crown copyright, Open Government Licence v3.0), shipped
# with Coachloop in frameworks/data/ (its README says where it comes from).
COACHLOOP_ECF_FILE = Path(
    env_str("COACHLOOP_ECF_FILE", str(BASE_DIR / "frameworks" / "data" / "ecf-2019.json"))
)

# Logs and errors (docs/operating.md "Logs and errors"). Everything goes to the console
# (standard error), for the service manager's journal: as text, or as one JSON object a line
# when COACHLOOP_LOG_FORMAT=json, for a log collector. With DEBUG off, a server error is also
# emailed to COACHLOOP_ADMINS, and sent to Sentry when COACHLOOP_SENTRY_DSN is set. Neither
# carries what a form sent or a page's variables (common/errors.py): coaching notes stay here.
COACHLOOP_LOG_FORMAT = env_str("COACHLOOP_LOG_FORMAT", "text")
if COACHLOOP_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("COACHLOOP_LOG_FORMAT must be text or json.")
ADMINS = env_admins("COACHLOOP_ADMINS")
SERVER_EMAIL = env_str("COACHLOOP_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Coachloop] "
DEFAULT_EXCEPTION_REPORTER_FILTER = "coachloop.common.errors.NoContentReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "coachloop.common.errors.NoQueryExceptionReporter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": COACHLOOP_LOG_FORMAT},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("COACHLOOP_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's records reach the console through the root; server errors (django.request
        # at ERROR) are also mailed to ADMINS.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"handlers": ["mail_admins"], "level": "INFO"},
        # A request for a host name not in ALLOWED_HOSTS is a 400 (scanners send thousands).
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failed sign-ins and pauses, not every clean-up
    },
}
# Sentry (or a compatible service such as GlitchTip), only when a DSN is set: sentry-sdk is in
# the `prod` dependency group. No personal data, request bodies or local variables are sent.
COACHLOOP_SENTRY_DSN = env_str("COACHLOOP_SENTRY_DSN")
if COACHLOOP_SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "COACHLOOP_SENTRY_DSN is set but sentry-sdk is not installed: "
            "install the prod dependency group (make install-server, or uv sync --frozen "
            "--no-default-groups --group prod)."
        ) from error
    sentry_sdk.init(
        dsn=COACHLOOP_SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env_str("COACHLOOP_ENV", "development"),
        # sentry-sdk 3 (as uv.lock pins) collects by category: no person (user_info), no
        # cookies, query strings, request bodies, SQL values, task arguments or variables.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "url_query_params": {"mode": "off"},
            "http_bodies": [],
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
    )

# /healthz (common/health.py): the database, the uploads' storage and the task queue. The
# queue fails its check when a task has waited to start for longer than
# COACHLOOP_HEALTH_QUEUE_MAX_MINUTES (no worker is running, or it cannot keep up), or one has
# been running for longer than COACHLOOP_HEALTH_TASK_RUNNING_MAX_MINUTES.
COACHLOOP_HEALTH_QUEUE_MAX_MINUTES = env_int("COACHLOOP_HEALTH_QUEUE_MAX_MINUTES", 30)
COACHLOOP_HEALTH_TASK_RUNNING_MAX_MINUTES = env_int(
    "COACHLOOP_HEALTH_TASK_RUNNING_MAX_MINUTES", 120
)
# A load balancer may ask for /healthz/web (a monitor /healthz) over plain HTTP, straight to
# the server.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/web)?$"]

# Background work (reminders, digests, rollups): Django's tasks API with its database backend,
# run by `manage.py db_worker`. No broker is needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task RUNNING longer than this is taken to have lost its worker and is queued again
# (`manage.py recover_tasks`); after this many attempts it is marked failed instead. Far
# longer than any task runs: a worker still running it would otherwise run it twice at once.
COACHLOOP_TASK_STUCK_MINUTES = env_int("COACHLOOP_TASK_STUCK_MINUTES", 360)
COACHLOOP_TASK_MAX_ATTEMPTS = env_int("COACHLOOP_TASK_MAX_ATTEMPTS", 3)
# A staff import with more rows than this is checked and applied by the task worker
# (``manage.py db_worker``), its page following it; smaller ones at once, in the request.
COACHLOOP_IMPORT_INLINE_ROWS = env_int("COACHLOOP_IMPORT_INLINE_ROWS", 1000)
# Where links in emails and calendar feeds point (emails are sent outside any request).
COACHLOOP_SITE_URL = env_str("COACHLOOP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The REST API (coachloop.api): JSON only (no browsable pages, no OPTIONS descriptions), JSON
# bodies read within common.safe_json's limits, every error in one shape (api/errors.py).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["coachloop.api.parsers.SafeJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["coachloop.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["coachloop.api.permissions.HasViewer"],
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "coachloop.api.errors.handler",
    "DEFAULT_PAGINATION_CLASS": "coachloop.api.pagination.Pages",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Coachloop API",
    "DESCRIPTION": "A trust's data in its own tools, under the same privacy rules as the pages.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "coachloop.api.schema.standard_errors",
    ],
}
# Webhooks refuse addresses on private networks unless this is on (a receiver on loopback in
# development). Calls a token may make in a minute, unless the token says otherwise.
COACHLOOP_WEBHOOKS_ALLOW_PRIVATE = env_bool("COACHLOOP_WEBHOOKS_ALLOW_PRIVATE", default=False)
COACHLOOP_API_RATE_PER_MINUTE = env_int("COACHLOOP_API_RATE_PER_MINUTE", 60)
