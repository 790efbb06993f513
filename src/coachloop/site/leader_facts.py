"""The figures a head, trust lead or administrator reads first on their home page: the same
exact facts their dashboards open with (a school's coverage, the trust's schools that may need
support) and, for an administrator, the trust's roster (schools, people, the latest import),
so the key fact is on the first screen of a phone."""

from dataclasses import dataclass

from coachloop.insights import queries as insights
from coachloop.rosters import queries as rosters


@dataclass(frozen=True)
class SchoolFacts:
    school: object
    progress: object  # insights.figures.Progress: exact facts about the school


def school_facts(viewer, schools):
    """The coverage of the first school the person leads (the header links to the others)."""
    if not schools:
        return None
    school = schools[0]
    return SchoolFacts(school=school, progress=insights.school_progress(viewer, school=school))


def trust_facts(viewer):
    """The trust's dashboard, for its count line, when it has figures."""
    dashboard = insights.trust_dashboard(viewer)
    return dashboard if dashboard.has_data else None


def roster_facts(viewer):
    return rosters.trust_roster(viewer) if viewer.is_administrator else None
