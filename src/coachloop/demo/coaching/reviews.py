"""Demo rows for coaches as learners: the demo coach's session reviews (a few shared with
their QA lead) and their learning log, for the demo trust ``demo.build.build_demo`` builds.

Reviews follow the coach's real drop-ins (a feedback conversation follows a visit), and the
principles show a little more often as the term goes on. Everything follows from ``rng``.
"""

import datetime as dt

from coachloop.coaching.models import DropIn
from coachloop.coaching.principles import PRINCIPLES, Showing
from coachloop.coaching.queries.reviews import review_choices
from coachloop.coaching.services.reviews import learning_entry_add, session_review_record
from coachloop.demo.accounts import key_email
from coachloop.people.models import User
from coachloop.people.queries import viewer_for

REVIEWS = 8
SHARED_WITH_QA = (1, 4, 6)  # which of the reviews, oldest first, the coach shared

WENT_WELL = (
    "I asked the teacher what they noticed before saying anything myself, and they named the "
    "step before I did.",
    "We rehearsed the step twice in the empty classroom, and the second go was much sharper.",
    "I kept to one action step, and we agreed what success would look like in the next lesson.",
    "I left a real pause after each question; the teacher filled it with their own ideas.",
    "I opened with a specific strength and linked it to the evidence I had seen.",
    "The teacher chose the class we will look at next time, which they have not done before.",
    "We looked at why the step works, not only how to do it, using a short reading.",
    "I noticed I learnt something myself about how this school sets homework.",
)
TRY_NEXT = (
    "Ask what the teacher wants to work on before bringing my own notes out.",
    "Plan the rehearsal before the conversation so we do not run out of time for it.",
    "Say less: one strength, one step, then practise.",
    "Check the learning agreement together; it is half a term old now.",
    "Bring a colleague's example of the step so the teacher can see it done elsewhere.",
    "Let the teacher write the step in their own words.",
    "Leave five minutes at the end for the teacher to say what they will try first.",
    "Ask how we will know the pupils are benefiting, not only whether the step happened.",
)
LOG = (
    (
        "Coach training: rehearsal that sticks",
        "Practice works best when it is short, specific and repeated. Next week I will have "
        "teachers rehearse the first ten seconds of the step, not the whole routine.",
    ),
    (
        "Reading on questioning in feedback",
        "Open questions only help when I wait for the answer. I timed my pauses in one "
        "conversation: most were under two seconds.",
    ),
    (
        "Watched a colleague's feedback conversation",
        "They asked the teacher to score their own lesson against the step before giving "
        "any view. It made the conversation much more equal.",
    ),
    (
        "Being coached myself",
        "Having my own coach this term reminds me how it feels to be told what to do. I want "
        "my teachers to choose their step more often.",
    ),
    (
        "Twilight on the principles",
        "Growing self-direction is the principle I see least in my reviews. I will ask "
        "teachers to propose their own next step and see what happens.",
    ),
)


def _ratings(rng, progress):
    """How far each principle showed, a little more often later in the term (0 to 1)."""
    ratings = {}
    for principle in PRINCIPLES:
        if principle.advanced and rng.random() < 0.5:
            ratings[principle.code] = Showing.NOT_RELEVANT.value
            continue
        roll = rng.random() + 0.3 * progress
        if roll > 0.85:
            ratings[principle.code] = Showing.STRONGLY.value
        elif roll > 0.45:
            ratings[principle.code] = Showing.PARTLY.value
        elif roll > 0.1:
            ratings[principle.code] = Showing.NOT_THIS_TIME.value
        else:
            ratings[principle.code] = Showing.NOT_RELEVANT.value
    return ratings


def _conversations(coach, count, rng):
    """(relationship, day) for up to ``count`` of the coach's drop-ins, spread over the term."""
    visits = list(
        DropIn.objects.filter(relationship__coach=coach, is_draft=False)
        .select_related("relationship")
        .order_by("visited_on", "pk")
    )
    if not visits:
        return []
    if len(visits) <= count:
        return [(v.relationship, v.visited_on) for v in visits]
    stride = len(visits) / count
    picks = [visits[int(i * stride + rng.random() * stride)] for i in range(count)]
    return [(v.relationship, v.visited_on) for v in picks]


def demo_reviews(trust, today, rng):
    """Give the demo coach about eight session reviews (three shared with QA), a review of a
    group session they took part in if there is one, and a learning log. Runs inside the
    trust's scope."""
    coach = User.objects.filter(email=key_email(trust.slug, "coach")).first()
    if coach is None:
        return
    viewer = viewer_for(coach, trust_id=trust.pk)
    if viewer is None:
        return
    conversations = _conversations(coach, REVIEWS, rng)
    for index, (relationship, day) in enumerate(conversations):
        session_review_record(
            viewer=viewer,
            held_on=day,
            relationship=relationship,
            ratings=_ratings(rng, index / max(1, len(conversations) - 1)),
            went_well=WENT_WELL[index % len(WENT_WELL)],
            try_next=TRY_NEXT[index % len(TRY_NEXT)],
            shared_with_qa=index in SHARED_WITH_QA,
        )
    # The latest group session the coach took part in, as the review form offers them.
    session = next(iter(review_choices(viewer, today=today).group_sessions), None)
    if session is not None:
        session_review_record(
            viewer=viewer,
            held_on=session.met_on,
            group_session=session,
            ratings=_ratings(rng, 1),
            went_well="Everyone asked a question before anyone offered advice.",
            try_next="Keep the presenter's action to one sentence they write themselves.",
        )
    first = min((day for _rel, day in conversations), default=today - dt.timedelta(days=60))
    span = max(1, (today - first).days)
    for index, (title, body) in enumerate(LOG):
        day = first + dt.timedelta(days=span * index // len(LOG) + rng.randint(0, 3))
        learning_entry_add(viewer=viewer, written_on=min(day, today), title=title, body=body)
