"""Everything one person can learn from the dashboards, and whether it gives a hidden figure
away.

``DisclosureWorld`` writes a trust's rollup rows straight from known counts (the atoms: for each
school and week, teachers seen on rhythm and missed, each framework step set and embedded,
steps the teacher proposed, coaches by rhythm). ``gather`` signs in as each leader and
downloads every page and CSV they may open, and reads every dashboard the API gives them with a
token of their own (each API table must hold exactly its CSV's cells, and its XLSX too).
``meaning`` says, for each figure published (the API's as well as the CSV's), which combination
of atoms it stands for, as the pages themselves explain it. Then:

- every figure on show must equal what it stands for (so ``meaning`` is the pages' meaning),
- and no figure hidden anywhere in the trust may be a linear combination of the figures one
  person can obtain: totals minus parts, periods minus weeks, shares beside their counts.

The worlds have no steps in a coach's own words (which the school's totals count and no step
row does), so the meanings take the totals to be the sums of the framework steps: a viewer is
assumed to know more than they could, which makes the check stricter, not looser.
"""

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from fractions import Fraction
from html import unescape

from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.models import Framework, FrameworkVersion, Step, Strand
from coachloop.insights.models import (
    SchoolCaseload,
    SchoolWeek,
    SchoolWeekEmbedTime,
    SchoolWeekStep,
)
from coachloop.insights.rollups import week_of, year_start_of
from coachloop.people.models import AcademicYear, Role, Term
from tests.api.tokens import bearer, make_token
from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
    two_step_set_up,
)
from tests.insights.downloaded import api_cells, csv_cells, xlsx_cells
from tests.insights.linear import Span, add, scale, value_of, vector

# One word for every hidden figure on a page (a download's flag column is folded into it by
# ``downloaded.folded``); anything else must be a number.
HIDDEN_TEXTS = {"hidden"}
NO_FIGURE = ("–", "", "no data")  # nobody to count (a table's dash, a chart's words)
SCHOOL_TABLES = ("coverage", "rhythm", "steps", "proposed", "caseloads")
TRUST_TABLES = ("schools", "coaches", "support", "steps")
RECENT_WEEKS = 12
TREND_WEEKS = 4
STRANDS = {"Behaviour": 7, "Questioning": 3}
CASELOAD_ROWS = ("Coaching within the school's limit", "Coaching more teachers than the limit")
COACH_RHYTHM_ROWS = {
    "Seeing 80% or more of their teachers on rhythm": "on",
    "Seeing half to 80% on rhythm": "part",
    "Seeing fewer than half on rhythm": "off",
}


@dataclass
class Viewer:
    user: object
    schools: list  # whose school pages they may open
    sees_trust: bool


@dataclass
class DisclosureWorld:
    """A trust whose rollups are written from known atoms (``values``)."""

    today: dt.date
    trust: object
    schools: list
    steps: list  # (strand title, Step)
    weeks: list
    terms: list  # (label, set of weeks counted in it)
    viewers: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)


