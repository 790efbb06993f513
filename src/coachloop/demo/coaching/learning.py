"""Demo rows for the teacher's own learning: goals with progress over the weeks, evidence
(small generated files, links, pupil voice) and reflection journals, for the demo trust that
``demo.build.build_demo`` builds.

The demo teacher (teacher@<trust>.example.org) gets a full set: a goal shared with their coach
that is due for review, one kept to themselves, one achieved; evidence on a goal and on their
current step, including a PDF and a PNG; and a journal. About a third of the other coached
teachers get a goal or two and a few entries. Dates follow ``today`` and choices follow
``rng``, so the same seed gives the same rows. No pupil is named anywhere: goals name the
classes the demo's drop-ins visited.

Files are written through the storage API under names taken from their content, so building
the demo again reuses them instead of leaving copies behind.
"""

import datetime as dt
import hashlib
import struct
import zlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from coachloop.coaching.models import (
    ActionStep,
    DropIn,
    EvidenceItem,
    EvidenceKind,
    Goal,
    GoalProgress,
    Reflection,
    Relationship,
)
from coachloop.demo.accounts import key_email
from coachloop.people.models import School, User

BATCH_SIZE = 500
SHARE_OF_OTHER_TEACHERS = 0.35
# Whom a goal is for when the teacher's drop-ins name no class, by the school's phase.
FALLBACK_CLASSES = {
    School.Phase.PRIMARY: ("Year 4", "Year 4 reading group", "Year 3"),
    School.Phase.SECONDARY: ("9 set 2", "8C", "Year 7"),
}

# (title, why, evidence kinds, how the change will show)
GOAL_IDEAS = (
    (
        "Every pupil answers in full sentences",
        "Their spoken answers are short, and their written ones follow.",
        [EvidenceKind.PUPIL_WORK, EvidenceKind.PUPIL_VOICE],
        "Compare a set of written answers now and at the review.",
    ),
    (
        "Calmer, quicker starts to lessons",
        "The first ten minutes set the tone and we lose them.",
        [EvidenceKind.OBSERVATION],
        "My coach notes how long the class takes to settle at each drop-in.",
    ),
    (
        "More pupils answer without hands up",
        "The same few pupils answer every question.",
        [EvidenceKind.OBSERVATION, EvidenceKind.PUPIL_VOICE],
        "Count how many different pupils answer in one part of the lesson.",
    ),
    (
        "Pupils check their own work before handing it in",
        "Too many careless errors in their books.",
        [EvidenceKind.PUPIL_WORK, EvidenceKind.ASSESSMENT],
        "Errors per page in their books, and the next assessment.",
    ),
    (
        "Clearer modelling of a worked example",
        "Pupils copy the answer but cannot do the next one.",
        [EvidenceKind.PUPIL_WORK, EvidenceKind.ASSESSMENT],
        "The independent questions after each example.",
    ),
)
PROGRESS_NOTES = (
    "Tried it with the class for the first time. Slow, but most of them got there.",
    "Better this week: fewer reminders needed, and the quieter ones joined in.",
    "A wobble after the weekend; went back to rehearsing the routine at the door.",
    "Looked through a set of books: a clear difference from the first week.",
    "Asked a few pupils how it feels. They said they know what is expected now.",
    "Saw it in the drop-in: it looked like habit for most of the lesson.",
    "Half-term broke the rhythm; back on track after two lessons.",
)
COACH_NOTES = (
    "Seen in today's drop-in: the routine is there, and quicker than last time.",
    "We rehearsed the hardest moment together; agreed to try it on Thursday.",
    "Most pupils answered in full sentences without a prompt in the part I saw.",
)
PUPIL_VOICE = (
    (
        "Exit tickets",
        "“I know what a good answer looks like now.” Several pupils said something similar.",
    ),
    ("Quick survey", "Most pupils said the start of the lesson feels calmer than before."),
    ("Talking to a group", "A pupil in the group said: “I like it when you wait for us.”"),
)
LINKS = (
    ("Lesson video (held on the school's video platform)", "https://video.example.org/lesson"),
    ("Our shared modelling examples", "https://drive.example.org/modelling"),
)
REFLECTIONS = (
    (
        "After period 3",
        "I waited longer after asking the question and different pupils answered. It felt "
        "uncomfortable at first; I want to keep at it.",
    ),
    (
        "What got in the way this week",
        "I rushed the start because the room was late being free. Next time I will do the "
        "routine at the door anyway.",
    ),
    (
        "After my coaching conversation",
        "Rehearsing the step out loud helped more than I expected. Writing the words down made "
        "them mine.",
    ),
    (
        "Looking at books",
        "The written answers are longer, but some are longer without being better. Next: "
        "model what a good full answer looks like.",
    ),
    (
        "A good day",
        "The class settled in under two minutes. I noticed I did not raise my voice once.",
    ),
)


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 15)))


