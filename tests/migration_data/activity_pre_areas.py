"""Fill a freshly migrated database of the pre-areas commit: `load_demo`, then a little of every kind of work.

Run by `build_pre_areas.py` with the project folder of the OLD commit as the working directory
(`python /path/to/activity_pre_areas.py`), so every import below is that commit's code: the work goes
through its own services, as the app would have done it. Written against commit 37d7f96; it is not meant
to run against later code (the models it imports move to other apps).

The registration codes (and every other `secrets.choice` / `uuid4` value) come from a seeded generator,
so that the SQLite and the PostgreSQL builds hold the same codes and `expected.json` fits both dumps.
Prints one JSON line with what was made.
"""

import datetime as dt
import io
import json
import os
import random
import secrets
import sys
import uuid

SEED = 20260437  # any fixed number: the same codes in both builds

_rng = random.Random(SEED)
secrets.choice = _rng.choice  # registration codes, password salts
uuid.uuid4 = lambda: uuid.UUID(int=_rng.getrandbits(128), version=4)  # report job ids, upload names

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp_koordinasi.settings")

import django  # noqa: E402

django.setup()

from django.contrib.admin.models import CHANGE, LogEntry  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from participants.services.roster import (  # noqa: E402
    MemberData,
    committee_save,
    committee_submit,
    committee_validate,
    tahap_assign,
)

from events.models import Cohort, Event, Province, Regency, Role, TrainingPhase, UserScope  # noqa: E402
from participants import groups as G  # noqa: E402
from participants.models import Person, Registration, School, SekolahPenggerak  # noqa: E402
from participants.services.checkin import attendance_record  # noqa: E402
from participants.services.corrections import correction_request_create  # noqa: E402
from participants.services.imports import COLUMN_BY_KEY, import_batch_create  # noqa: E402
from participants.services.registration import (  # noqa: E402
    PersonData,
    registration_create,
    registration_reject,
    registration_verify,
)
from participants.services.reports import (  # noqa: E402
    certificates_issue,
    report_build_now,
    report_job_create,
    report_job_download_record,
    report_resolve,
)
from participants.services.unmasking import personal_data_viewed  # noqa: E402

LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
# Fictitious people with valid NIKs of Kab. Bima (52.06); names sort the same under every collation.
PEOPLE = [
    ("Andi Migrasi, S.Pd.", "5206011205850701"),
    ("Bunga Migrasi, S.Pd.", "5206015205850702"),
    ("Candra Migrasi", "5206011205850703"),
    ("Dewi Migrasi, S.Pd.", "5206015205850704"),
]
REJECTION_REASON = "Contoh: NUPTK tidak terdaftar; mohon perbaiki data."


def users() -> dict:
    User = get_user_model()
    names = ["admin", "panitia_ntb", "verifikator_ntb", "koordinator_bima", "operator_riau", "verifikator_riau"]
    return {name: User.objects.get(username=name) for name in names}


def registrations(u: dict, bima) -> list[Registration]:
    """Four registrations at Kab. Bima: two verified, one rejected with a reason, one left submitted."""
    role = Role.objects.get(program=bima.event.program, code="CGP")
    ntb = Province.objects.get(code="52")
    made = [
        registration_create(
            site=bima,
            role=role,
            person_data=PersonData(full_name=name, nik=nik, province=ntb, position="Guru", phone="+6281299900001"),
            source=Registration.Source.FORM,
            actor=u["panitia_ntb"],
        )
        for name, nik in PEOPLE
    ]
    registration_verify(registration=made[0], actor=u["verifikator_ntb"])
    registration_reject(registration=made[1], actor=u["verifikator_ntb"], reason=REJECTION_REASON)
    registration_verify(registration=made[3], actor=u["verifikator_ntb"])
    return made


def checkins(u: dict, bima, made: list[Registration]) -> tuple[int, int]:
    """Every session of Kab. Bima for the two new verified people and two demo registrations of the site
    (verified first): they reach the certificate threshold. The new submitted one comes on day 1 only."""
    sessions = list(bima.sessions.order_by("starts_at"))
    demo = sorted(
        Registration.objects.filter(site=bima, status__in=Registration.SEAT_STATUSES).exclude(
            pk__in=[r.pk for r in made]
        ),
        key=lambda r: (r.status != Registration.Status.VERIFIED, r.pk),
    )[:2]
    everywhere = [made[0], made[3], *demo]
    created = 0
    for session in sessions:
        for minute, registration in enumerate(everywhere):
            _row, new, _warnings = attendance_record(
                registration=registration,
                session=session,
                method="qr" if minute % 2 == 0 else "search",
                actor=u["koordinator_bima"],
                checked_in_at=session.starts_at + dt.timedelta(minutes=10 + minute),
            )
            created += new
    _row, new, _warnings = attendance_record(
        registration=made[2],
        session=sessions[0],
        method="paper",
        actor=u["koordinator_bima"],
        checked_in_at=sessions[0].starts_at + dt.timedelta(minutes=45),
    )
    return created + new, len(sessions)