def build_trust(*, schools=2, today):
    """An empty trust with ``schools`` schools, a framework, two terms and its leaders."""
    start = year_start_of(today)
    with scopes_disabled():
        trust = TrustFactory(name="Disclosure Trust", slug="disclosure")
        made = [
            SchoolFactory(trust=trust, name=f"School {name}", slug=name.lower())
            for name in ("Ash", "Birch", "Cedar")[:schools]
        ]
        framework = Framework.objects.create(trust=trust, name="Framework", slug="framework")
        version = FrameworkVersion.objects.create(trust=trust, framework=framework, number=1)
        steps = []
        for position, (title, count) in enumerate(STRANDS.items()):
            strand = Strand.objects.create(
                trust=trust, version=version, code=title[:2].upper(), title=title, position=position
            )
            for n in range(count):
                step = Step.objects.create(
                    trust=trust,
                    strand=strand,
                    code=f"{strand.code}{n + 1}",
                    title=f"{title} step {n + 1}",
                    looks_like="-",
                    why_it_works="-",
                    how_to_rehearse="-",
                    position=n,
                )
                steps.append((title, step))
        year = AcademicYear.objects.create(
            trust=trust, name="This year", starts_on=start, ends_on=start + dt.timedelta(days=364)
        )
        half = start + dt.timedelta(days=55)
        term_rows = [
            Term.objects.create(
                trust=trust, academic_year=year, name="First half", starts_on=start, ends_on=half
            ),
            Term.objects.create(
                trust=trust,
                academic_year=year,
                name="Second half",
                starts_on=half + dt.timedelta(days=1),
                ends_on=year.ends_on,
            ),
        ]

        def member(school, role):
            user = UserFactory()
            MembershipFactory(user=user, school=school, trust=trust, role=role)
            two_step_set_up(user)  # leaders must use two-step sign-in
            return user

        viewers = {
            f"head of {s.name}": Viewer(member(s, Role.HEADTEACHER), [s], True) for s in made
        }
        viewers[f"coaching lead of {made[0].name}"] = Viewer(
            member(made[0], Role.COACHING_LEAD), [made[0]], False
        )
        viewers["trust lead"] = Viewer(member(None, Role.TRUST_LEAD), made, True)
    weeks = []
    week = start
    while week <= week_of(today):
        weeks.append(week)
        week += dt.timedelta(days=7)
    terms = []
    for term in term_rows:
        counted = {w for w in weeks if term.starts_on <= w + dt.timedelta(days=6) <= term.ends_on}
        if counted:
            terms.append((str(term), counted))
    return DisclosureWorld(
        today=today,
        trust=trust,
        schools=made,
        steps=steps,
        weeks=weeks,
        terms=terms,
        viewers=viewers,
    )


def fill(world, values):
    """Write the rollup rows that the atoms in ``values`` make."""
    world.values = values
    get = values.get
    with scopes_disabled():
        for school in world.schools:
            for w in world.weeks:
                s = school.pk
                set_total = sum(get(("set", s, w, step.pk), 0) for _, step in world.steps)
                embedded = sum(get(("emb", s, w, step.pk), 0) for _, step in world.steps)
                kept, missed = get(("kept", s, w), 0), get(("missed", s, w), 0)
                SchoolWeek.objects.create(
                    trust=world.trust,
                    school=school,
                    week=w,
                    teachers=20,
                    coached_teachers=get(("coached", s), 15),
                    coaches=4,
                    trained_coaches=3,
                    visits_due=kept + missed,
                    visits_kept=kept,
                    dropins=kept + 2,
                    steps_set=set_total,
                    steps_proposed_by_teacher=get(("prop", s, w), 0),
                    steps_embedded=embedded,
                    embedders_to_date=get(("embedders", s), 6),
                    coaches_on_rhythm=get(("on", s, w), 0),
                    coaches_part_rhythm=get(("part", s, w), 0),
                    coaches_off_rhythm=get(("off", s, w), 0),
                )
                for _, step in world.steps:
                    n_set, n_emb = get(("set", s, w, step.pk), 0), get(("emb", s, w, step.pk), 0)
                    if n_set or n_emb:
                        SchoolWeekStep.objects.create(
                            trust=world.trust,
                            school=school,
                            week=w,
                            step=step,
                            set_count=n_set,
                            embedded_count=n_emb,
                        )
                if embedded:
                    SchoolWeekEmbedTime.objects.create(
                        trust=world.trust, school=school, week=w, days=21, count=embedded
                    )
            # Every coach counted by rhythm this week coaches three teachers, within the limit.
            latest = world.weeks[-1]
            coaches = sum(get((part, school.pk, latest), 0) for part in ("on", "part", "off"))
            if coaches:
                SchoolCaseload.objects.create(
                    trust=world.trust, school=school, week=latest, teachers=3, coaches=coaches
                )


def random_values(world, seed):
    """Small counts, often below five, so that every kind of hidden cell turns up."""
    rng = random.Random(seed)
    values = {}
    for school in world.schools:
        s = school.pk
        # How many teachers the school coaches, and how many embedded a step: sometimes too few.
        values[("coached", s)] = rng.choice((3, 4, 6, 12, 15, 15))
        values[("embedders", s)] = rng.choice((2, 4, 5, 6, 8))
        for w in world.weeks:
            values[("kept", s, w)] = rng.choice((0, 1, 2, 3, 4, 5, 6, 8, 11))
            values[("missed", s, w)] = rng.choice((0, 0, 1, 2, 3, 5, 7))
            set_total = 0
            for _, step in world.steps:
                values[("set", s, w, step.pk)] = rng.choice((0, 0, 0, 0, 1, 1, 2))
                values[("emb", s, w, step.pk)] = rng.choice((0, 0, 0, 0, 0, 1))
                set_total += values[("set", s, w, step.pk)]
            values[("prop", s, w)] = rng.randint(0, set_total)
            for part in ("on", "part", "off"):
                values[(part, s, w)] = rng.choice((0, 0, 1, 2, 3, 5, 6))
    return values


