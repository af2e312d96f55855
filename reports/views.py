"""Views of the reports area: the reports page of an event and the download of a report (through the export
kit: at once, or as a background job with a progress bar), the dashboard (dasbor) of an event or a
program, each figure linked to the list behind it; the papers of an event (certificates and their revocation,
the piagam penghargaan and who is chosen for it) and their public verification page; the laporan kegiatan (its
narrative, documentation photos and signed daftar hadir scans, written by the panitia; read and downloaded by
those who take the event's reports). Every object comes through the user's scope (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.exports import exporter_label
from core.models import ReportJob
from core.throttle import FAILED_LOOKUPS, throttled
from core.views import export_download
from events.models import Program
from events.selectors import events_visible_to, is_central, sites_visible_to
from reports.dashboard import event_dashboard, program_overview
from reports.forms import (
    AppreciationSelectForm,
    CaptionForm,
    CitationForm,
    NarrativeForm,
    NumberFormatForm,
    PhotoForm,
    RevokeForm,
    ScanForm,
)
from reports.models import Appreciation, Certificate, NumberSeries
from reports.outputs.attendance_recap import AttendanceRecap
from reports.outputs.badges import Badges
from reports.outputs.certificates import Certificates, CertificatesZip
from reports.outputs.daftar_hadir import DaftarHadir, DaftarHadirFilled
from reports.outputs.laporan import LaporanKegiatan, LaporanKegiatanZip
from reports.outputs.piagam import Piagam, PiagamList
from reports.outputs.rekap import Rekap
from reports.selectors import (
    LaporanAccess,
    activity_report_of,
    appreciation_candidates,
    appreciations_of_event,
    can_take_reports,
    certificates_of_event,
    documentation_photos_of,
    event_for_papers,
    event_for_reports,
    laporan_access,
    laporan_photo,
    laporan_session,
    laporan_site,
    may_manage_papers,
    number_series_of_event,
    paper_verification,
    report_sites_for,
    signed_sheets_of,
)
from reports.services import (
    DEFAULT_NUMBER_FORMATS,
    Narrative,
    PaperError,
    activity_report_save,
    appreciation_citation_change,
    appreciation_revoke,
    appreciation_select,
    certificate_revoke,
    documentation_photo_add,
    documentation_photo_caption_change,
    documentation_photo_delete,
    number_series_set_format,
    organizer_code,
    signed_sheet_delete,
    signed_sheet_upload,
)

# The official reports of an event, in the order the reports page lists them.
REPORTS = (Rekap, AttendanceRecap, Badges, Certificates, CertificatesZip, DaftarHadir, DaftarHadirFilled)
# Downloads of the piagam page (listed there, not on the reports page).
PIAGAM_REPORTS = (PiagamList, Piagam)
# Downloads of the laporan kegiatan page (always background jobs).
LAPORAN_REPORTS = (LaporanKegiatan, LaporanKegiatanZip)
REPORT_KINDS = {report.kind for report in REPORTS + PIAGAM_REPORTS + LAPORAN_REPORTS}


def _require_reports(user) -> None:
    if not can_take_reports(user):
        raise PermissionDenied


@login_required
def report_events(request):
    _require_reports(request.user)
    sites = report_sites_for(request.user).select_related("event").order_by("-event__start_date", "order")
    events = {}
    for site in sites:
        events.setdefault(site.event, []).append(site)
    return render(request, "reports/events.html", {"events": events})


@login_required
def report_index(request, event_id: int):
    _require_reports(request.user)
    event, sites = event_for_reports(user=request.user, event_id=event_id)
    context = {
        "event": event,
        "sites": sites,
        "may_manage_papers": may_manage_papers(request.user),
        "event_reports": [cls for cls in REPORTS if cls.scope == "event"],
        "site_reports": [cls for cls in REPORTS if cls.scope == "site"],
        "session_reports": [cls for cls in REPORTS if cls.scope == "session"],
        "jobs": [
            (job, job.description or exporter_label(job.kind))
            for job in ReportJob.objects.filter(user=request.user, kind__in=REPORT_KINDS, params__event_id=event.id)[
                :10
            ]
        ],
    }
    return render(request, "reports/index.html", context)


@login_required
def report_download(request, event_id: int, kind: str, file_format: str):
    if kind not in REPORT_KINDS:
        raise Http404
    return export_download(request, kind=kind, file_format=file_format, event_id=event_id)


# --- the dashboard (dasbor) ---


@login_required
def dashboard_home(request):
    if not request.user.has_perm("participants.view_registration"):
        raise PermissionDenied
    events = events_visible_to(request.user).select_related("program").order_by("-start_date")
    programs = Program.objects.order_by("code") if is_central(request.user) else Program.objects.none()
    return render(request, "reports/dashboard_home.html", {"events": events, "programs": programs})


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
        "reports/dashboard_event.html",
        {"dashboard": dashboard, "event": event, "site_links": site_links},
    )


@login_required
def dashboard_program(request, program_id: int):
    if not is_central(request.user):
        raise PermissionDenied
    program = get_object_or_404(Program, pk=program_id)
    rows, chart = program_overview(program=program)
    return render(request, "reports/dashboard_program.html", {"program": program, "rows": rows, "chart": chart})


# --- the papers: certificates (list, revocation) and piagam penghargaan; the public verification page ---


def _paper_error(request, error: PaperError) -> None:
    messages.error(request, error.message)


@login_required
def certificate_list(request, event_id: int):
    event = event_for_papers(user=request.user, event_id=event_id)
    series = number_series_of_event(event=event)
    formats = [
        (
            kind,
            label,
            series.get(kind),
            NumberFormatForm(
                initial={
                    "kind": kind,
                    "number_format": series[kind].number_format if kind in series else DEFAULT_NUMBER_FORMATS[kind],
                }
            ),
        )
        for kind, label in NumberSeries.Kind.choices
    ]
    context = {
        "event": event,
        "certificates": certificates_of_event(event=event),
        "formats": formats,
        "organizer_code": organizer_code(event),
    }
    return render(request, "reports/certificates.html", context)


@login_required
@require_POST
def number_format_set(request, event_id: int):
    event = event_for_papers(user=request.user, event_id=event_id)
    form = NumberFormatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a number format."))
    else:
        try:
            number_series_set_format(
                event=event,
                kind=form.cleaned_data["kind"],
                number_format=form.cleaned_data["number_format"],
                actor=request.user,
            )
        except PaperError as error:
            _paper_error(request, error)
        else:
            messages.success(request, _("The number format was saved."))
    return redirect("reports:certificate_list", event_id=event.pk)


def _revoke(request, paper, revoke, done: str) -> None:
    """The revocation form of a certificate or piagam: the reason required, the service's refusal or the
    success told as a message."""
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
        return
    try:
        revoke(actor=request.user, reason=form.cleaned_data["reason"])
    except PaperError as error:
        _paper_error(request, error)
    else:
        messages.success(request, done % {"number": paper.number})


@login_required
@require_POST
def certificate_revoke_view(request, event_id: int, certificate_id: int):
    event = event_for_papers(user=request.user, event_id=event_id)
    certificate = get_object_or_404(Certificate, pk=certificate_id, event=event)
    done = _("Certificate %(number)s was revoked: its verification page says so.")
    _revoke(request, certificate, lambda **kwargs: certificate_revoke(certificate=certificate, **kwargs), done)
    return redirect("reports:certificate_list", event_id=event.pk)


@login_required
def piagam(request, event_id: int):
    event = event_for_papers(user=request.user, event_id=event_id)
    candidates = appreciation_candidates(event=event)
    select_form = None
    if request.method == "POST":
        select_form = AppreciationSelectForm(request.POST, candidates=candidates)
        if select_form.is_valid():
            try:
                appreciation = appreciation_select(
                    event=event,
                    candidate=select_form.cleaned_data["candidate"],
                    citation=select_form.cleaned_data["citation"],
                    actor=request.user,
                )
            except PaperError as error:
                _paper_error(request, error)
            else:
                messages.success(
                    request,
                    _("%(name)s was chosen for a piagam penghargaan (number %(number)s).")
                    % {"name": appreciation.holder_name, "number": appreciation.number},
                )
                return redirect("reports:piagam", event_id=event.pk)
    context = {
        "event": event,
        "appreciations": appreciations_of_event(event=event),
        "candidates": candidates,
        "select_form": select_form,
        "failed_key": select_form.data.get("candidate") if select_form is not None else "",
    }
    return render(request, "reports/piagam.html", context)


@login_required
@require_POST
def piagam_citation(request, event_id: int, appreciation_id: int):
    event = event_for_papers(user=request.user, event_id=event_id)
    appreciation = get_object_or_404(Appreciation, pk=appreciation_id, event=event)
    form = CitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short citation for the piagam (at most 300 characters)."))
    else:
        try:
            appreciation_citation_change(
                appreciation=appreciation, citation=form.cleaned_data["citation"], actor=request.user
            )
        except PaperError as error:
            _paper_error(request, error)
        else:
            messages.success(request, _("The citation was saved."))
    return redirect("reports:piagam", event_id=event.pk)


@login_required
@require_POST
def piagam_revoke(request, event_id: int, appreciation_id: int):
    event = event_for_papers(user=request.user, event_id=event_id)
    appreciation = get_object_or_404(Appreciation, pk=appreciation_id, event=event)
    done = _("Piagam %(number)s was revoked: its verification page says so.")
    _revoke(request, appreciation, lambda **kwargs: appreciation_revoke(appreciation=appreciation, **kwargs), done)
    return redirect("reports:piagam", event_id=event.pk)


@never_cache
@throttled(FAILED_LOOKUPS, count=False, methods=None)
def paper_verify(request, token: str):
    """The public verification page of a certificate or piagam, reached by the QR code printed on it: number,
    holder, event, issue date, valid or revoked. No identifier of the holder. An unknown key is a failed look-up
    (404; too many from one address: 429). Search engines are asked not to index it."""
    verification = paper_verification(token=token)
    if verification is None:
        FAILED_LOOKUPS.hit(request)
        raise Http404
    response = render(request, "reports/paper_verify.html", {"paper": verification})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the laporan kegiatan: narrative, documentation photos, signed daftar hadir scans ---------------------------


def _laporan_jobs(request, event) -> list:
    kinds = [report.kind for report in LAPORAN_REPORTS]
    jobs = ReportJob.objects.filter(user=request.user, kind__in=kinds, params__event_id=event.id)[:5]
    return [(job, job.description or exporter_label(job.kind)) for job in jobs]


def _require_edit(access: LaporanAccess) -> None:
    if not access.may_edit:
        raise PermissionDenied


def _narrative_form(report, data=None) -> NarrativeForm:
    initial = {}
    if report is not None:
        initial = {name: getattr(report, name) for name in NarrativeForm.base_fields}
    return NarrativeForm(data, initial=initial)


def _save_narrative(request, access: LaporanAccess, site=None):
    """The narrative form's POST: saved as a draft, or as final (the "final" button); None when saved."""
    _require_edit(access)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The narrative was not saved: see the messages next to the fields."))
        return form
    final = "final" in request.POST
    activity_report_save(
        event=access.event, site=site, narrative=Narrative(**form.cleaned_data), final=final, actor=request.user
    )
    messages.success(request, _("Saved as final.") if final else _("Saved as a draft."))
    return None


