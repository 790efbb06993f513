"""The tenant tables distributed by ``trust_id`` on Citus: the DDL, written from the models.

Every tenant-owned table (a ``TenantModel``) carries ``trust_id``. On Citus a distributed
table's primary key and unique constraints must include its distribution column, and a
foreign key between two distributed tables must include it on both sides. So, for every
tenant table, the DDL (``manage.py tenant_ddl`` prints it; docs/scaling.md says when to run it):

1. makes the tables that tenant tables point to, and are not tenant tables themselves,
   reference tables (a copy on every node): trusts, people, England's reference frameworks;
2. drops the foreign keys between tenant tables, and the unique constraints without
   ``trust_id``;
3. swaps each primary key ``(id)`` for ``(trust_id, id)``;
4. distributes every tenant table by ``trust_id``, all co-located (one trust's rows on one node);
5. adds back each unique constraint with ``trust_id`` first, and each foreign key between
   tenant tables as ``(trust_id, x_id) REFERENCES t (trust_id, id)``.

Nothing here runs by itself: on plain PostgreSQL the wider keys cost writes and disk for no
gain. The constraint and index names are read from the connected database, so the DDL fits
the schema the migrations made.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from coachloop.common.tenancy import TenantModel

# The table every other is co-located with: the first distributed.
COLOCATE_WITH = "people_membership"


@dataclass(frozen=True)
class Statement:
    step: str  # "reference", "drop", "key", "distribute", "add"
    table: str
    sql: str
    # What the statement is about: a constraint's name, or a foreign key's column.
    about: str = ""


def tenant_models():
    """Every concrete tenant-owned model of Coachloop's, through tables included."""
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if issubclass(model, TenantModel) and not model._meta.proxy
        ),
        key=lambda model: model._meta.db_table,
    )


def reference_models():
    """The tables tenant tables point to that are not tenant tables, and what those point to:
    a copy of each on every node."""
    found = {}
    todo = tenant_models()
    seen = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and not issubclass(target, TenantModel):
                found[target._meta.db_table] = target
                todo.append(target)
    return [found[table] for table in sorted(found)]


def tenant_foreign_keys(model):
    """``model``'s foreign keys to tenant tables."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, TenantModel)
    ]


@dataclass(frozen=True)
class Unique:
    fields: tuple
    name: str = ""  # empty for a unique field's or unique_together's: the database names it
    condition: object = None


def uniques_without_trust(model):
    """``model``'s unique constraints that do not include ``trust``: unique fields (one-to-one
    fields too), ``unique_together`` and ``Meta.constraints``."""
    found = [
        Unique((field.name,))
        for field in model._meta.local_concrete_fields
        if field.unique and not field.primary_key
    ]
    found += [
        Unique(tuple(fields)) for fields in model._meta.unique_together if "trust" not in fields
    ]
    found += [
        Unique(tuple(constraint.fields), constraint.name, constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and "trust" not in constraint.fields
    ]
    return found


def _columns(model, field_names):
    return [model._meta.get_field(name).column for name in field_names]


def _named(existing, columns, *, unique=False, primary_key=False, foreign_key=False):
    """The name of the connected database's constraint (or unique index) on ``columns``."""
    for name, details in existing.items():
        if details["columns"] != columns:
            continue
        if primary_key and details["primary_key"]:
            return name
        if unique and details["unique"] and not details["primary_key"]:
            return name
        if foreign_key and details["foreign_key"]:
            return name
    raise LookupError(f"no constraint on {columns}")


def distribution_ddl(connection):
    """The statements, in order, that distribute the tenant tables by ``trust_id``."""
    editor = connection.schema_editor(collect_sql=True, atomic=False)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = {
            model: connection.introspection.get_constraints(cursor, model._meta.db_table)
            for model in tenant_models()
        }
    drops, keys, distribute, adds = [], [], [], []
    for model, constraints in existing.items():
        table = model._meta.db_table
        for field in tenant_foreign_keys(model):
            name = _named(constraints, [field.column], foreign_key=True)
            target = field.related_model._meta.db_table
            drops.append(
                Statement("drop", table, f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)};", name)
            )
            adds.append(
                Statement(
                    "add",
                    table,
                    f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} FOREIGN KEY "
                    f"({q('trust_id')}, {q(field.column)}) REFERENCES {q(target)} "
                    f"({q('trust_id')}, {q(field.target_field.column)}) "
                    "DEFERRABLE INITIALLY DEFERRED;",
                    field.column,
                )
            )
        for unique in uniques_without_trust(model):
            name = unique.name or _named(constraints, _columns(model, unique.fields), unique=True)
            # Django makes a partial unique constraint as a unique index, any other as a
            # table constraint.
            if unique.condition is None:
                drop = f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)};"
            else:
                drop = f"DROP INDEX {q(name)};"
            drops.append(Statement("drop", table, drop, name))
            widened = models.UniqueConstraint(
                fields=["trust", *unique.fields], condition=unique.condition, name=name
            )
            adds.append(Statement("add", table, f"{widened.create_sql(model, editor)};", name))
        primary = _named(constraints, ["id"], primary_key=True)
        keys.append(
            Statement(
                "key",
                table,
                f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(primary)}, "
                f"ADD PRIMARY KEY ({q('trust_id')}, {q('id')});",
                primary,
            )
        )
        colocate = "'none'" if table == COLOCATE_WITH else f"'{COLOCATE_WITH}'"
        distribute.append(
            Statement(
                "distribute",
                table,
                f"SELECT create_distributed_table('{table}', 'trust_id', "
                f"colocate_with => {colocate});",
            )
        )
    distribute.sort(key=lambda statement: statement.table != COLOCATE_WITH)
    reference = [
        Statement(
            "reference",
            model._meta.db_table,
            f"SELECT create_reference_table('{model._meta.db_table}');",
        )
        for model in reference_models()
    ]
    return reference + drops + keys + distribute + adds