# ---------------------------------------------------------------------------------------------
# What each viewer can obtain
# ---------------------------------------------------------------------------------------------


@dataclass
class Published:
    where: str  # the page or download and the cell, for the failure message
    text: str
    meaning: dict | None = None  # the atoms a count stands for
    numerator: dict | None = None  # for a share
    denominator: dict | None = None

    @property
    def hidden(self):
        return self.text in HIDDEN_TEXTS


def _csv(client, url):
    """A table's CSV, each flag column folded into its figure ("hidden"); its XLSX must hold
    exactly the same cells, so what is proved of the one holds for the other."""
    table = csv_cells(client.get(url))
    assert xlsx_cells(client.get(url.removesuffix(".csv") + ".xlsx")) == table, url
    return table


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _api(client, url, secret, csv_url):
    """A dashboard's tables from the API with the viewer's own token, each of them exactly the
    cells of its CSV (and so of its XLSX), keyed by table."""
    response = client.get(url, headers=bearer(secret))
    assert response.status_code == 200, url
    tables = {}
    for table in response.json()["tables"]:
        tables[table["key"]] = api_cells(table)
        assert tables[table["key"]] == _csv(client, csv_url(table["key"])), (url, table["key"])
    return tables


def downloads(client, world, viewer):
    """Every table (as its CSV, and as the API gives it with the viewer's own token: key
    ``(…, table, "api")``) and page text a viewer can obtain."""
    client.force_login(viewer.user)
    secret, _token = make_token(viewer.user, world.trust, rate_per_minute=1_000_000)
    got = {}
    for school in viewer.schools:
        for table in SCHOOL_TABLES:
            got[(school.slug, table)] = _csv(
                client, reverse("insights:school_csv", args=[school.slug, table])
            )
        got[(school.slug, "page")] = _page(client, reverse("insights:school", args=[school.slug]))
        api = _api(
            client,
            reverse("api:v1:school_dashboard", args=[school.slug]),
            secret,
            lambda key, slug=school.slug: reverse("insights:school_csv", args=[slug, key]),
        )
        for table in SCHOOL_TABLES:
            got[(school.slug, table, "api")] = api[table]
    if viewer.sees_trust:
        for table in TRUST_TABLES:
            got[("trust", table)] = _csv(client, reverse("insights:trust_csv", args=[table]))
        got[("trust", "page")] = _page(client, reverse("insights:trust"))
        api = _api(
            client,
            reverse("api:v1:trust_dashboard"),
            secret,
            lambda key: reverse("insights:trust_csv", args=[key]),
        )
        for table in TRUST_TABLES:
            got[("trust", table, "api")] = api[table]
    return got


def _from_api(figures):
    """Figures read from the API's tables, named as such."""
    for figure in figures:
        figure.where = f"api {figure.where}"
    return figures