@login_required
def laporan(request, event_id: int):
    """The laporan kegiatan of an event: its narrative (the panitia write it; others read it), the sites, the
    downloads (the whole event, or one site) and the user's recent bundles."""
    access = laporan_access(user=request.user, event_id=event_id)
    report = activity_report_of(event=access.event)
    form = None
    if request.method == "POST":
        form = _save_narrative(request, access)
        if form is None:
            return redirect("reports:laporan", event_id=access.event.pk)
    context = {
        "event": access.event,
        "sites": access.sites,
        "may_edit": access.may_edit,
        "report": report,
        "form": form or _narrative_form(report),
        "jobs": _laporan_jobs(request, access.event),
        "whole_event": len(access.sites) == access.event.sites.count(),
    }
    return render(request, "reports/laporan.html", context)


@login_required
def laporan_site_page(request, event_id: int, site_id: int):
    """One site of the laporan: its own narrative (empty texts take the event's), its documentation photos and the
    signed daftar hadir scans of its sessions."""
    access = laporan_access(user=request.user, event_id=event_id)
    site = laporan_site(access, site_id)
    report = activity_report_of(event=access.event, site=site)
    form = None
    if request.method == "POST":
        form = _save_narrative(request, access, site)
        if form is None:
            return redirect("reports:laporan_site", event_id=access.event.pk, site_id=site.pk)
    scans = signed_sheets_of(site=site)
    context = {
        "event": access.event,
        "site": site,
        "may_edit": access.may_edit,
        "report": report,
        "form": form or _narrative_form(report),
        "photos": documentation_photos_of(site=site),
        "photo_form": PhotoForm(),
        "sessions": [(session, scans.get(session.pk)) for session in site.sessions.all()],
    }
    return render(request, "reports/laporan_site.html", context)


