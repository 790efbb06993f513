"""(being written for issue 4)"""

urlpatterns = []
