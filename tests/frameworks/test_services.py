"""Loading a framework into a trust: all or nothing, versioned, audited, mapped to the ECF."""

import pytest

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import ScopeError, scopes_disabled, trust_scope
from coachloop.frameworks import services
from coachloop.frameworks.loader import FrameworkFormatError, starter_framework_data
from coachloop.frameworks.models import (
    Framework,
    FrameworkVersion,
    ReferenceStatement,
    Step,
    StepMapping,
    Strand,
)

pytestmark = pytest.mark.django_db


def load(trust, data, **kwargs):
    with trust_scope(trust):
        return services.framework_load(trust=trust, data=data, **kwargs)


def refused(trust, data):
    with pytest.raises(FrameworkFormatError) as caught:
        load(trust, data)
    return caught.value.problems


def test_the_starter_framework_loads_six_strands_and_thirty_steps_with_every_field(starter, trust):
    with trust_scope(trust):
        strands = list(Strand.objects.filter(version=starter))
        steps = list(Step.objects.filter(strand__version=starter))
    assert starter.number == 1 and starter.is_current and starter.label == "2026.1"
    assert starter.framework.slug == "coachloop-starter"
    assert [(s.code, s.position) for s in strands] == [
        ("BR", 1),
        ("EM", 2),
        ("QC", 3),
        ("PF", 4),
        ("AT", 5),
        ("SS", 6),
    ]
    assert len(steps) == 30
    assert {s.trust_id for s in [*strands, *steps]} == {trust.pk}
    for step in steps:
        assert step.code and step.title and step.looks_like
        assert step.why_it_works and step.how_to_rehearse
        assert 1 <= step.position <= 5


def test_every_starter_step_maps_to_an_ecf_statement_and_every_mapping_resolves(starter, trust):
    wanted = {
        (step["code"], code)
        for strand in starter_framework_data()["strands"]
        for step in strand["steps"]
        for code in step["maps_to"]["ecf-2019"]
    }
    with trust_scope(trust):
        mappings = set(
            StepMapping.objects.filter(step__strand__version=starter).values_list(
                "step__code", "statement__code"
            )
        )
        unmapped = Step.objects.filter(strand__version=starter, mappings__isnull=True)
        assert not unmapped.exists()
        assert set(StepMapping.objects.values_list("statement__framework__slug", flat=True)) == {
            "ecf-2019"
        }
    assert mappings == wanted


def test_loading_again_makes_version_2_and_version_1_keeps_its_steps(starter, trust):
    second = load(trust, starter_framework_data())
    starter.refresh_from_db()
    with trust_scope(trust):
        assert Framework.objects.count() == 1
        assert second.framework_id == starter.framework_id
        assert (second.number, second.is_current) == (2, True)
        assert (starter.number, starter.is_current) == (1, False)
        assert Step.objects.filter(strand__version=starter).count() == 30
        assert Step.objects.filter(strand__version=second).count() == 30
        assert StepMapping.objects.filter(step__strand__version=starter).count() == (
            StepMapping.objects.filter(step__strand__version=second).count()
        )
        assert FrameworkVersion.objects.filter(is_current=True).get() == second


def test_a_new_version_takes_the_new_name_and_description(trust, document):
    load(trust, document(slug="ours"))
    data = document(slug="ours")
    data["name"] = "Our framework, revised"
    version = load(trust, data)
    version.framework.refresh_from_db()
    assert version.number == 2
    assert version.framework.name == "Our framework, revised"


def test_it_refuses_a_framework_with_a_duplicate_step_code_and_loads_nothing(
    trust, document, row_counts
):
    data = document()
    data["strands"][1]["steps"][0]["code"] = "S1.2"
    before = row_counts()
    assert refused(trust, data) == [
        "strands[1].steps[0].code: 'S1.2' is already used by strands[0].steps[1]"
    ]
    assert row_counts() == before


def test_a_bad_document_reports_every_problem_and_writes_nothing(trust, document, row_counts):
    load(trust, document(slug="ours"))
    data = document(slug="ours", strands=3, steps_per_strand=5)
    del data["strands"][2]["steps"][4]["title"]
    data["strands"][0]["summary"] = 7
    data["strands"][1]["steps"][3]["how_to_rehearse"] = " "
    before = row_counts()

    assert refused(trust, data) == [
        "strands[0].summary: must be text, not a number",
        "strands[1].steps[3].how_to_rehearse: must not be empty",
        "strands[2].steps[4].title: missing",
    ]
    assert row_counts() == before
    with trust_scope(trust):
        assert FrameworkVersion.objects.get().is_current


