"""URLs of the participants app: each area keeps its own list in its views module."""

from participants.views import imports, my_data, registration

app_name = "participants"

urlpatterns = [
    *registration.urlpatterns,
    *imports.urlpatterns,
    *my_data.urlpatterns,
]
