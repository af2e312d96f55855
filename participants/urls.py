"""URLs of the participants app: each area keeps its own list in its views module."""

from participants.views import dashboard, imports, my_data, registration, reports

app_name = "participants"

urlpatterns = [
    *registration.urlpatterns,
    *imports.urlpatterns,
    *reports.urlpatterns,
    *dashboard.urlpatterns,
    *my_data.urlpatterns,
]
