"""URLs of the participants app: each area keeps its own list in its views module."""

from participants.views import imports, my_data, outcomes, registration, reports

app_name = "participants"

urlpatterns = [
    *registration.urlpatterns,
    *imports.urlpatterns,
    *reports.urlpatterns,
    *outcomes.urlpatterns,
    *my_data.urlpatterns,
]