def _png(bars):
    """A small bar chart as a PNG (no imaging library needed): one bar per value, 0 to 10."""
    width, height, bar = len(bars) * 16 + 8, 64, 12
    background, ink = (255, 255, 255), (29, 79, 74)
    rows = []
    for y in range(height):
        row = bytearray([0])  # no filter
        for x in range(width):
            index, offset = divmod(x - 8, 16)
            filled = (
                x >= 8
                and offset < bar
                and index < len(bars)
                and height - y <= bars[index] * (height - 8) // 10
            )
            row += bytes(ink if filled else background)
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def _pdf(title, lines):
    from weasyprint import HTML  # imported when needed: it is slow to load

    items = "".join(f"<li>{line}</li>" for line in lines)
    return HTML(string=f"<h1>{title}</h1><ul>{items}</ul>").write_pdf()


def _stored(content, suffix):
    """Save ``content`` under a name taken from it, once; the name."""
    name = f"evidence/demo/{hashlib.sha256(content).hexdigest()[:32]}{suffix}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name


class _Rows:
    def __init__(self, trust, today, rng):
        self.trust, self.today, self.rng = trust, today, rng
        self.goals, self.progress, self.evidence, self.reflections = [], [], [], []

    def goal(self, rel, teacher, idea, *, pupils, set_days_ago, review_in, linked, status):
        title, why, kinds, plan = idea
        goal = Goal(
            trust=self.trust,
            teacher=teacher,
            relationship=rel if linked else None,
            title=title,
            why=why,
            pupils=pupils,
            evidence_kinds=[str(kind) for kind in kinds],
            evidence_plan=plan,
            review_on=self.today + dt.timedelta(days=review_in),
            status=status,
            created_by=teacher,
            created_at=_at(self.today - dt.timedelta(days=set_days_ago)),
        )
        self.goals.append(goal)
        return goal

    def notes(self, goal, count, *, coach=None):
        set_on = timezone.localtime(goal.created_at).date()
        span = max(1, (self.today - set_on).days)
        for n in range(count):
            day = set_on + dt.timedelta(days=span * (n + 1) // (count + 1))
            by_coach = coach is not None and n % 2 == 1
            self.progress.append(
                GoalProgress(
                    trust=self.trust,
                    goal=goal,
                    written_on=day,
                    note=self.rng.choice(COACH_NOTES if by_coach else PROGRESS_NOTES),
                    written_by=coach if by_coach else goal.teacher,
                )
            )

    def item(self, teacher, *, goal=None, step=None, days_ago=0, **fields):
        self.evidence.append(
            EvidenceItem(
                trust=self.trust,
                teacher=teacher,
                goal=goal,
                action_step=step,
                added_by=teacher,
                added_on=self.today - dt.timedelta(days=days_ago),
                **fields,
            )
        )

    def reflection(self, teacher, index, *, days_ago, goal=None, step=None):
        title, body = REFLECTIONS[index % len(REFLECTIONS)]
        self.reflections.append(
            Reflection(
                trust=self.trust,
                teacher=teacher,
                written_on=self.today - dt.timedelta(days=days_ago),
                title=title,
                body=body,
                goal=goal,
                action_step=step,
            )
        )

    def save(self):
        Goal.objects.bulk_create(self.goals, batch_size=BATCH_SIZE)
        GoalProgress.objects.bulk_create(self.progress, batch_size=BATCH_SIZE)
        EvidenceItem.objects.bulk_create(self.evidence, batch_size=BATCH_SIZE)
        Reflection.objects.bulk_create(self.reflections, batch_size=BATCH_SIZE)


def _file(name, content, content_type, suffix, **fields):
    return {
        "kind": EvidenceItem.Kind.FILE,
        "file": _stored(content, suffix),
        "original_name": name,
        "content_type": content_type,
        "size": len(content),
        **fields,
    }


def _link(pair, **fields):
    title, url = pair
    return {"kind": EvidenceItem.Kind.LINK, "title": title, "url": url, **fields}


def _voice(pair, *, group=None):
    title, note = pair
    if group:
        title = f"{title}, {group}"
    return {"kind": EvidenceItem.Kind.PUPIL_VOICE, "title": title, "note": note}


def _demo_teacher(rows, rel, step, classes):
    teacher, coach, today = rel.teacher, rel.coach, rows.today
    fallback = FALLBACK_CLASSES.get(rel.school.phase, FALLBACK_CLASSES[School.Phase.SECONDARY])
    classes = classes or list(fallback)
    group = classes[0]  # the class the coach visits: the goal is about what they have seen
    shared = rows.goal(
        rel,
        teacher,
        GOAL_IDEAS[0],
        pupils=group,
        set_days_ago=42,
        review_in=5,
        linked=True,
        status=Goal.Status.OPEN,
    )
    rows.notes(shared, 5, coach=coach)
    private = rows.goal(
        rel,
        teacher,
        GOAL_IDEAS[1],
        pupils=classes[1] if len(classes) > 1 else classes[0],
        set_days_ago=20,
        review_in=35,
        linked=False,
        status=Goal.Status.OPEN,
    )
    rows.notes(private, 2)
    achieved = rows.goal(
        rel,
        teacher,
        GOAL_IDEAS[2],
        pupils=classes[-1],
        set_days_ago=70,
        review_in=-14,
        linked=True,
        status=Goal.Status.ACHIEVED,
    )
    rows.notes(achieved, 4, coach=coach)

    rows.item(
        teacher,
        goal=shared,
        days_ago=21,
        **_file(
            "Exit tickets week 3.pdf",
            _pdf(
                f"Exit tickets: {group}, week 3",
                [
                    "22 of 28 answers in full sentences (week 1: 9 of 28).",
                    "Most common gap: the answer restates the question without a reason.",
                    "Next: model one full answer before the task.",
                ],
            ),
            "application/pdf",
            ".pdf",
            title="Exit tickets, week 3",
            note="Answers written in full sentences, counted from the exit tickets.",
        ),
    )
    rows.item(
        teacher,
        goal=shared,
        days_ago=7,
        **_file(
            "Full-sentence answers by week.png",
            _png([3, 4, 6, 7, 8]),
            "image/png",
            ".png",
            title="Full-sentence answers by week",
            note="Out of 10 sampled answers each week.",
        ),
    )
    rows.item(
        teacher,
        goal=shared,
        days_ago=12,
        **_link(
            LINKS[0],
            url=f"{LINKS[0][1]}-{today:%Y%m%d}",
            note="The second half shows the cold call.",
        ),
    )
    rows.item(teacher, goal=shared, days_ago=3, **_voice(PUPIL_VOICE[0], group=group))
    rows.item(teacher, goal=private, days_ago=6, **_voice(PUPIL_VOICE[1]))
    if step is not None:
        rows.item(teacher, step=step, days_ago=2, **_link(LINKS[1]))
        rows.item(teacher, step=step, days_ago=1, **_voice(PUPIL_VOICE[2]))

    rows.reflection(teacher, 0, days_ago=30, goal=achieved)
    rows.reflection(teacher, 1, days_ago=19, goal=private)
    rows.reflection(teacher, 2, days_ago=11, step=step)
    rows.reflection(teacher, 3, days_ago=6, goal=shared)
    rows.reflection(teacher, 4, days_ago=1)


def _other_teacher(rows, rel, step, classes):
    rng = rows.rng
    teacher = rel.teacher
    idea = rng.randrange(len(GOAL_IDEAS))
    goal = rows.goal(
        rel,
        teacher,
        GOAL_IDEAS[idea],
        pupils=rng.choice(classes or FALLBACK_CLASSES.get(rel.school.phase, ("Year 8",))),
        set_days_ago=rng.randint(10, 50),
        review_in=rng.randint(-5, 40),
        linked=rng.random() < 0.7,
        status=Goal.Status.OPEN,
    )
    rows.notes(goal, rng.randint(1, 4), coach=rel.coach if goal.relationship else None)
    if rng.random() < 0.6:
        rows.item(teacher, goal=goal, **_voice(rng.choice(PUPIL_VOICE)), days_ago=rng.randint(1, 9))
    if rng.random() < 0.4:
        rows.item(teacher, goal=goal, **_link(rng.choice(LINKS)), days_ago=rng.randint(1, 9))
    for n in range(rng.randint(0, 3)):
        rows.reflection(
            teacher,
            rng.randrange(len(REFLECTIONS)),
            days_ago=rng.randint(0, 40),
            goal=goal if n == 0 else None,
            step=step if n == 1 else None,
        )


def demo_learning(trust, today, rng):
    """Add goals, progress, evidence and reflections to the demo trust. Runs inside the
    trust's scope, after the people and the coaching history exist."""
    rows = _Rows(trust, today, rng)
    running = list(
        Relationship.objects.filter(trust=trust, finished_on__isnull=True, coach__isnull=False)
        .select_related("teacher", "coach", "school")
        .order_by("pk")
    )
    steps = {
        step.relationship_id: step
        for step in ActionStep.objects.filter(
            relationship__in=running, closed_on__isnull=True
        ).order_by("pk")
    }
    classes = {}
    for rel_id, name in (
        DropIn.objects.filter(relationship__in=running, is_draft=False)
        .order_by("relationship_id", "visited_on", "pk")
        .values_list("relationship_id", "class_or_group")
    ):
        if name and name not in classes.setdefault(rel_id, []):
            classes[rel_id].append(name)
    demo_teacher = User.objects.filter(email=key_email(trust.slug, "teacher")).first()
    demo_coach = User.objects.filter(email=key_email(trust.slug, "coach")).first()
    # The demo teacher's goals go with the demo coach's coaching, whatever else they have.
    running.sort(key=lambda rel: rel.coach_id != getattr(demo_coach, "pk", None))
    seen = set()
    for rel in running:
        if rel.teacher_id in seen:
            continue  # one teacher, one set of goals, whatever coaching they have
        seen.add(rel.teacher_id)
        if demo_teacher is not None and rel.teacher_id == demo_teacher.pk:
            _demo_teacher(rows, rel, steps.get(rel.pk), classes.get(rel.pk, []))
        elif rng.random() < SHARE_OF_OTHER_TEACHERS:
            _other_teacher(rows, rel, steps.get(rel.pk), classes.get(rel.pk, []))
    rows.save()
