"""The dashboard (dasbor) pages: figures of an event or of a program, each linked to the list behind it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from events.models import Program
from participants.dashboard import event_dashboard, program_overview
from participants.scoping import events_visible_to, is_central, sites_visible_to


@login_required
def dashboard_home(request):
    if not request.user.has_perm("participants.view_registration"):
        raise PermissionDenied
    events = events_visible_to(request.user).select_related("program").order_by("-start_date")
    programs = Program.objects.order_by("code") if is_central(request.user) else Program.objects.none()
    return render(request, "participants/outcomes/dashboard_home.html", {"events": events, "programs": programs})


@login_required
def dashboard_event(request, event_id: int):
    if not request.user.has_perm("participants.view_registration"):
        raise PermissionDenied
    event = get_object_or_404(events_visible_to(request.user).select_related("program"), pk=event_id)
    site = None
    if request.GET.get("site"):
        try:
            site_id = int(request.GET["site"])
        except ValueError:
            raise Http404 from None
        site = get_object_or_404(sites_visible_to(request.user).filter(event=event), pk=site_id)
    dashboard = event_dashboard(user=request.user, event=event, site=site)
    site_links = sites_visible_to(request.user).filter(event=event).select_related("venue__regency__province")
    return render(
        request,
        "participants/outcomes/dashboard_event.html",
        {"dashboard": dashboard, "event": event, "site_links": site_links},
    )


@login_required
def dashboard_program(request, program_id: int):
    if not is_central(request.user):
        raise PermissionDenied
    program = get_object_or_404(Program, pk=program_id)
    rows, chart = program_overview(program=program)
    return render(
        request, "participants/outcomes/dashboard_program.html", {"program": program, "rows": rows, "chart": chart}
    )


urlpatterns = [
    path("dasbor/", dashboard_home, name="dashboard"),
    path("dasbor/kegiatan/<int:event_id>/", dashboard_event, name="dashboard_event"),
    path("dasbor/program/<int:program_id>/", dashboard_program, name="dashboard_program"),
]
