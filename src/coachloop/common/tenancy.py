"""Tenancy: a trust is the tenant, and every query on a tenant-owned table runs in its scope.

Tenant-owned models inherit from ``TenantModel``. Their default manager is a django-scopes
manager, so a query made while no trust scope is active raises ``ScopeError`` instead of
returning every trust's rows. A request's scope is opened by a middleware, from the signed-in
person's membership; commands and tasks open one with ``trust_scope(trust)``.
"""

from contextlib import contextmanager

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.exceptions import ScopeError

__all__ = ["ScopeError", "TenantModel", "scopes_disabled", "trust_scope"]


@contextmanager
def trust_scope(trust):
    """Run the block inside one trust's scope. A missing trust is a bug, not "all trusts"."""
    if trust is None or getattr(trust, "pk", None) is None:
        raise ScopeError("A trust scope needs a saved trust.")
    with scope(trust=trust.pk):
        yield


class TenantModel(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(trust="trust_id")

    class Meta:
        abstract = True
