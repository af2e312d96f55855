from django.urls import path

from core.views import audit_list

app_name = "core"
urlpatterns = [path("audit/", audit_list, name="audit_list")]
