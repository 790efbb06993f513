from coachloop.rollout.views import adaptation, emails, model, team, time

app_name = "rollout"
# Each page module lists its own routes.
urlpatterns = [
    *model.urlpatterns,
    *adaptation.urlpatterns,
    *team.urlpatterns,
    *time.urlpatterns,
    *emails.urlpatterns,
]
