from django.urls import path

from coachloop.coaching.views import (
    agreements,
    coach,
    dropins,
    evidence,
    groups,
    lead,
    learning,
    portability,
    progression,
    relationships,
    reviews,
    sharing,
    steps,
    teacher,
)

app_name = "coaching"
urlpatterns = [
    path("coach/", coach.coach_home, name="coach_home"),
    path("coach/teachers/<int:relationship_id>/", coach.coachee, name="coachee"),
    path("coach/teachers/<int:relationship_id>/drop-in/", dropins.dropin_new, name="dropin_new"),
    path(
        "coach/teachers/<int:relationship_id>/drop-in/draft/",
        dropins.dropin_draft,
        name="dropin_draft",
    ),
    path(
        "coach/teachers/<int:relationship_id>/drop-in/draft/delete/",
        dropins.dropin_draft_discard,
        name="dropin_draft_discard",
    ),
    path("coach/teachers/<int:relationship_id>/step/", steps.step_set, name="step_set"),
    path("coach/steps/<int:step_id>/status/", steps.step_status, name="step_status"),
    path(
        "coach/steps/<int:step_id>/agreed/",
        steps.step_agreed_in_conversation,
        name="step_agreed_in_conversation",
    ),
    path("steps/<int:step_id>/agree/", steps.step_agree, name="step_agree"),
    path("steps/<int:step_id>/not-now/", steps.step_not_now, name="step_not_now"),
    path("drop-ins/<int:dropin_id>/", dropins.dropin_detail, name="dropin_detail"),
    path("drop-ins/<int:dropin_id>/saved/", dropins.dropin_saved, name="dropin_saved"),
    path("drop-ins/<int:dropin_id>/edit/", dropins.dropin_edit, name="dropin_edit"),
    path("steps/<int:step_id>/rehearsals/new/", steps.rehearsal_plan, name="rehearsal_plan"),
    path("rehearsals/<int:rehearsal_id>/log/", steps.rehearsal_log, name="rehearsal_log"),
    path("me/", teacher.teacher_home, name="teacher_home"),
    path("me/who-has-read-my-records/", teacher.my_audit, name="my_audit"),
    path("lead/<slug:school_slug>/", lead.lead_home, name="lead_home"),
]

# Each part of the teacher's own learning lists its routes beside its views.
for part in (
    relationships,
    groups,
    agreements,
    learning,
    evidence,
    progression,
    reviews,
    sharing,
    portability,
):
    urlpatterns += part.urlpatterns