class Meaning:
    """What each published figure stands for, in atoms, as the pages describe it."""

    def __init__(self, world, shown_school_steps):
        self.world = world
        # (school pk, step title) -> shown on that school's page (the trust's common steps add
        # up only those)
        self.shown_school_steps = shown_school_steps
        self.steps = {(strand, step.title): step for strand, step in world.steps}
        self.weeks = {w.isoformat(): w for w in world.weeks}  # downloads give weeks as dates
        self.terms = dict(world.terms)

    def kept(self, s, weeks):
        return add(*(vector(("kept", s, w)) for w in weeks))

    def due(self, s, weeks):
        return add(*(vector(("kept", s, w), ("missed", s, w)) for w in weeks))

    def step_set(self, s, step, weeks=None):
        return add(*(vector(("set", s, w, step.pk)) for w in weeks or self.world.weeks))

    def step_embedded(self, s, step):
        return add(*(vector(("emb", s, w, step.pk)) for w in self.world.weeks))

    def all_embedded(self, s):
        return add(*(self.step_embedded(s, step) for _, step in self.world.steps))

    def recent(self):
        return self.world.weeks[-RECENT_WEEKS:]

    def school_figures(self, school, table, rows):
        s = school.pk
        where = f"{school.slug}/{table}.csv"
        header, *body = rows
        found = []
        if table == "rhythm":
            for label, due, kept, share, _dropins in body:
                w = self.weeks[label]
                found += [
                    Published(f"{where} {label} due", due, meaning=self.due(s, [w])),
                    Published(f"{where} {label} kept", kept, meaning=self.kept(s, [w])),
                    Published(
                        f"{where} {label} share",
                        share,
                        numerator=self.kept(s, [w]),
                        denominator=self.due(s, [w]),
                    ),
                ]
        elif table == "steps":
            for strand, title, times_set, embedded in body:
                step = self.steps[(strand, title)]
                found += [
                    Published(f"{where} {title} set", times_set, meaning=self.step_set(s, step)),
                    Published(
                        f"{where} {title} embedded", embedded, meaning=self.step_embedded(s, step)
                    ),
                ]
        elif table == "proposed":
            for label, steps_set, proposed, share in body:
                weeks = self.terms[label]
                set_vector = add(*(self.step_set(s, step, weeks) for _, step in self.world.steps))
                proposed_vector = add(*(vector(("prop", s, w)) for w in weeks))
                found += [
                    Published(f"{where} {label} set", steps_set, meaning=set_vector),
                    Published(f"{where} {label} proposed", proposed, meaning=proposed_vector),
                    Published(
                        f"{where} {label} share",
                        share,
                        numerator=proposed_vector,
                        denominator=set_vector,
                    ),
                ]
        elif table == "caseloads":
            latest = self.world.weeks[-1]
            coaches = vector(*((part, s, latest) for part in ("on", "part", "off")))
            for label, figure in body:
                if label == CASELOAD_ROWS[0]:  # all the coaches, so the bands' whole
                    found.append(Published(f"{where} {label}", figure, meaning=coaches))
                elif label == CASELOAD_ROWS[1]:
                    found.append(Published(f"{where} {label}", figure, meaning={}))
                elif label in COACH_RHYTHM_ROWS:
                    atom = (COACH_RHYTHM_ROWS[label], s, latest)
                    found.append(Published(f"{where} {label}", figure, meaning=vector(atom)))
        return found

    def school_page(self, school, html):
        match = re.search(r"Steps embedded this school year: ([^.]+)\.", html)
        assert match, "the school page says how many steps were embedded"
        found = [
            Published(
                f"{school.slug} page, steps embedded",
                match.group(1),
                meaning=self.all_embedded(school.pk),
            )
        ]
        # Each bar of the chart of steps teachers proposed, from its title ("term: value").
        chart = html.split('id="proposed-chart-title"', 1)[1].split("</svg>", 1)[0]
        for label, value in re.findall(r"<title>([^<:]+): ([^<]+)</title>", chart):
            weeks = self.terms[unescape(label)]
            found.append(
                Published(
                    f"{school.slug} page, proposed chart {label}",
                    unescape(value),
                    numerator=add(*(vector(("prop", school.pk, w)) for w in weeks)),
                    denominator=add(
                        *(self.step_set(school.pk, step, weeks) for _, step in self.world.steps)
                    ),
                )
            )
        return found

    def trust_figures(self, table, rows):
        by_name = {school.name: school for school in self.world.schools}
        where = f"trust/{table}.csv"
        header, *body = rows
        found = []
        recent = self.recent()
        if table == "schools":
            columns = {name: i for i, name in enumerate(header)}
            for row in body:
                school = by_name[row[0]]
                s = school.pk
                for column, weeks in (
                    ("Seen on rhythm, last 4 weeks", recent[-TREND_WEEKS:]),
                    ("Seen on rhythm, 4 weeks before", recent[-2 * TREND_WEEKS : -TREND_WEEKS]),
                ):
                    found.append(
                        Published(
                            f"{where} {school.name} {column}",
                            row[columns[column]],
                            numerator=self.kept(s, weeks),
                            denominator=self.due(s, weeks),
                        )
                    )
                found.append(
                    Published(
                        f"{where} {school.name} embedded",
                        row[columns["Steps embedded this year"]],
                        meaning=self.all_embedded(s),
                    )
                )
        elif table == "coaches":
            latest = self.world.weeks[-1]
            for name, *figures in body:
                s = by_name[name].pk
                for part, figure in zip(("on", "part", "off"), figures, strict=True):
                    found.append(
                        Published(
                            f"{where} {name} {part}", figure, meaning=vector((part, s, latest))
                        )
                    )
        elif table == "steps":
            for strand, title, times_set, embedded in body:
                step = self.steps[(strand, title)]
                counted = [
                    school.pk
                    for school in self.world.schools
                    if self.shown_school_steps.get((school.pk, title))
                ]
                found += [
                    Published(
                        f"{where} {title} set",
                        times_set,
                        meaning=add(*(self.step_set(s, step) for s in counted)),
                    ),
                ]
                counted_embedded = [
                    school.pk
                    for school in self.world.schools
                    if self.shown_school_steps.get((school.pk, title, "embedded"))
                ]
                found.append(
                    Published(
                        f"{where} {title} embedded",
                        embedded,
                        meaning=add(*(self.step_embedded(s, step) for s in counted_embedded)),
                    )
                )
        return found


