"""The access matrix: every URL pattern × every group gives the expected outcome.

The test enumerates the URL patterns itself, so a new view without a rule here fails
`test_every_url_pattern_has_a_rule`. Outcomes: a status code, or "login" (redirect to the login
page). Every view that takes an object has a row with an object of another event, site or province
(`OTHER_SCOPE_RULES` and the `riau`/`rakor` rows), which no scoped user may reach.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from attendance.models import HeldCheckin
from attendance.services import attendance_sync
from events import groups as G
from reports.models import Certificate
from tests.factories import register, user_in

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, G.ADMIN_PUSAT, G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT]
PUBLIC = dict.fromkeys(ROLES, 200)

# URL names that are not views of ours to check here: Django's admin (checked by the admin tests
# through model permissions), the language switch (POST only) and log in/out.
SKIPPED_NAMESPACES = {"admin"}
# admin_view_on_site is the admin's own redirect, replaced (tests/test_admin_access.py checks it).
SKIPPED_NAMES = {"set_language", "logout", "login", "admin_view_on_site"}


@dataclass
class Rule:
    expect: dict[str, int | str]
    kwargs: callable = field(default=lambda ctx: {})
    method: str = "get"
    data: dict = field(default_factory=dict)


def staff(default: int | str, **by_group: int | str) -> dict[str, int | str]:
    """Anonymous users go to the login page; each group gets `default` unless named."""
    names = {
        "admin": G.ADMIN_PUSAT,
        "panitia": G.PANITIA,
        "koordinator": G.KOORDINATOR_SITE,
        "verifikator": G.VERIFIKATOR,
        "operator": G.OPERATOR_DINAS,
        "pejabat": G.PEJABAT,
    }
    expect = {role: default for role in ROLES}
    expect[ANONYMOUS] = "login"
    for key, value in by_group.items():
        expect[names[key]] = value
    return expect


def bima_session(ctx) -> dict:
    return {"session_id": ctx["lokakarya"].sites.get(name="Kab. Bima").sessions.first().pk}


def bima_site(ctx) -> dict:
    return {"site_id": ctx["lokakarya"].sites.get(name="Kab. Bima").pk}


# Check-in: Panitia of the event, Koordinator of the site, Admin pusat; nobody else.
def bima_registration(ctx) -> dict:
    return {"pk": ctx["bima_registration"].pk}


def riau_registration(ctx) -> dict:
    return {"pk": ctx["riau_registration"].pk}


CHECKIN = staff(403, admin=200, panitia=200, koordinator=200)
CHECKIN_POST = staff(403, admin=400, panitia=400, koordinator=400)
CHECKIN_DECIDE = staff(403, admin=302, panitia=302, koordinator=302)


def _held(registration, session) -> dict:
    """An offline check-in of `registration` held because its phone time is days after `session`."""
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": session.pk,
        "checked_in_at": (session.starts_at + dt.timedelta(days=3)).isoformat(),
    }
    attendance_sync(site=session.site, items=[item], actor=None)
    return {"pk": HeldCheckin.objects.get(client_uuid=item["uuid"]).pk}


def bima_held(ctx) -> dict:
    return _held(ctx["bima_registration"], ctx["lokakarya"].sites.get(name="Kab. Bima").sessions.first())


RULES: dict[str, Rule | list[Rule]] = {
    # The audit log: Admin pusat only.
    "core:audit_list": Rule(staff(403, admin=200)),
    # The participant's own data: public (the code is the key); correcting without a looked-up code redirects.
    "participants:my_data": Rule(PUBLIC),
    "participants:my_data_correction": Rule(dict.fromkeys(ROLES, 302), method="post"),
    "participants:correction_list": Rule(staff(403, admin=200, panitia=200, koordinator=200, verifikator=200)),
    "participants:correction_decide": Rule(
        staff(403, admin=404, panitia=404, koordinator=404, verifikator=404), lambda ctx: {"pk": 999999}, method="post"
    ),
    "events:event_list": Rule(PUBLIC),
    "events:event_detail": Rule(PUBLIC, lambda ctx: {"slug": ctx["lokakarya"].slug}),
    "attendance:checkin_sessions": Rule(CHECKIN),
    "attendance:checkin_screen": Rule(CHECKIN, bima_session),
    "attendance:checkin_roster": Rule(CHECKIN, bima_session),
    "attendance:checkin_counts": Rule(CHECKIN, bima_session),
    "attendance:checkin_paper": Rule(CHECKIN, bima_session),
    "attendance:checkin_search": Rule(CHECKIN_POST, bima_session, method="post"),
    "attendance:checkin_record": Rule(CHECKIN_POST, bima_session, method="post"),
    "attendance:checkin_sync": Rule(CHECKIN_POST, bima_site, method="post"),
    # The check-in's service worker, manifest and icons hold no personal data: public, so that a worker update
    # fetched after the session ended does not become a login page.
    "attendance:checkin_worker": Rule(PUBLIC),
    "attendance:checkin_manifest": Rule(PUBLIC),
    "attendance:checkin_icon": Rule(PUBLIC, lambda ctx: {"size": 192}),
    "attendance:held_list": Rule(CHECKIN),
    "attendance:held_accept": Rule(CHECKIN_DECIDE, bima_held, method="post"),
    "attendance:held_drop": Rule(CHECKIN_DECIDE, bima_held, method="post", data={"reason": "Jam ponsel salah"}),
    # Registration: public pages, then staff pages on an NTB registration at Kab. Bima and on a Riau
    # one at Regional Solo (outside every scope but Admin pusat's).
    "participants:public_register": Rule(
        PUBLIC, lambda ctx: {"slug": ctx["lokakarya"].slug, "site_id": ctx["lokakarya"].sites.first().pk}
    ),
    "participants:public_confirmation": Rule(dict.fromkeys(ROLES, 302)),  # no code in the session
    "participants:registration_status": Rule(PUBLIC),
    "participants:registration_card": Rule(dict.fromkeys(ROLES, 302)),  # nothing looked up in this session
    "participants:agency_options": Rule(PUBLIC),  # agency names only, for the forms' drop-down
    "participants:registration_list": Rule(staff(200, operator=403)),
    "participants:registration_new": Rule(staff(403, admin=200, panitia=200, koordinator=200)),
    "participants:public_links": Rule(staff(403, admin=200, panitia=200, koordinator=200)),
    "participants:registrations_verify_bulk": Rule(staff(403, admin=302, verifikator=302), method="post"),
    "participants:registration_detail": [
        Rule(staff(200, operator=403), bima_registration),
        Rule(staff(404, admin=200, operator=403), riau_registration),
    ],
    "participants:registration_verify": [
        Rule(staff(403, admin=302, verifikator=302), bima_registration, method="post"),
        Rule(staff(403, admin=302, verifikator=404), riau_registration, method="post"),
    ],
    "participants:registration_reject": Rule(staff(403, admin=400, verifikator=400), bima_registration, method="post"),
    "participants:registration_resubmit": Rule(
        staff(403, admin=302, panitia=302, koordinator=302, operator=404), bima_registration, method="post"
    ),
    "participants:person_edit": [
        Rule(staff(403, admin=200, panitia=200, koordinator=200, operator=404), bima_registration),
        Rule(staff(404, admin=200, verifikator=404), riau_registration),
    ],
    # These registrations propose no agency: nobody may decide a proposal on them (the allowed path is in
    # tests/participants/test_personal_data_probe.py).
    "participants:agency_proposal": [
        Rule(staff(403, operator=404), bima_registration, method="post"),
        Rule(staff(404, admin=403, operator=404), riau_registration, method="post"),
    ],
    # One person across events: whoever sees one of the person's registrations (the Riau person: Admin pusat only);
    # duplicates and merges are Admin pusat's alone.
    "participants:person_detail": [
        Rule(staff(200, operator=403), lambda ctx: {"pk": ctx["bima_registration"].person_id}),
        Rule(staff(404, admin=200, operator=403), lambda ctx: {"pk": ctx["riau_registration"].person_id}),
    ],
    "participants:duplicate_list": Rule(staff(403, admin=200)),
    "participants:duplicate_dismiss": Rule(
        staff(403, admin=302),
        lambda ctx: {"first_id": ctx["bima_registration"].person_id, "second_id": ctx["riau_registration"].person_id},
        method="post",
    ),
    "participants:duplicate_dismiss_undo": Rule(staff(403, admin=404), lambda ctx: {"pk": 999999}, method="post"),
    "participants:person_merge": Rule(
        staff(403, admin=200),
        lambda ctx: {"keep_id": ctx["bima_registration"].person_id, "drop_id": ctx["riau_registration"].person_id},
    ),
    "participants:merge_list": Rule(staff(403, admin=200)),
    "participants:merge_undo": Rule(staff(403, admin=404), lambda ctx: {"entry_id": 999999}, method="post"),
}

# --- imports area (Excel import and export) ---
_IMPORTERS = {
    ANONYMOUS: "login",
    G.ADMIN_PUSAT: 200,
    G.PANITIA: 200,
    G.KOORDINATOR_SITE: 200,
    G.VERIFIKATOR: 403,
    G.OPERATOR_DINAS: 403,
    G.PEJABAT: 403,
}


def _someone_elses_batch(ctx) -> dict:
    from core.models import ImportBatch

    owner = user_in(G.PANITIA, organized=[ctx["lokakarya"]])
    batch = ImportBatch.objects.create(
        kind="registrations", scope={"event_id": ctx["lokakarya"].pk}, created_by=owner, filename="x.xlsx", data=b""
    )
    return {"pk": batch.pk}


RULES |= {
    "participants:import_start": Rule(_IMPORTERS),
    "participants:import_template": Rule(_IMPORTERS, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
    # A batch is only ever shown to the user who uploaded it.
    "participants:import_batch": Rule(
        {**_IMPORTERS, G.ADMIN_PUSAT: 404, G.PANITIA: 404, G.KOORDINATOR_SITE: 404}, _someone_elses_batch
    ),
    "participants:registration_export": Rule({**dict.fromkeys(ROLES, 200), ANONYMOUS: "login", G.OPERATOR_DINAS: 403}),
}

# --- waiting list (issue 17): the participant's withdrawal (nothing looked up in this session: back to the status
# page), the staff's page and export of an event's lines, the organizer's promote / remove.
RULES |= {
    "participants:registration_withdraw": Rule(dict.fromkeys(ROLES, 302), method="post"),
    "participants:waiting_list": [
        Rule(staff(200, operator=403), lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        Rule(staff(403, admin=200), lambda ctx: {"event_id": ctx["rakor"].pk}),
    ],
    "participants:waiting_list_export": [
        Rule(staff(200, operator=403), lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        Rule(staff(404, admin=200, operator=403), lambda ctx: {"event_id": ctx["rakor"].pk}),
    ],
    "participants:waitlist_decide": [
        Rule(staff(403, admin=302, panitia=302, koordinator=302, operator=404), bima_registration, method="post"),
        Rule(staff(404, admin=302), riau_registration, method="post"),
    ],
}


# --- outcomes area: dashboard, responsibility matrix, rencana aksi, good practices ---


def _outcomes_matrix(ctx, *, agreed: bool = False) -> dict:
    from events.models import AgencyType
    from outcomes import services as outcomes

    event = ctx["lokakarya"]
    matrix = outcomes.matrix_create(event=event, agency_types=[AgencyType.objects.get(code="BGP")], actor=None)
    outcomes.matrix_save(matrix=matrix, rows=[outcomes.MatrixRow(title="Sosialisasi")], actor=None)
    if agreed:
        outcomes.matrix_agree(matrix=matrix, actor=None)
    return {"slug": event.slug} if agreed else {"event_id": event.pk}


def _outcomes_plan(ctx):
    from outcomes import services as outcomes

    return outcomes.action_plan_create(event=ctx["lokakarya"], delegation="Kab. Bima", actor=None)


def _outcomes_published_file(ctx) -> dict:
    import io

    from PIL import Image

    from outcomes.services import good_practice_publish, good_practice_submit
    from tests.factories import register

    event = ctx["lokakarya"]
    registration = register(event.sites.get(name="Kab. Bima"), "CGP")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8)).save(picture, "PNG")
    picture.seek(0)
    practice = good_practice_submit(
        event=event, code=registration.code, title="T", summary="S", changes="C", uploads=[picture]
    )
    good_practice_publish(practice=practice, actor=None)
    return {"file_id": practice.files.get().pk}


def _outcomes_expect(anonymous="login", **by_group) -> dict:
    groups = {
        "admin_pusat": G.ADMIN_PUSAT,
        "panitia": G.PANITIA,
        "koordinator": G.KOORDINATOR_SITE,
        "verifikator": G.VERIFIKATOR,
        "operator": G.OPERATOR_DINAS,
        "pejabat": G.PEJABAT,
    }
    return {ANONYMOUS: anonymous, **{groups[key]: value for key, value in by_group.items()}}


_MANAGERS_ONLY = _outcomes_expect(
    admin_pusat=200, panitia=200, koordinator=403, verifikator=403, operator=403, pejabat=404
)
_DASHBOARD = _outcomes_expect(admin_pusat=200, panitia=200, koordinator=200, verifikator=200, operator=403, pejabat=200)

RULES.update(
    {
        "reports:dashboard": Rule(_DASHBOARD),
        "reports:dashboard_event": Rule(_DASHBOARD, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        "reports:dashboard_program": Rule(
            _outcomes_expect(admin_pusat=200, panitia=403, koordinator=403, verifikator=403, operator=403, pejabat=403),
            lambda ctx: {"program_id": ctx["lokakarya"].program_id},
        ),
        "outcomes:matrix_index": Rule(
            _outcomes_expect(admin_pusat=200, panitia=200, koordinator=403, verifikator=403, operator=403, pejabat=403)
        ),
        "outcomes:matrix_edit": Rule(
            _outcomes_expect(admin_pusat=200, panitia=200, koordinator=403, verifikator=403, operator=403, pejabat=403),
            lambda ctx: {"event_id": ctx["lokakarya"].pk},
        ),
        "outcomes:matrix_pdf": Rule(_MANAGERS_ONLY, _outcomes_matrix),
        "outcomes:matrix_public": Rule(PUBLIC, lambda ctx: _outcomes_matrix(ctx, agreed=True)),
        "outcomes:matrix_public_pdf": Rule(PUBLIC, lambda ctx: _outcomes_matrix(ctx, agreed=True)),
        "outcomes:plan_index": Rule(
            _outcomes_expect(admin_pusat=200, panitia=200, koordinator=403, verifikator=403, operator=403, pejabat=200)
        ),
        "outcomes:plan_board": Rule(_MANAGERS_ONLY, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        "outcomes:plan_xlsx": Rule(_MANAGERS_ONLY, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        "outcomes:plan_edit": Rule(_MANAGERS_ONLY, lambda ctx: {"plan_id": _outcomes_plan(ctx).pk}),
        "outcomes:plan_present": Rule(_MANAGERS_ONLY, lambda ctx: {"plan_id": _outcomes_plan(ctx).pk}),
        "outcomes:plan_pdf": Rule(_MANAGERS_ONLY, lambda ctx: {"plan_id": _outcomes_plan(ctx).pk}),
        # POST only: every signed-in user gets 405 on a GET.
        "outcomes:plan_regenerate_link": Rule(
            _outcomes_expect(admin_pusat=405, panitia=405, koordinator=405, verifikator=405, operator=405, pejabat=405),
            lambda ctx: {"plan_id": _outcomes_plan(ctx).pk},
        ),
        "outcomes:plan_revoke_link": Rule(
            _outcomes_expect(admin_pusat=405, panitia=405, koordinator=405, verifikator=405, operator=405, pejabat=405),
            lambda ctx: {"plan_id": _outcomes_plan(ctx).pk},
        ),
        # The delegation's edit link: the unguessable key is the capability, no login.
        "outcomes:plan_edit_by_link": Rule(PUBLIC, lambda ctx: {"token": _outcomes_plan(ctx).edit_token}),
        "outcomes:practice_gallery": Rule(PUBLIC, lambda ctx: {"slug": ctx["lokakarya"].slug}),
        "outcomes:practice_submit": Rule(PUBLIC, lambda ctx: {"slug": ctx["lokakarya"].slug}),
        "outcomes:practice_file": Rule(PUBLIC, _outcomes_published_file),
        "outcomes:practice_moderate": Rule(
            _outcomes_expect(admin_pusat=200, panitia=200, koordinator=403, verifikator=403, operator=403, pejabat=403),
            lambda ctx: {"event_id": ctx["lokakarya"].pk},
        ),
    }
)


# --- reports area: official documents; Pejabat read-only in its scope, Verifikator and Operator none ---
_REPORTS = staff(403, admin=200, panitia=200, koordinator=200, pejabat=200)


def _someone_elses_job(ctx) -> dict:
    from core.models import ReportJob

    owner = user_in(G.PANITIA, organized=[ctx["lokakarya"]])
    job = ReportJob.objects.create(user=owner, kind="rekap", params={"event_id": ctx["lokakarya"].pk})
    return {"job_id": job.pk}


# Papers (certificates, piagam): Panitia of the event and Admin pusat manage them; nobody else.
_PAPERS = staff(403, admin=200, panitia=200)
_PAPERS_OTHER = staff(403, admin=200, panitia=404)
_PAPERS_POST = staff(403, admin=302, panitia=302)
_PAPERS_OTHER_POST = staff(403, admin=302, panitia=404)
_FORMAT = {"kind": "certificate", "number_format": "{seq:04}/BGP-NTB/LK7/{year}"}


def _certificate(ctx, event: str) -> dict:
    """A certificate of the first site of the event (a participant who attended every session)."""
    from reports.services import certificates_issue
    from tests.factories import attend

    site = ctx[event].sites.order_by("order").first()
    registration = register(
        site, "CGP" if event == "lokakarya" else "DINAS_PROV", province_code="52" if event == "lokakarya" else "14"
    )
    for session in site.sessions.all():
        attend(registration, session)
    (certificate,) = certificates_issue(site=site, actor=None)
    return {"event_id": ctx[event].pk, "certificate_id": certificate.pk}


def _piagam(ctx, event: str) -> dict:
    """A piagam of the event, to a registered Kepala Sekolah (Lokakarya) or a Dinas participant (Rakor, straight
    through the ORM: its program has no Kepala Sekolah role)."""
    from reports.models import Appreciation

    site = ctx[event].sites.order_by("order").first()
    registration = register(
        site,
        "KEPALA_SEKOLAH" if event == "lokakarya" else "DINAS_PROV",
        province_code="52" if event == "lokakarya" else "14",
    )
    appreciation = Appreciation.objects.create(
        event=ctx[event],
        person=registration.person,
        registration=registration,
        citation="dedikasinya",
        sequence=1,
        number=f"001/PIAGAM/{event}",
        token=f"piagam-{event}-key",
    )
    return {"event_id": ctx[event].pk, "appreciation_id": appreciation.pk}


_LAPORAN_OTHER = staff(403, admin=200, panitia=404, koordinator=404, pejabat=404)
_LAPORAN_POST = staff(403, admin=302, panitia=302)
_LAPORAN_OTHER_POST = staff(403, admin=302, panitia=404, koordinator=404, pejabat=404)


def _laporan_site(ctx, event: str) -> dict:
    site = ctx[event].sites.get(name="Kab. Bima" if event == "lokakarya" else "Regional Solo")
    return {"event_id": ctx[event].pk, "site_id": site.pk}


def _laporan_photo(ctx, event: str) -> dict:
    import io

    from PIL import Image

    from events.models import EventSite
    from reports.services import documentation_photo_add

    kwargs = _laporan_site(ctx, event)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(picture, "JPEG")
    picture.seek(0)
    site = EventSite.objects.get(pk=kwargs["site_id"])
    photo = documentation_photo_add(site=site, upload=picture, caption="Pembukaan", actor=None)
    return {**kwargs, "photo_id": photo.pk}


def _laporan_session(ctx, event: str) -> dict:
    from events.models import Session

    kwargs = _laporan_site(ctx, event)
    return {**kwargs, "session_id": Session.objects.filter(site_id=kwargs["site_id"]).order_by("starts_at")[0].pk}


def _laporan_scan(ctx, event: str) -> dict:
    import io

    from PIL import Image

    from events.models import Session
    from reports.services import signed_sheet_upload

    kwargs = _laporan_session(ctx, event)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(picture, "PNG")
    picture.seek(0)
    signed_sheet_upload(session=Session.objects.get(pk=kwargs["session_id"]), upload=picture, actor=None)
    return kwargs


RULES |= {
    "reports:report_events": Rule(_REPORTS),
    "reports:report_index": [
        Rule(_REPORTS, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        Rule(
            staff(403, admin=200, panitia=404, koordinator=404, pejabat=404), lambda ctx: {"event_id": ctx["rakor"].pk}
        ),
    ],
    "reports:report_download": [
        Rule(_REPORTS, lambda ctx: {"event_id": ctx["lokakarya"].pk, "kind": "rekap", "file_format": "pdf"}),
        Rule(
            staff(403, admin=200, panitia=404, koordinator=404, pejabat=404),
            lambda ctx: {"event_id": ctx["rakor"].pk, "kind": "rekap", "file_format": "xlsx"},
        ),
    ],
    "reports:certificate_list": [
        Rule(_PAPERS, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        Rule(_PAPERS_OTHER, lambda ctx: {"event_id": ctx["rakor"].pk}),
    ],
    "reports:number_format_set": [
        Rule(_PAPERS_POST, lambda ctx: {"event_id": ctx["lokakarya"].pk}, method="post", data=_FORMAT),
        Rule(_PAPERS_OTHER_POST, lambda ctx: {"event_id": ctx["rakor"].pk}, method="post", data=_FORMAT),
    ],
    "reports:certificate_revoke": [
        Rule(_PAPERS_POST, lambda ctx: _certificate(ctx, "lokakarya"), method="post", data={"reason": "Salah nama"}),
        Rule(_PAPERS_OTHER_POST, lambda ctx: _certificate(ctx, "rakor"), method="post", data={"reason": "Salah nama"}),
    ],
    "reports:piagam": [
        Rule(_PAPERS, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        Rule(_PAPERS_OTHER, lambda ctx: {"event_id": ctx["rakor"].pk}),
    ],
    "reports:piagam_citation": [
        Rule(_PAPERS_POST, lambda ctx: _piagam(ctx, "lokakarya"), method="post", data={"citation": "dedikasinya"}),
        Rule(_PAPERS_OTHER_POST, lambda ctx: _piagam(ctx, "rakor"), method="post", data={"citation": "dedikasinya"}),
    ],
    "reports:piagam_revoke": [
        Rule(_PAPERS_POST, lambda ctx: _piagam(ctx, "lokakarya"), method="post", data={"reason": "Keliru"}),
        Rule(_PAPERS_OTHER_POST, lambda ctx: _piagam(ctx, "rakor"), method="post", data={"reason": "Keliru"}),
    ],
    # The laporan kegiatan: read by those who take the event's reports (in their scope), written by Admin pusat and
    # the event's panitia; the Bima site and its first session, the Rakor's Regional Solo for the other scope.
    "reports:laporan": [
        Rule(_REPORTS, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
        Rule(_LAPORAN_OTHER, lambda ctx: {"event_id": ctx["rakor"].pk}),
    ],
    "reports:laporan_site": [
        Rule(_REPORTS, lambda ctx: _laporan_site(ctx, "lokakarya")),
        Rule(_LAPORAN_OTHER, lambda ctx: _laporan_site(ctx, "rakor")),
    ],
    "reports:laporan_photo_add": [
        Rule(_LAPORAN_POST, lambda ctx: _laporan_site(ctx, "lokakarya"), method="post"),
        Rule(_LAPORAN_OTHER_POST, lambda ctx: _laporan_site(ctx, "rakor"), method="post"),
    ],
    "reports:laporan_photo_caption": [
        Rule(_LAPORAN_POST, lambda ctx: _laporan_photo(ctx, "lokakarya"), method="post", data={"caption": "Baru"}),
        Rule(_LAPORAN_OTHER_POST, lambda ctx: _laporan_photo(ctx, "rakor"), method="post", data={"caption": "Baru"}),
    ],
    "reports:laporan_photo_delete": [
        Rule(_LAPORAN_POST, lambda ctx: _laporan_photo(ctx, "lokakarya"), method="post"),
        Rule(_LAPORAN_OTHER_POST, lambda ctx: _laporan_photo(ctx, "rakor"), method="post"),
    ],
    "reports:laporan_photo_file": [
        Rule(_REPORTS, lambda ctx: _laporan_photo(ctx, "lokakarya")),
        Rule(_LAPORAN_OTHER, lambda ctx: _laporan_photo(ctx, "rakor")),
    ],
    "reports:laporan_scan_upload": [
        Rule(_LAPORAN_POST, lambda ctx: _laporan_session(ctx, "lokakarya"), method="post"),
        Rule(_LAPORAN_OTHER_POST, lambda ctx: _laporan_session(ctx, "rakor"), method="post"),
    ],
    "reports:laporan_scan_delete": [
        Rule(_LAPORAN_POST, lambda ctx: _laporan_scan(ctx, "lokakarya"), method="post"),
        Rule(_LAPORAN_OTHER_POST, lambda ctx: _laporan_scan(ctx, "rakor"), method="post"),
    ],
    "reports:laporan_scan_file": [
        Rule(_REPORTS, lambda ctx: _laporan_scan(ctx, "lokakarya")),
        Rule(_LAPORAN_OTHER, lambda ctx: _laporan_scan(ctx, "rakor")),
    ],
    # The public verification page of a certificate: anybody, signed in or not.
    "reports:paper_verify": [
        Rule(
            PUBLIC,
            lambda ctx: {"token": Certificate.objects.get(pk=_certificate(ctx, "rakor")["certificate_id"]).token},
        ),
        Rule(dict.fromkeys(ROLES, 404), lambda ctx: {"token": "not-a-key-of-any-paper"}),
    ],
    "core:report_job": Rule(staff(403, admin=404, panitia=404, koordinator=404, pejabat=404), _someone_elses_job),
    "core:report_job_status": Rule(
        staff(403, admin=404, panitia=404, koordinator=404, pejabat=404), _someone_elses_job
    ),
    "core:report_job_file": Rule(staff(403, admin=404, panitia=404, koordinator=404, pejabat=404), _someone_elses_job),
}


# --- roster area: Operator Dinas submits, Verifikator validates and assigns Tahap, Pejabat reads ---
def _committee(ctx, regency: str) -> dict:
    from tests.rosters.conftest import good_committee

    return {"pk": good_committee(ctx["rakor"].cohort, regency=regency, submit=True).pk}


def _with_roster(ctx) -> dict:
    """The roster pages work on the latest cohort with Sekolah Penggerak: make one exist."""
    _committee(ctx, "52.06")
    return {}


def _phase(ctx) -> dict:
    from events.models import TrainingPhase

    _with_roster(ctx)
    return {"phase_pk": TrainingPhase.objects.create(cohort=ctx["rakor"].cohort, number=1, capacity=3).pk}


_ROSTER_READERS = staff(403, admin=200, verifikator=200, operator=200, pejabat=200)
_ROSTER_OPERATORS = staff(403, admin=200, operator=200)
_ROSTER_DECIDE = staff(403, admin=302, verifikator=302)
_ROSTER_DECIDE_OTHER = staff(403, admin=302, verifikator=404)


def _ntb(ctx):
    return _committee(ctx, "52.06")


def _riau(ctx):
    return _committee(ctx, "14.71")


RULES |= {
    "rosters:roster_list": Rule(_ROSTER_READERS, _with_roster),
    "rosters:roster_counts": Rule(_ROSTER_READERS, _with_roster),
    "rosters:roster_xlsx": Rule(_ROSTER_READERS, _with_roster),
    "rosters:roster_findings_xlsx": Rule(_ROSTER_READERS, _with_roster),
    "rosters:roster_pdf": Rule(_ROSTER_READERS, _phase),
    "rosters:roster_new": Rule(_ROSTER_OPERATORS, _with_roster),
    "rosters:roster_import": Rule(_ROSTER_OPERATORS, _with_roster),
    "rosters:roster_template": Rule(_ROSTER_OPERATORS, _with_roster),
    "rosters:roster_allocate": Rule(staff(403, admin=200, verifikator=200), _with_roster),
    "rosters:roster_detail": [
        Rule(_ROSTER_READERS, _ntb),
        Rule(staff(403, admin=200, verifikator=404, operator=404, pejabat=404), _riau),
    ],
    "rosters:roster_edit": [Rule(_ROSTER_OPERATORS, _ntb), Rule(staff(403, admin=200, operator=404), _riau)],
    "rosters:roster_validate": [
        Rule(_ROSTER_DECIDE, _ntb, method="post"),
        Rule(_ROSTER_DECIDE_OTHER, _riau, method="post"),
    ],
    "rosters:roster_return": [
        Rule(_ROSTER_DECIDE, _ntb, method="post"),
        Rule(_ROSTER_DECIDE_OTHER, _riau, method="post"),
    ],
    "rosters:roster_tahap": [
        Rule(_ROSTER_DECIDE, _ntb, method="post"),
        Rule(_ROSTER_DECIDE_OTHER, _riau, method="post"),
    ],
    "rosters:roster_submit": [
        Rule(staff(403, admin=302, operator=302), _ntb, method="post"),
        Rule(staff(403, admin=302, operator=404), _riau, method="post"),
    ],
}


# --- security area: account pages ---
RULES |= {
    "two_factor_setup": Rule(staff(403, admin=200, verifikator=200)),
    # No device yet: the removal is refused with a message and a redirect to the set-up page.
    "two_factor_remove": Rule(staff(403, admin=302, verifikator=302), method="post"),
    # Nobody here has a device, so there is no token to ask for: straight on to the events.
    "two_factor_verify": Rule(staff(302)),
    "password_change": Rule(staff(200)),
    "password_change_done": Rule(staff(200)),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names - SKIPPED_NAMES


def test_every_url_pattern_has_a_rule():
    missing = sorted(url_names() - set(RULES))
    assert not missing, f"URL patterns without an access rule: {missing}"


@pytest.fixture
def users(users_by_group, rakor):
    return users_by_group


def outcome(response) -> int | str:
    if response.status_code == 302 and reverse("login") in response["Location"]:
        return "login"
    return response.status_code


@pytest.fixture
def ctx(lokakarya, rakor):
    return {
        "lokakarya": lokakarya,
        "rakor": rakor,
        "bima_registration": register(lokakarya.sites.get(name="Kab. Bima"), "CGP", province_code="52"),
        "riau_registration": register(rakor.sites.get(name="Regional Solo"), "DINAS_PROV", province_code="14"),
    }


def test_access_matrix(client, users, ctx):
    """All rules in one test (one set-up). A rule's objects and each request live in savepoints
    that are rolled back, so every rule and every role starts from the same data."""
    mismatches = []
    for name in sorted(RULES):
        for rule in RULES[name] if isinstance(RULES[name], list) else [RULES[name]]:
            with transaction.atomic():
                url = reverse(name, kwargs=rule.kwargs(ctx))
                for role in ROLES:
                    with transaction.atomic():
                        client.logout()
                        if users[role] is not None:
                            client.force_login(users[role])
                        got = outcome(getattr(client, rule.method)(url, rule.data))
                        transaction.set_rollback(True)
                    if got != rule.expect[role]:
                        mismatches.append(
                            f"{rule.method.upper()} {name} {url} as {role}: {got}, expected {rule.expect[role]}"
                        )
                transaction.set_rollback(True)
    assert not mismatches, "\n".join(mismatches)


# --- objects of another scope, for every view that takes one (issue 12): the Rakor event, its Regional Solo site
# and session, a Riau registration's correction request. Users of the matrix are scoped to NTB, Kab. Bima and
# Lokakarya 7: none but Admin pusat may reach them (404 where the view finds objects through the scope, 403
# where the role may not use the view at all).
def solo_session(ctx) -> dict:
    return {"session_id": ctx["rakor"].sites.get(name="Regional Solo").sessions.first().pk}


def solo_site(ctx) -> dict:
    return {"site_id": ctx["rakor"].sites.get(name="Regional Solo").pk}


def rakor_event(ctx) -> dict:
    return {"event_id": ctx["rakor"].pk}


def rakor_plan(ctx) -> dict:
    from outcomes import services as outcomes

    return {"plan_id": outcomes.action_plan_create(event=ctx["rakor"], delegation="Riau", actor=None).pk}


def rakor_matrix(ctx) -> dict:
    from events.models import AgencyType
    from outcomes import services as outcomes

    matrix = outcomes.matrix_create(event=ctx["rakor"], agency_types=[AgencyType.objects.get(code="BGP")], actor=None)
    outcomes.matrix_save(matrix=matrix, rows=[outcomes.MatrixRow(title="Sosialisasi")], actor=None)
    return {"event_id": ctx["rakor"].pk}


def riau_correction(ctx) -> dict:
    from participants.services import correction_request_create

    correction = correction_request_create(registration=ctx["riau_registration"], field="phone", correct_value="x")
    return {"pk": correction.pk}


def solo_held(ctx) -> dict:
    return _held(ctx["riau_registration"], ctx["rakor"].sites.get(name="Regional Solo").sessions.first())


CHECKIN_OTHER = staff(403, admin=200, panitia=404, koordinator=404)
CHECKIN_OTHER_POST = staff(403, admin=400, panitia=404, koordinator=404)
_OTHER_EVENT_MANAGERS = _outcomes_expect(
    admin_pusat=200, panitia=404, koordinator=403, verifikator=403, operator=403, pejabat=404
)

OTHER_SCOPE_RULES = {
    "attendance:checkin_screen": Rule(CHECKIN_OTHER, solo_session),
    "attendance:checkin_roster": Rule(CHECKIN_OTHER, solo_session),
    "attendance:checkin_counts": Rule(CHECKIN_OTHER, solo_session),
    "attendance:checkin_paper": Rule(CHECKIN_OTHER, solo_session),
    "attendance:checkin_search": Rule(CHECKIN_OTHER_POST, solo_session, method="post"),
    "attendance:checkin_record": Rule(CHECKIN_OTHER_POST, solo_session, method="post"),
    "attendance:checkin_sync": Rule(CHECKIN_OTHER_POST, solo_site, method="post"),
    "attendance:held_accept": Rule(staff(403, admin=302, panitia=404, koordinator=404), solo_held, method="post"),
    "attendance:held_drop": Rule(
        staff(403, admin=302, panitia=404, koordinator=404), solo_held, method="post", data={"reason": "Ganda"}
    ),
    "participants:import_template": Rule(staff(403, admin=200, panitia=404, koordinator=404), rakor_event),
    "participants:registration_reject": Rule(staff(403, admin=400, verifikator=404), riau_registration, method="post"),
    "participants:registration_resubmit": Rule(staff(404, admin=302), riau_registration, method="post"),
    "participants:correction_decide": Rule(
        staff(403, admin=302, panitia=404, koordinator=404, verifikator=404), riau_correction, method="post"
    ),
    "reports:dashboard_event": Rule(
        _outcomes_expect(admin_pusat=200, panitia=404, koordinator=404, verifikator=404, operator=403, pejabat=404),
        rakor_event,
    ),
    "outcomes:matrix_edit": Rule({**_OTHER_EVENT_MANAGERS, G.PEJABAT: 403}, rakor_event),
    "outcomes:matrix_pdf": Rule(_OTHER_EVENT_MANAGERS, rakor_matrix),
    "outcomes:plan_board": Rule(_OTHER_EVENT_MANAGERS, rakor_event),
    "outcomes:plan_xlsx": Rule(_OTHER_EVENT_MANAGERS, rakor_event),
    "outcomes:plan_edit": Rule(_OTHER_EVENT_MANAGERS, rakor_plan),
    "outcomes:plan_present": Rule(_OTHER_EVENT_MANAGERS, rakor_plan),
    "outcomes:plan_pdf": Rule(_OTHER_EVENT_MANAGERS, rakor_plan),
    "outcomes:practice_moderate": Rule({**_OTHER_EVENT_MANAGERS, G.PEJABAT: 403}, rakor_event),
}
for _name, _rule in OTHER_SCOPE_RULES.items():
    RULES[_name] = [*(RULES[_name] if isinstance(RULES[_name], list) else [RULES[_name]]), _rule]
