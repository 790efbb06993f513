"""Deployment checks for the headers every page sends (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

POLICY_NOT_ENFORCED = "common.W001"
POLICY_ALLOWS_INLINE = "common.W002"
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'")


@checks.register(checks.Tags.security, deploy=True)
def content_security_policy_is_enforced(app_configs=None, **kwargs):
    """The policy must be enforced, not only reported, and must run no inline script or style:
    report-only (COACHLOOP_CSP_REPORT_ONLY) is for trying a change, not for keeping."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    if not policy or CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        return [
            checks.Warning(
                "The Content-Security-Policy is not enforced (it is report-only, or "
                "django-csp's middleware is missing): browsers would run any script an "
                "attacker managed to put on a page.",
                hint="Unset COACHLOOP_CSP_REPORT_ONLY once the reports are clean. "
                "See docs/operating.md.",
                id=POLICY_NOT_ENFORCED,
            )
        ]
    directives = policy.get("DIRECTIVES", {})
    loose = [
        name
        for name in ("default-src", "script-src", "style-src")
        if any(source in UNSAFE for source in directives.get(name) or ())
    ]
    if loose:
        return [
            checks.Warning(
                f"The Content-Security-Policy allows inline code or eval in {', '.join(loose)}.",
                hint="Move the script or style into a file under static/.",
                id=POLICY_ALLOWS_INLINE,
            )
        ]
    return []