def shown_school_steps(world, everything):
    """Which school step cells are on show, from the schools' own step tables."""
    shown = {}
    for school in world.schools:
        header, *body = everything[(school.slug, "steps")]
        for _strand, title, times_set, embedded in body:
            shown[(school.pk, title)] = times_set not in HIDDEN_TEXTS
            shown[(school.pk, title, "embedded")] = embedded not in HIDDEN_TEXTS
    return shown


def figures_by_viewer(client, world):
    """Each viewer's published figures, with their meanings."""
    got = {name: downloads(client, world, viewer) for name, viewer in world.viewers.items()}
    meaning = Meaning(world, shown_school_steps(world, got["trust lead"]))
    result = {}
    for name, viewer in world.viewers.items():
        figures = []
        for school in viewer.schools:
            for table in SCHOOL_TABLES:
                figures += meaning.school_figures(school, table, got[name][(school.slug, table)])
                figures += _from_api(
                    meaning.school_figures(school, table, got[name][(school.slug, table, "api")])
                )
            figures += meaning.school_page(school, got[name][(school.slug, "page")])
        if viewer.sees_trust:
            for table in TRUST_TABLES:
                figures += meaning.trust_figures(table, got[name][("trust", table)])
                figures += _from_api(
                    meaning.trust_figures(table, got[name][("trust", table, "api")])
                )
        result[name] = figures
    return result


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def _number(text):
    return Fraction(text.replace(",", "").removesuffix("%"))


def wrong_values(figures, values):
    """Figures on show that do not equal what they stand for."""
    wrong = []
    for f in figures:
        if f.hidden or f.text in NO_FIGURE:
            continue
        if f.meaning is not None:
            if _number(f.text) != value_of(f.meaning, values):
                wrong.append(f"{f.where}: shows {f.text}, stands for {value_of(f.meaning, values)}")
        else:
            whole = value_of(f.denominator, values)
            exact = 100 * value_of(f.numerator, values) / whole
            if abs(_number(f.text) - exact) > Fraction(1, 2):
                wrong.append(f"{f.where}: shows {f.text}, stands for {float(exact):.1f}%")
    return wrong


def known_equations(figures, values):
    """What a viewer knows, as vectors whose values they can work out: each count on show,
    and each share on show as "numerator minus share times denominator is nothing" (taking
    the share as exact, which assumes the viewer knows more than the rounding lets them)."""
    known = []
    for f in figures:
        if f.hidden or f.text in NO_FIGURE:
            continue
        if f.meaning is not None:
            known.append(f.meaning)
        else:
            whole = value_of(f.denominator, values)
            if whole:
                ratio = value_of(f.numerator, values) / whole
                known.append(add(f.numerator, scale(f.denominator, -ratio)))
    return known


def given_away(figures_by_viewer, values):
    """For each viewer, the figures hidden anywhere in the trust that they can work out."""
    hidden = {}
    for figures in figures_by_viewer.values():
        for f in figures:
            if f.hidden and f.meaning:
                hidden.setdefault(tuple(sorted(f.meaning.items(), key=repr)), f.where)
    found = []
    for name, figures in figures_by_viewer.items():
        span = Span(known_equations(figures, values))
        for meaning, where in hidden.items():
            if span.contains(dict(meaning)):
                found.append(f"the {name} can work out {where}")
    return found
