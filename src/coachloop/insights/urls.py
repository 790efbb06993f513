app_name = "insights"
urlpatterns = []