def _site_to_edit(request, event_id: int, site_id: int) -> tuple[LaporanAccess, object]:
    """The laporan of the event and one of its sites, for a user who may edit it (else 403; out of scope 404)."""
    access = laporan_access(user=request.user, event_id=event_id)
    _require_edit(access)
    return access, laporan_site(access, site_id)


def _site_page(access: LaporanAccess, site, anchor: str = ""):
    response = redirect("reports:laporan_site", event_id=access.event.pk, site_id=site.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _refused(request, error: DomainError) -> None:
    messages.error(request, error.message)


@login_required
@require_POST
def laporan_photo_add(request, event_id: int, site_id: int):
    access, site = _site_to_edit(request, event_id, site_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a JPEG or PNG photo and write its caption (at most 300 characters)."))
        return _site_page(access, site, "photos")
    try:
        documentation_photo_add(
            site=site, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"], actor=request.user
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The photo was added."))
    return _site_page(access, site, "photos")


@login_required
@require_POST
def laporan_photo_caption(request, event_id: int, site_id: int, photo_id: int):
    access, site = _site_to_edit(request, event_id, site_id)
    photo = laporan_photo(site=site, photo_id=photo_id)
    form = CaptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a caption for the photo (at most 300 characters)."))
        return _site_page(access, site, "photos")
    try:
        documentation_photo_caption_change(photo=photo, caption=form.cleaned_data["caption"], actor=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The caption was saved."))
    return _site_page(access, site, "photos")


@login_required
@require_POST
def laporan_photo_delete(request, event_id: int, site_id: int, photo_id: int):
    access, site = _site_to_edit(request, event_id, site_id)
    documentation_photo_delete(photo=laporan_photo(site=site, photo_id=photo_id), actor=request.user)
    messages.success(request, _("The photo was deleted."))
    return _site_page(access, site, "photos")


def _stored_file(stored, filename: str):
    try:
        handle = stored.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=stored.content_type, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def laporan_photo_file(request, event_id: int, site_id: int, photo_id: int):
    access = laporan_access(user=request.user, event_id=event_id)
    site = laporan_site(access, site_id)
    photo = laporan_photo(site=site, photo_id=photo_id)
    return _stored_file(photo, f"foto-{photo.pk}.{photo.extension}")


@login_required
@require_POST
def laporan_scan_upload(request, event_id: int, site_id: int, session_id: int):
    access, site = _site_to_edit(request, event_id, site_id)
    session = laporan_session(site=site, session_id=session_id)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the scan of the signed attendance sheet (PDF, JPEG or PNG)."))
        return _site_page(access, site, "scans")
    try:
        signed_sheet_upload(session=session, upload=form.cleaned_data["file"], actor=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The signed sheet of %(session)s was stored: the report prints it instead of the generated one.")
            % {"session": session.name},
        )
    return _site_page(access, site, "scans")


@login_required
@require_POST
def laporan_scan_delete(request, event_id: int, site_id: int, session_id: int):
    access, site = _site_to_edit(request, event_id, site_id)
    signed_sheet_delete(session=laporan_session(site=site, session_id=session_id), actor=request.user)
    messages.success(request, _("The scan was deleted: the report prints the generated attendance sheet again."))
    return _site_page(access, site, "scans")


@login_required
def laporan_scan_file(request, event_id: int, site_id: int, session_id: int):
    access = laporan_access(user=request.user, event_id=event_id)
    site = laporan_site(access, site_id)
    session = laporan_session(site=site, session_id=session_id)
    sheet = signed_sheets_of(site=site).get(session.pk)
    if sheet is None:
        raise Http404
    return _stored_file(sheet, f"daftar-hadir-{session.pk}.{sheet.extension}")