def committee(u: dict):
    """A Komite Pembelajaran of a new Sekolah Penggerak in Pekanbaru: saved, submitted, validated, in Tahap 1."""
    cohort = Cohort.objects.get(program__code="PSP", number=1)
    phase = TrainingPhase.objects.filter(cohort=cohort, number=1).first()
    if phase is None:
        phase = TrainingPhase.objects.create(cohort=cohort, number=1, capacity=6, mode="luring")
    school = School.objects.create(
        npsn="69900011", name="SD Negeri Contoh 4 Pekanbaru", level="SD", regency=Regency.objects.get(code="14.71")
    )
    principal = Person.objects.create(full_name="Kepala Sekolah Contoh 11, M.Pd.", nik="1471011808870001")
    SekolahPenggerak.objects.create(school=school, cohort=cohort, principal=principal)
    members = [
        MemberData(full_name=principal.full_name, position="kepala_sekolah", nik=principal.nik),
        MemberData(
            full_name="Guru Contoh 11-1, S.Pd.", position="guru", class_taught="Kelas 1", nik="1471015808870002"
        ),
        MemberData(
            full_name="Guru Contoh 11-2, S.Pd.", position="guru", class_taught="Kelas 4", nik="1471011808870003"
        ),
        MemberData(full_name="Pengawas Contoh 11, M.Pd.", position="pengawas", nik="1471011808870004"),
    ]
    saved = committee_save(school=school, cohort=cohort, members=members, actor=u["operator_riau"])
    saved = committee_submit(committee=saved, actor=u["operator_riau"])
    saved = committee_validate(committee=saved, actor=u["verifikator_riau"])
    saved = tahap_assign(committee=saved, phase=phase, actor=u["verifikator_riau"])
    assert saved.status == "validated" and saved.phase_id == phase.pk, saved
    return saved


def import_workbook() -> bytes:
    keys = ["full_name", "nik", "site", "role"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(COLUMN_BY_KEY[key].label) for key in keys])
    sheet.append(["Eka Migrasi, S.Pd.", "5206015205850705", "Kab. Bima", "CGP"])
    sheet.append(["Fajar Migrasi", "5206011205850706", "Kab. Bima", "CGP"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    call_command("load_demo", stdout=io.StringIO())
    u = users()
    lokakarya = Event.objects.get(slug=LOKAKARYA_SLUG)
    bima = lokakarya.sites.get(name="Kab. Bima")
    made = registrations(u, bima)
    attendance_created, sessions = checkins(u, bima, made)
    certificates = certificates_issue(site=bima, actor=u["panitia_ntb"])
    assert certificates, "nobody reached the certificate threshold"
    saved = committee(u)

    # Reports: a small one downloaded at once (logged), a large one as a background job (run in-process
    # by the default immediate backend), downloaded afterwards (logged too).
    first_session = bima.sessions.order_by("starts_at").first()
    report = report_resolve(
        user=u["panitia_ntb"],
        kind="daftar_hadir_filled",
        event_id=lokakarya.pk,
        site_id=bima.pk,
        session_id=first_session.pk,
        file_format="pdf",
    )
    report_build_now(user=u["panitia_ntb"], report=report)
    params = {"kind": "rekap", "event_id": lokakarya.pk, "site_id": None, "session_id": None, "file_format": "xlsx"}
    job = report_job_create(user=u["panitia_ntb"], kind="rekap", params=params)
    job.refresh_from_db()
    assert job.status == "done", job.status
    report_job_download_record(job=job)

    batch = import_batch_create(
        user=u["panitia_ntb"], event=lokakarya, filename="peserta-bima.xlsx", data=import_workbook()
    )
    correction = correction_request_create(
        registration=made[2], field="full_name", correct_value="Candra Migrasi, S.Pd.", note="Gelar belum tercantum."
    )
    personal_data_viewed(actor=u["verifikator_ntb"], person=made[0].person, where="registration_detail")

    # The admin's own log: a change of a school (a participants model) and of the event.
    for target in (saved.school, lokakarya):
        LogEntry.objects.create(
            user=u["admin"],
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            object_repr=str(target)[:200],
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["Name"]}}]',
        )

    # A new staff user in a group, with a scope.
    pejabat = get_user_model().objects.create_user(
        "pejabat_ntb", "pejabat_ntb@example.invalid", "psp-demo-2026", is_staff=True
    )
    pejabat.groups.add(Group.objects.get(name=G.PEJABAT))
    scope = UserScope.objects.create(user=pejabat)
    scope.provinces.add(Province.objects.get(code="52"))

    print(
        json.dumps(
            {
                "registrations": [r.code for r in made],
                "attendance_created": attendance_created,
                "bima_sessions": sessions,
                "certificates": [c.number for c in certificates],
                "committee": saved.pk,
                "report_job": str(job.pk),
                "import_batch": batch.pk,
                "correction_request": correction.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
