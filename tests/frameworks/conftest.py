"""Shared fixtures for the frameworks tests.

Tests that need England's Early Career Framework read the file Coachloop ships
(COACHLOOP_ECF_FILE).
"""

import copy
from pathlib import Path

import pytest
from django.conf import settings

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.frameworks import services
from coachloop.frameworks.loader import starter_framework_data
from coachloop.frameworks.models import (
    Framework,
    FrameworkVersion,
    ReferenceFramework,
    ReferenceStatement,
    Step,
    StepMapping,
    Strand,
)
from coachloop.people.queries import viewer_for
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory

ROW_MODELS = [
    Framework,
    FrameworkVersion,
    Strand,
    Step,
    StepMapping,
    ReferenceFramework,
    ReferenceStatement,
    AuditEvent,
]


def ecf_path() -> Path:
    return Path(settings.COACHLOOP_ECF_FILE)


@pytest.fixture
def ecf_file():
    path = ecf_path()
    if not path.is_file():
        pytest.skip(f"shared reference data not found at {path}")
    return path


@pytest.fixture
def ecf(db, ecf_file):
    """England's Early Career Framework, imported as the reference framework 'ecf-2019'."""
    return services.reference_framework_import_ecf(path=ecf_file)


@pytest.fixture
def trust(db):
    return TrustFactory(name="Riverside Learning Trust", slug="riverside")


@pytest.fixture
def other_trust(db):
    return TrustFactory(name="Hillside Schools Trust", slug="hillside")


@pytest.fixture
def starter(trust, ecf):
    """The starter framework loaded into ``trust``, with its ECF mappings."""
    with trust_scope(trust):
        return services.framework_load(trust=trust, data=starter_framework_data())


def _member_of(trust):
    with scopes_disabled():
        return MembershipFactory(school=SchoolFactory(trust=trust)).user


@pytest.fixture
def member(trust):
    """A teacher with a current role in a school of ``trust``."""
    return _member_of(trust)


@pytest.fixture
def viewer(member):
    return viewer_for(member)


@pytest.fixture
def other_viewer(other_trust):
    return viewer_for(_member_of(other_trust))


@pytest.fixture
def document():
    """A small, valid framework document without reference mappings, to change per test."""

    def make(*, slug="small", strands=2, steps_per_strand=2, maps_to=None):
        return {
            "format": "coachloop-framework/1",
            "slug": slug,
            "name": f"Framework {slug}",
            "version_label": "2026.1",
            "description": "A framework for a test.",
            "strands": [
                {
                    "code": f"S{s}",
                    "title": f"Strand {s}",
                    "summary": f"What strand {s} is about.",
                    "steps": [
                        {
                            "code": f"S{s}.{t}",
                            "title": f"Do step {t} of strand {s}",
                            "looks_like": "Pupils start at once; the teacher scans the room.",
                            "why_it_works": "Routines free attention for learning.",
                            "how_to_rehearse": "Rehearse it twice with the coach as a pupil.",
                            **({"maps_to": copy.deepcopy(maps_to)} if maps_to else {}),
                        }
                        for t in range(1, steps_per_strand + 1)
                    ],
                }
                for s in range(1, strands + 1)
            ],
        }

    return make


@pytest.fixture
def row_counts(db):
    """Rows per model, across every trust: call before and after to show nothing changed."""

    def count():
        with scopes_disabled():
            return {model.__name__: model.objects.count() for model in ROW_MODELS}

    return count
