"""Reads of frameworks: only the viewer's trust, current versions, bounded queries."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from coachloop.common.tenancy import trust_scope
from coachloop.frameworks import queries, services
from coachloop.frameworks.loader import starter_framework_data
from coachloop.frameworks.models import Step

pytestmark = pytest.mark.django_db


def load(trust, data):
    with trust_scope(trust):
        return services.framework_load(trust=trust, data=data)


def test_current_steps_come_from_current_versions_only_with_their_strand(trust, viewer, document):
    old = load(trust, document(slug="ours"))
    new = load(trust, document(slug="ours", strands=3))
    with trust_scope(trust):
        steps = list(queries.current_steps(viewer))
        with CaptureQueriesContext(connection) as ctx:
            titles = [step.strand.title for step in steps]
    assert len(steps) == 6
    assert {step.strand.version_id for step in steps} == {new.pk}
    assert old.pk != new.pk
    assert titles[0] == "Strand 1" and titles[-1] == "Strand 3"
    assert len(ctx) == 0


def test_queries_return_nothing_from_another_trust(trust, other_trust, viewer, document):
    load(other_trust, document(slug="theirs"))
    with trust_scope(trust):
        assert list(queries.current_steps(viewer)) == []
        assert queries.library(viewer) == []
    mine = load(trust, document(slug="ours", strands=1))
    with trust_scope(trust):
        assert {s.strand.version_id for s in queries.current_steps(viewer)} == {mine.pk}
        assert [v.pk for v in queries.library(viewer)] == [mine.pk]


def test_step_for_another_trusts_step_is_a_404(trust, other_trust, viewer, document):
    theirs = load(other_trust, document(slug="theirs"))
    with trust_scope(other_trust):
        their_step = Step.objects.filter(strand__version=theirs).first()
    with trust_scope(trust), pytest.raises(Http404):
        queries.step_for(viewer, their_step.pk)


def test_step_for_is_a_404_for_a_step_that_does_not_exist_or_a_bad_id(viewer, trust):
    with trust_scope(trust):
        for pk in (999999, "abc", None):
            with pytest.raises(Http404):
                queries.step_for(viewer, pk)


def test_step_for_finds_a_step_of_an_older_version_so_history_still_links(trust, viewer, document):
    old = load(trust, document(slug="ours"))
    load(trust, document(slug="ours"))
    with trust_scope(trust):
        old_step = Step.objects.filter(strand__version=old).first()
        step = queries.step_for(viewer, old_step.pk)
    assert step == old_step
    assert step.strand.version.is_current is False


def test_step_for_loads_the_mapped_statements_in_order(trust, viewer, starter):
    with trust_scope(trust):
        pk = Step.objects.get(strand__version=starter, code="EM1").pk
        step = queries.step_for(viewer, pk)
        with CaptureQueriesContext(connection) as ctx:
            codes = [s.code for s in step.reference_statements.all()]
            names = {s.framework.name for s in step.reference_statements.all()}
            framework = step.strand.version.framework.slug
    assert codes == ["2a", "2e", "4.2", "4f"]
    assert names == {"Early Career Framework (ECF)"}
    assert framework == "coachloop-starter"
    assert len(ctx) == 0


def test_reference_coverage_groups_statements_by_section_with_every_sections_total(
    trust, viewer, starter
):
    with trust_scope(trust):
        steps = list(Step.objects.filter(code__in=["BR1", "BR2", "EM1"]))
        with CaptureQueriesContext(connection) as ctx:
            coverage = queries.reference_coverage(steps)
    assert len(ctx) == 2
    [ecf] = coverage
    assert ecf.framework.slug == "ecf-2019"
    assert [s.number for s in ecf.sections] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [s.total for s in ecf.sections] == [14, 20, 29, 27, 22, 24, 22, 23]
    assert ecf.total == 181
    by_number = {s.number: s for s in ecf.sections}
    # BR1 7h 7i 7.1, BR2 7e 1f 7l, EM1 4f 2e 2a 4.2
    assert [s.code for s in by_number[7].statements] == ["7.1", "7e", "7h", "7i", "7l"]
    assert [s.code for s in by_number[1].statements] == ["1f"]
    assert by_number[4].covered == 2 and by_number[2].covered == 2
    assert by_number[3].covered == 0 and by_number[3].title == "Subject and Curriculum"
    assert ecf.covered == 10


def test_reference_coverage_takes_a_queryset_and_counts_a_statement_once(trust, viewer, starter):
    with trust_scope(trust):
        coverage = queries.reference_coverage(queries.current_steps(viewer))
        again = queries.reference_coverage(Step.objects.filter(code__in=["QC5", "QC1"]))
    assert coverage[0].covered == len(
        {
            code
            for strand in starter_framework_data()["strands"]
            for step in strand["steps"]
            for code in step["maps_to"]["ecf-2019"]
        }
    )
    # QC1 and QC5 both map to 4m and 2g.
    assert again[0].covered == 4


def test_reference_coverage_of_no_steps_or_unmapped_steps_is_empty(trust, viewer, document):
    load(trust, document())
    with trust_scope(trust), CaptureQueriesContext(connection) as ctx:
        assert queries.reference_coverage([]) == []
    assert len(ctx) == 0
    with trust_scope(trust):
        assert queries.reference_coverage(queries.current_steps(viewer)) == []


def _library_queries(viewer):
    with trust_scope(viewer.trust), CaptureQueriesContext(connection) as ctx:
        versions = queries.library(viewer)
        steps = [step.title for v in versions for s in v.strands.all() for step in s.steps.all()]
        names = [v.framework.name for v in versions]
    return len(ctx), len(steps), names


@pytest.mark.queries
def test_the_library_runs_the_same_number_of_queries_for_few_and_many_steps(
    trust, other_trust, viewer, other_viewer, document
):
    load(trust, document(slug="small", strands=1, steps_per_strand=1))
    load(other_trust, document(slug="large", strands=8, steps_per_strand=12))
    small, small_steps, _ = _library_queries(viewer)
    large, large_steps, names = _library_queries(other_viewer)
    assert (small_steps, large_steps) == (1, 96)
    assert small == large == 3
    assert names == ["Framework large"]


@pytest.mark.queries
def test_reference_coverage_runs_the_same_number_of_queries_for_few_and_many_steps(
    trust, viewer, starter
):
    with trust_scope(trust):
        few = list(Step.objects.filter(code="BR1"))
        many = list(queries.current_steps(viewer))
        with CaptureQueriesContext(connection) as small:
            queries.reference_coverage(few)
        with CaptureQueriesContext(connection) as large:
            queries.reference_coverage(many)
    assert (len(few), len(many)) == (1, 30)
    assert len(small) == len(large) == 2
