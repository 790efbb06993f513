"""Sentences for the demo's drop-ins and rehearsals: strengths first, specific and warm; no
grades, no judgement of the teacher, and never a pupil's name.
"""

from coachloop.coaching.models import DropIn, Rehearsal
from coachloop.people.models import School

STRENGTHS = (
    "You were at the door as the class arrived and the do-now was already on the board, so "
    "pupils were writing within a minute.",
    "Your explanation of the worked example was calm and clear: you narrated each step and "
    "paused before the tricky one.",
    "Every pupil answered on a mini-whiteboard, and you scanned the whole room before moving on.",
    "You used cold calling warmly: everyone had thinking time before you chose who would answer.",
    "You praised effort precisely ('you checked your units before answering'), and the rest of "
    "the table followed suit.",
    "Instructions came one at a time with a clear signal to start, and the room settled quickly.",
    "You circulated with purpose, going first to the tables that had started slowly.",
    "Key vocabulary was on the board and you used it consistently, so pupils used it back in "
    "their answers.",
    "Your tone stayed calm and positive when the room got louder, and one countdown brought it "
    "back.",
    "You modelled the answer live under the visualiser, thinking aloud about each choice.",
    "The retrieval questions at the start linked back to last week's work, and pupils clearly "
    "recognised them.",
    "You checked for understanding before the independent task and re-explained the one step "
    "several pupils had missed.",
    "The success criteria were short and visible, and you referred back to them twice.",
    "Pupils knew exactly where to find equipment; nobody needed to ask.",
    "You gave a pupil who was stuck a prompt rather than the answer, and they got there "
    "themselves.",
    "Your warm greeting and clear first instruction set a purposeful tone from the first minute.",
    "The exit ticket checked the one idea that mattered most in the lesson.",
    "Tasks were short, with clear time limits on the board, so the pace never dropped.",
    "You moved from 'I do' to 'we do' to 'you do' deliberately, and pupils were confident by "
    "the time they worked alone.",
    "You spotted a common error early and stopped the class for a thirty-second reteach.",
    "Partner talk was well structured: a clear question, a time limit, and you listened in to "
    "two pairs before taking answers.",
    "Books were handed out by table monitors in a few seconds, without any fuss.",
    "The atmosphere was calm and focused, and pupils were comfortable getting things wrong in "
    "front of each other.",
    "You connected the new idea to something pupils already knew, and you could see it land.",
    "Your questions built from recall to 'why', and you pushed for a fuller second answer.",
    "You narrated what was going well ('the back row are already on question two') before "
    "correcting anything.",
    "The lesson started with a short, silent recap, and everyone was working straight away.",
    "You used a non-verbal signal to redirect one pupil without interrupting the explanation.",
)
STRENGTHS_BY_PHASE = {
    School.Phase.PRIMARY: (
        "Phonics sounds were modelled crisply and the whole group echoed them back together.",
        "The counting stick routine had everyone joining in, and you sped up as confidence grew.",
        "Moving from the carpet to the tables took under a minute because the routine was "
        "clearly well practised.",
        "You used talk partners on the carpet and everyone turned to face their partner at once.",
        "The shared reading was lively and you stopped at just the right moments to check meaning.",
    ),
    School.Phase.SECONDARY: (
        "The safety briefing for the practical was short and every group started at once.",
        "You read the first section aloud and pupils followed with a ruler under the line.",
        "The exam question was unpicked together before pupils tried one on their own.",
        "You used the seating plan to pair confident readers with less confident ones.",
        "Homework was checked in two minutes with a quick show of books on desks.",
    ),
}
NOTICED = (
    "A few pupils at the back waited several minutes with hands up during the independent task.",
    "When answers came from volunteers, the same four or five pupils responded each time.",
    "Instructions for the task were given while some pupils were still packing away, and a few "
    "then asked what to do.",
    "Some pupils finished the first task early and were not sure what to do next.",
    "Pupils began the task before it was clear that everyone had understood the first step.",
    "Transitions between tasks took a couple of minutes while equipment was found.",
    "During the self-assessment a couple of pupils copied from the board rather than correcting "
    "their own work.",
    "In partner talk, several pairs drifted off the question after the first minute.",
    "The mini-whiteboards came up, but there was not quite time to look at them before the next "
    "question.",
    "Questions were mostly recall; there was a natural place for a 'why' question after the "
    "second example.",
    "The noise level rose during group work and it took two attempts to get full attention.",
    "Pupils were keen to answer and called out rather than waiting to be chosen.",
    "The worked example was taken down before most of the class had finished using it.",
    "It was not always clear which pupils were secure before the class moved on.",
    "The lesson opened with an administrative task, so the first five minutes had little "
    "thinking in them.",
    "Pupils rarely used the key vocabulary in their own answers, though it was on the board.",
    "One table needed the instructions repeated individually.",
    "Errors on the starter varied a lot from table to table, and feedback went to the whole class.",
    "Clearing up after the activity took longer than planned and squeezed the final check.",
    "Some pupils were still writing while you explained, and a few started the task too soon.",
    "The countdown worked each time, though it was used often and began to lose its effect.",
    "I wondered whether a shorter task would leave time to go over it together.",
    "Most pupils chose the same level of challenge, including some who looked ready for more.",
)
EVIDENCE = (
    "Mini-whiteboards: all but two correct on the second check question.",
    "Most pupils started writing within thirty seconds of the signal to begin.",
    "Books showed corrections in green pen from the last lesson's feedback.",
    "Six pupils answered by cold call, and every one of them attempted an answer.",
    "I looked at ten exit tickets at the door; most had the key step right.",
    "The whole class was silent and working within a minute of coming in.",
    "Three hands were up waiting for help at the twelve-minute mark.",
    "The move into groups took about ninety seconds.",
    "Pupils used the key vocabulary accurately in four of the answers I heard.",
    "Two pupils asked to go back over the worked example.",
    "Every table had the right equipment out before the task began.",
    "Eight of the ten answers I heard were full sentences.",
    "Four pupils extended their answer after a 'say more' prompt.",
    "The task instructions were on the board and pupils referred to them without asking.",
    "Nearly every pupil had finished the first three questions by the time I left.",
    "Around half of the class had their hands up for each question; most answers came from "
    "the front two rows.",
    "Pupils' books showed the same misconception in three places.",
    "The do-now was complete in every book I looked at.",
)
FOLLOWUP_EVIDENCE = {
    DropIn.FollowUp.HABIT: (
        "The action step looked automatic: it happened without a pause and pupils responded "
        "straight away.",
        "I saw the step three times in twelve minutes, each time smoothly.",
        "The step is now part of the routine; pupils anticipated it.",
    ),
    DropIn.FollowUp.EMERGING: (
        "The step was there at the start and dropped away during the busier middle section.",
        "I saw the step once, clearly; a second chance to use it passed by.",
        "The step was used, though it still looked deliberate rather than automatic.",
    ),
    DropIn.FollowUp.NOT_YET: (
        "There was a natural moment for the step during the transition, and it was not used "
        "this time.",
        "I did not see the step in the part of the lesson I was in.",
    ),
    DropIn.FollowUp.NO_CHANCE: (
        "The class was in a timed assessment, so there was no moment for the step today.",
        "I arrived during a video clip, so there was no chance to see the step.",
    ),
}
PLANS = {
    Rehearsal.Mode.TOGETHER: (
        "Rehearse the first two minutes of the lesson three times, with me playing the class.",
        "Script the instruction in no more than three short sentences, then practise it until "
        "it comes without notes.",
        "Practise pausing before naming who answers, with me giving wrong and half-right answers.",
        "Walk the room together and practise where to stand to see every table during the task.",
        "Rehearse the countdown and the positive narration twice, then again with me as a pupil "
        "who carries on talking.",
        "Plan the two check-for-understanding questions together and rehearse responding to a "
        "wrong answer.",
    ),
    Rehearsal.Mode.ALONE: (
        "Rehearse the script aloud in the empty classroom before the first lesson, twice.",
        "Record the explanation on a phone and listen back for the pause before the key step.",
        "Practise the signal in front of a mirror until it is short and calm.",
        "Write the three questions on a sticky note and rehearse asking them in order.",
    ),
}
HOW_IT_WENT = (
    "Felt clunky the first time; by the third run it came naturally.",
    "We cut it down to the essentials, which felt much clearer.",
    "Rehearsed twice. The pause still feels long, so we will keep practising it.",
    "Much more confident now, and tried it with the class the same afternoon.",
    "Practising the tricky moment helped most: I know what I will say if it goes wrong.",
    "Useful to do it out loud. I rush the key moment, so I marked a pause in my notes.",
    "Quick but worth it; it feels automatic now.",
    "We changed one small thing, which made a real difference in the lesson.",
)
DRAFT_STARTS = (
    "Calm, purposeful start: the do-now was on the board as pupils came in.",
    "Clear modelling under the visualiser, with the key step narrated.",
    "Warm greeting at the door and books out straight away.",
)