def test_unknown_ecf_codes_are_all_reported_with_the_format_problems(
    trust, ecf, document, row_counts
):
    data = document(maps_to={"ecf-2019": ["1a", "4i"]})
    data["strands"][0]["steps"][1]["maps_to"] = {"ecf-2019": ["1a", "9z", "4.99"]}
    data["strands"][1]["steps"][0]["maps_to"] = {"ecf-2019": ["zz"]}
    data["strands"][1]["title"] = ""
    before = row_counts()
    assert refused(trust, data) == [
        "strands[1].title: must not be empty",
        "strands[0].steps[1].maps_to.ecf-2019[1]: '9z' is not a statement of 'ecf-2019'",
        "strands[0].steps[1].maps_to.ecf-2019[2]: '4.99' is not a statement of 'ecf-2019'",
        "strands[1].steps[0].maps_to.ecf-2019[0]: 'zz' is not a statement of 'ecf-2019'",
    ]
    assert row_counts() == before


def test_a_reference_framework_that_is_not_loaded_is_reported_once(trust, document, row_counts):
    data = document(maps_to={"ecf-2019": ["1a"], "other-framework": ["x1"]})
    before = row_counts()
    assert refused(trust, data) == [
        "strands[0].steps[0].maps_to.ecf-2019[0]: reference framework 'ecf-2019' is not "
        "loaded, used 4 time(s) in this file (run manage.py import_reference_ecf)",
        "strands[0].steps[0].maps_to.other-framework[0]: reference framework "
        "'other-framework' is not loaded, used 4 time(s) in this file",
    ]
    assert row_counts() == before


def test_steps_map_to_the_statements_named(trust, ecf, document):
    version = load(trust, document(maps_to={"ecf-2019": ["2b", "4.3"]}))
    with trust_scope(trust):
        step = Step.objects.filter(strand__version=version).first()
        codes = set(step.reference_statements.values_list("code", flat=True))
        assert {m.trust_id for m in StepMapping.objects.all()} == {trust.pk}
        assert ReferenceStatement.objects.get(code="2b").steps.count() == 4
    assert codes == {"2b", "4.3"}


def test_it_loads_a_framework_without_mappings(trust, document):
    version = load(trust, document(strands=3, steps_per_strand=4))
    with trust_scope(trust):
        assert Step.objects.filter(strand__version=version).count() == 12
        assert not StepMapping.objects.exists()
        assert list(Step.objects.filter(strand__code="S2").values_list("code", "position")) == [
            ("S2.1", 1),
            ("S2.2", 2),
            ("S2.3", 3),
            ("S2.4", 4),
        ]


def test_loading_writes_an_audit_event_in_the_trust(trust, member, document):
    version = load(trust, document(), actor=member)
    with trust_scope(trust):
        event = AuditEvent.objects.get(verb="framework.loaded")
    assert event.actor == member
    assert event.trust_id == trust.pk
    assert event.target_type == "frameworks.frameworkversion"
    assert event.target_id == str(version.pk)
    assert event.summary == "small version 1: 2 strands, 4 steps"


def test_the_same_slug_in_two_trusts_makes_two_separate_frameworks(trust, other_trust, document):
    mine = load(trust, document())
    theirs = load(other_trust, document())
    assert mine.framework_id != theirs.framework_id
    assert (mine.number, theirs.number) == (1, 1)
    with trust_scope(other_trust):
        assert Step.objects.count() == 4


def test_it_refuses_to_load_outside_the_trusts_scope(trust, other_trust, document, row_counts):
    before = row_counts()
    with pytest.raises(ScopeError):
        services.framework_load(trust=trust, data=document())
    with scopes_disabled(), pytest.raises(ScopeError):
        services.framework_load(trust=trust, data=document())
    with trust_scope(other_trust), pytest.raises(ScopeError):
        services.framework_load(trust=trust, data=document())
    assert row_counts() == before


def test_the_starter_framework_loads_by_name(trust, ecf):
    with trust_scope(trust):
        version = services.starter_framework_load(trust=trust)
    assert version.framework.name == "Coachloop starter framework"
