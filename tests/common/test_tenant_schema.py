"""The schema is ready to be distributed by trust (docs/scaling.md): every table holding a
trust's rows carries ``trust_id``; every unique constraint on such a table includes the trust,
or is unique per a parent row that is itself in one trust, or is global on purpose, for the
reason given here; every foreign key from a tenant table points to a tenant table or to a
table every node keeps a copy of; and ``manage.py tenant_ddl`` covers every tenant table, key,
unique constraint and foreign key. A new model or constraint must choose, here."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from coachloop.common.distribution import (
    reference_models,
    tenant_foreign_keys,
    tenant_models,
    uniques_without_trust,
)
from coachloop.common.tenancy import TenantModel

# Coachloop's tables that are not a trust's, and why.
GLOBAL_TABLES = {
    "people.Trust": "the tenant itself",
    "people.User": "a person may work in several trusts; signing in happens before a trust",
    "people.User_groups": "Django's permissions table for people (unused by Coachloop)",
    "people.User_user_permissions": "Django's permissions table for people (unused)",
    "people.SignIn": "a person's sign-ins, across the trusts they work in",
    "people.PasswordLinkRequest": "asked for before anyone is signed in",
    "common.FormSubmission": "a person's form tokens, checked before a trust's rows are read",
    "frameworks.ReferenceFramework": "England's frameworks, the same for every trust",
    "frameworks.ReferenceStatement": "England's frameworks' statements, the same for every trust",
}

# The tables tenant tables point to that are not tenant tables: reference tables on Citus.
REFERENCE_TABLES = {
    "people.Trust",
    "people.User",
    "frameworks.ReferenceStatement",
    "frameworks.ReferenceFramework",
}

# Unique per a parent row: the parent is a tenant row, in one trust, so adding the trust would
# change nothing. ``tenant_ddl`` makes each (trust_id, ...) when the tables are distributed.
UNIQUE_PER_PARENT = {
    "api.WebhookDelivery: endpoint, event": "endpoint",
    "coaching.ActionStep: relationship": "relationship",
    "coaching.AgreementConsent: version, person": "version",
    "coaching.AgreementVersion: relationship, number": "relationship",
    "coaching.AgreementVersion: group, number": "group",
    "coaching.GroupMember: group, person": "group",
    "coaching.Relationship: peer": "peer",
    "coaching.Relationship: handed_over_from": "handed_over_from",
    "coaching.StepProposal: action_step": "action_step",
    "coaching.StepProposal: relationship": "relationship",
    "frameworks.FrameworkVersion: framework, number": "framework",
    "frameworks.FrameworkVersion: framework": "framework",
    "frameworks.Step: strand, code": "strand",
    "frameworks.StepAdaptation: school, framework, strand_code, step_code": "school",
    "frameworks.StepMapping: step, statement": "step",
    "frameworks.Strand: version, code": "version",
    "insights.SchoolCaseload: school, week, teachers": "school",
    "insights.SchoolWeek: school, week": "school",
    "insights.SchoolWeekEmbedTime: school, week, days": "school",
    "insights.SchoolWeekStep: school, week, step": "school",
    "policy.SchoolModel: school": "school",
    "programmes.Enrolment: cohort, teacher": "cohort",
    "programmes.GoalAgreement: goal": "goal",
    "programmes.Mark: submission, position": "submission",
    "programmes.MarkClaim: submission, position, marker": "submission",
    "programmes.Module: programme, code": "programme",
    "programmes.ProgrammeStaff: programme, person, role": "programme",
    "programmes.ReconciliationProposal: submission": "submission",
    "programmes.Submission: enrolment, assignment, attempt": "enrolment",
    "programmes.Submission: enrolment, assignment": "enrolment",
    "programmes.SubmissionVersion: submission, number": "submission",
    "programmes.SubmissionVersion: submission": "submission",
    "rollout.CpdInvitation: session, person": "session",
    "rollout.ReminderSent: relationship, kind, due_on": "relationship",
}

# Unique across every trust on purpose: looked up before a trust's scope exists, or about a
# person across trusts. docs/scaling.md ("Decisions") says what each becomes on Citus.
GLOBAL_ON_PURPOSE = {
    "api.Integration: account": "an integration's service account (a person, in no trust) is "
    "that integration's alone",
    "api.ApiToken: digest": "a bearer token is found by its digest before its trust is known",
    "rollout.CalendarFeed: token_hash": "a calendar feed is found by its token, with no session",
    "people.SignInProvider: client_id": "a trust's identity provider is found by its client ID "
    "while signing in, before a trust",
    "people.School: urn": "a school is in one trust at a time: its URN names it in England",
    "coaching.DropIn: uuid": "a drop-in's id is made by the coach's browser; an id taken in "
    "any trust is never written to (coaching.services.dropins)",
    "rollout.DigestSent: person, kind, week": "one weekly email per person, whatever trusts "
    "they work in",
}


def _key(model, unique):
    return f"{model._meta.label}: {', '.join(unique.fields)}"


def _coachloop_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("coachloop.")
    ]


def test_every_table_pointing_to_a_tenant_row_carries_the_trust():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in _coachloop_models()
        if not issubclass(model, TenantModel)
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, TenantModel)
    ]
    assert missing == []


def test_every_table_outside_the_trusts_is_global_on_purpose():
    global_tables = {
        model._meta.label for model in _coachloop_models() if not issubclass(model, TenantModel)
    }
    assert global_tables == set(GLOBAL_TABLES)


def test_every_unique_constraint_without_the_trust_is_per_parent_or_justified():
    found = {
        _key(model, unique) for model in tenant_models() for unique in uniques_without_trust(model)
    }
    assert found - set(UNIQUE_PER_PARENT) - set(GLOBAL_ON_PURPOSE) == set()
    # And the lists name nothing that is no longer there.
    assert set(UNIQUE_PER_PARENT) | set(GLOBAL_ON_PURPOSE) == found


@pytest.mark.parametrize("key", sorted(UNIQUE_PER_PARENT))
def test_a_unique_per_parent_names_a_parent_in_one_trust(key):
    label, fields = key.split(": ")
    model = apps.get_model(label)
    parent = model._meta.get_field(UNIQUE_PER_PARENT[key])
    assert parent.name in fields.split(", ")
    assert parent.is_relation and issubclass(parent.related_model, TenantModel)


def test_tenant_tables_point_only_to_tenant_tables_and_reference_tables():
    targets = {
        field.related_model._meta.label
        for model in tenant_models()
        for field in model._meta.concrete_fields
        if field.is_relation and not issubclass(field.related_model, TenantModel)
    }
    assert targets <= REFERENCE_TABLES
    assert {model._meta.label for model in reference_models()} == REFERENCE_TABLES


@pytest.fixture
def ddl(db):
    out = io.StringIO()
    call_command("tenant_ddl", stdout=out)
    return out.getvalue()


def _q(name):
    return connection.ops.quote_name(name)


def test_the_citus_ddl_distributes_every_tenant_table_by_trust(ddl):
    distributed = set(re.findall(r"create_distributed_table\('(\w+)', 'trust_id'", ddl))
    assert distributed == {model._meta.db_table for model in tenant_models()}
    for model in tenant_models():
        table = _q(model._meta.db_table)
        assert f"ALTER TABLE {table} DROP CONSTRAINT" in ddl
        assert f"ADD PRIMARY KEY ({_q('trust_id')}, {_q('id')})" in ddl


def test_the_citus_ddl_makes_the_tables_tenant_tables_point_to_reference_tables(ddl):
    referenced = set(re.findall(r"create_reference_table\('(\w+)'\)", ddl))
    assert referenced == {model._meta.db_table for model in reference_models()}


def test_the_citus_ddl_joins_every_foreign_key_between_tenant_tables_on_the_trust(ddl):
    for model in tenant_models():
        for field in tenant_foreign_keys(model):
            target = field.related_model._meta.db_table
            assert (
                f"FOREIGN KEY ({_q('trust_id')}, {_q(field.column)}) REFERENCES {_q(target)} "
                f"({_q('trust_id')}, {_q('id')})"
            ) in ddl, f"{model._meta.label}.{field.name}"


def test_the_citus_ddl_puts_the_trust_first_in_every_unique_constraint(ddl):
    widened = re.findall(r"UNIQUE.*?\((\S+?)[,)]", ddl)
    expected = sum(len(uniques_without_trust(model)) for model in tenant_models())
    assert len(widened) == expected
    assert set(widened) == {_q("trust_id")}


def test_the_citus_ddl_is_one_transaction_in_order(ddl):
    assert ddl.splitlines()[2] == "BEGIN;"
    assert ddl.rstrip().endswith("COMMIT;")
    assert ddl.index("create_reference_table") < ddl.index("DROP CONSTRAINT")
    assert ddl.index("ADD PRIMARY KEY") < ddl.index("create_distributed_table")
    assert ddl.index("create_distributed_table('people_membership'") < ddl.index(
        "create_distributed_table('api_apitoken'"
    )
    assert ddl.rindex("create_distributed_table") < ddl.index("FOREIGN KEY")
