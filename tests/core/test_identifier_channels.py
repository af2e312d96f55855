"""One verdict per identifier on every channel (issue 15): a corpus of identifiers, valid and invalid, one per
rule, sent through every way a person enters one — the public form, the organizer's form, the registration
import (text cells and number cells), the roster member form, the roster import and the admin. Each channel
must give the verdict (accepted / warned / refused) of `core.identifiers.validate_identifier` and show its
messages unchanged, in Indonesian.

Web forms and imports differ in one thing only, by design: Excel's number damage is said for a file ("format
the column as Text") or for a form ("type the 16 digits"); `from_file` tells the oracle which.

Every channel runs in a savepoint rolled back afterwards, so what one channel saves cannot change another's
verdict (the same NIK registered twice). The roster import's file is the downloaded template filled in by
header name, never by column position.
"""

import io
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.identifiers import validate_identifier
from events.models import Province, Regency, Role
from participants.forms import PersonAdminForm
from participants.imports import COLUMN_BY_KEY, import_check
from participants.models import Person, School
from rosters.imports import roster_import_check, template_workbook
from rosters.models import Committee
from rosters.services import committee_findings
from tests.factories import user_in
from tests.rosters.conftest import make_penggerak

pytestmark = pytest.mark.django_db

VALID_NIK = "5208011205900917"  # a man born 12 May 1990 in Kab. Lombok Utara: the identifier of rows about a phone


@dataclass(frozen=True)
class Case:
    kind: str  # nik, nip, nuptk, npsn, phone
    value: str
    verdict: str  # what every channel must do with it: accepted, warned, refused
    pppk: bool = False  # the NIP is marked as an NI PPPK (checkbox, PPPK column)
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.note or self.value}{'-pppk' if self.pppk else ''}"


CORPUS = [
    # NIK: PP KK CC DDMMYY SSSS
    Case("nik", "5208011205900917", "accepted", note="man"),
    Case("nik", "5208015205900918", "accepted", note="woman day+40"),
    Case("nik", "52.08.01 120590 0919", "accepted", note="dots and spaces"),
    Case("nik", "'5208011508900001", "accepted", note="leading apostrophe"),
    Case("nik", "520801120590091", "refused", note="15 digits"),
    Case("nik", "5208011205900917 1", "refused", note="17 digits"),
    Case("nik", "52080112059O0917", "refused", note="letter O"),
    Case("nik", "5208013002900917", "refused", note="30 February"),
    Case("nik", "5208017205900917", "refused", note="woman day 72"),
    Case("nik", "5208011213900917", "refused", note="month 13"),
    Case("nik", "9908011205900917", "refused", note="province 99"),
    Case("nik", "5208011205900000", "refused", note="serial 0000"),
    Case("nik", "5299011205900917", "warned", note="regency 52.99 unknown"),
    Case("nik", "5.20801E+15", "refused", note="scientific notation"),
    # NIP (PNS): YYYYMMDD YYYYMM G SSS; NI PPPK: its own rule
    Case("nip", "19800512 200501 1 917", "accepted", note="pns"),
    Case("nip", "198609262015053001", "refused", note="gender digit 3"),
    Case("nip", "198609262000051001", "refused", note="appointed at 13"),
    Case("nip", "198609262015001001", "refused", note="tmt month 00"),
    Case("nip", "198609262015131001", "refused", note="tmt month 13"),
    Case("nip", "198002302005011917", "refused", note="30 February"),
    Case("nip", "198005122005011000", "refused", note="serial 000"),
    Case("nip", "19800512200501191", "refused", note="17 digits"),
    Case("nip", "1.98005E+17", "refused", note="scientific notation"),
    Case("nip", "199005122023211917", "refused", note="ni pppk not marked"),
    Case("nip", "199005122023211917", "accepted", pppk=True, note="ni pppk marked"),
    Case("nip", "199005122023213917", "accepted", pppk=True, note="ni pppk digit 15 is 3"),
    Case("nip", "198609262015053001", "refused", pppk=True, note="pppk year 2015"),
    Case("nip", "200805122023211917", "refused", pppk=True, note="pppk appointed at 15"),
    Case("nip", "199005122023211000", "refused", pppk=True, note="pppk serial 000"),
    # NUPTK: 16 digits
    Case("nuptk", "1234567890120917", "accepted"),
    Case("nuptk", "'1234567890120917", "accepted", note="apostrophe"),
    Case("nuptk", "123456789012091", "refused", note="15 digits"),
    Case("nuptk", "12345678901209X7", "refused", note="letter"),
    # NPSN: 8 characters [0-9A-Z]
    Case("npsn", "50200917", "accepted"),
    Case("npsn", "'50200918", "accepted", note="apostrophe"),
    Case("npsn", "P9990917", "warned", note="letter prefix"),
    Case("npsn", "p9990918", "warned", note="lower case"),
    Case("npsn", "5020091", "refused", note="7 characters"),
    Case("npsn", "5020 0917", "refused", note="space inside"),
    # Phone: Indonesian numbers, 08… or +62…
    Case("phone", "0812-3456-0917", "accepted", note="08 form"),
    Case("phone", "+62 812 3456 0917", "accepted", note="+62 form"),
    Case("phone", "'081234560917", "accepted", note="apostrophe"),
    Case("phone", "12345", "refused", note="too short"),
    Case("phone", "0812 3456 0917 1234", "refused", note="too long"),
    Case("phone", "+1 650 253 0917", "refused", note="foreign"),
]

# Which channels take which identifier (the roster takes no phone; NPSN only the roster import and the admin).
PERSON_KINDS = {"nik", "nip", "nuptk", "phone"}
ROSTER_KINDS = {"nik", "nip", "nuptk"}


@dataclass(frozen=True)
class Seen:
    verdict: str
    messages: tuple[str, ...]


def seen(errors, warnings) -> Seen:
    errors, warnings = [str(m) for m in errors], [str(m) for m in warnings]
    if errors:
        return Seen("refused", tuple(errors))
    return Seen("warned" if warnings else "accepted", tuple(warnings))


def oracle(case: Case, *, from_file: bool, raw=None) -> Seen:
    result = validate_identifier(case.kind, case.value if raw is None else raw, pppk=case.pppk, from_file=from_file)
    return seen([f.message for f in result.errors], [f.message for f in result.warnings])


def rolled_back(function):
    """Run one channel in a savepoint that is rolled back: nothing it saves reaches the next channel."""
    with transaction.atomic():
        outcome = function()
        transaction.set_rollback(True)
    return outcome


def is_identifier_code(code: str) -> bool:
    return code == "excel_number_damage" or code.split("_")[0] in {"nik", "nip", "nuptk", "npsn", "phone"}


# --- the channels ------------------------------------------------------------------------------------------------


def person_values(case: Case) -> dict:
    """The identifier under test, plus a valid NIK when the case is about the phone (one identifier is required)."""
    values = {case.kind: case.value}
    if case.kind == "phone":
        values["nik"] = VALID_NIK
    if case.pppk:
        values["nip_is_pppk"] = "on"
    return values


def web_form_verdict(response, field: str, success_status=302) -> Seen:
    if response.status_code == success_status:
        return Seen("accepted", ())
    assert response.status_code == 200
    form = response.context["form"]
    return seen(form.errors.get(field, []), form.warnings.get(field, []))


def public_form(client, case: Case, site) -> Seen:
    role = Role.objects.get(program=site.event.program, code="CGP")
    data = {
        "role": role.pk,
        "full_name": "Peserta Saluran",
        "province": Province.objects.get(code="52").pk,
        "privacy_accepted": "on",
        **person_values(case),
    }
    url = reverse("participants:public_register", kwargs={"slug": site.event.slug, "site_id": site.pk})
    return web_form_verdict(client.post(url, data), case.kind)


def organizer_form(client, case: Case, site, panitia) -> Seen:
    client.force_login(panitia)
    data = {
        "site": site.pk,
        "role": Role.objects.get(program=site.event.program, code="CGP").pk,
        "full_name": "Peserta Saluran",
        "province": Province.objects.get(code="52").pk,
        **person_values(case),
    }
    try:
        return web_form_verdict(client.post(reverse("participants:registration_new"), data), case.kind)
    finally:
        client.logout()


def registration_import(case: Case, event, panitia, *, number_cell: bool) -> Seen:
    keys = ["full_name", "nik", "nip", "nip_is_pppk", "nuptk", "site", "role", "province", "phone"]
    values = {"full_name": "Peserta Saluran", "site": "Kab. Bima", "role": "CGP", "province": "52"}
    values |= {key: value for key, value in person_values(case).items()}
    values["nip_is_pppk"] = "Ya" if case.pppk else ""
    if number_cell:
        values[case.kind] = int(case.value)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(COLUMN_BY_KEY[key].label) for key in keys])
    sheet.append([values.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = import_check(event=event, user=panitia, data=buffer.getvalue())
    assert not check.file_findings, [str(f.message) for f in check.file_findings]
    label = str(COLUMN_BY_KEY[case.kind].label)
    mine = [f for f in check.findings if f.column == label and is_identifier_code(f.code)]
    return seen(
        [f.message for f in mine if f.severity == "error"], [f.message for f in mine if f.severity == "warning"]
    )


def roster_form(client, case: Case, cohort, operator) -> Seen:
    school, _principal = make_penggerak(cohort)
    client.force_login(operator)
    data = {
        "cohort": cohort.pk,
        "school": school.pk,
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "12",
        "members-0-full_name": "Guru Saluran",
        "members-0-position": "guru",
        "members-0-class_taught": "Kelas 1",
        **{f"members-0-{key}": value for key, value in person_values(case).items()},
    }
    try:
        response = client.post(f"{reverse('rosters:roster_new')}?cohort={cohort.pk}", data)
    finally:
        client.logout()
    if response.status_code == 200:
        member_form = response.context["formset"].forms[0]
        return seen(member_form.errors.get(case.kind, []), [])
    assert response.status_code == 302, response.status_code
    committee = Committee.objects.get(school=school, cohort=cohort)
    mine = [f for f in committee_findings(committee=committee) if f.member == 0 and f.field == case.kind]
    mine = [f for f in mine if f.code in ("member_identifier_format", "member_identifier_check")]
    return seen([f.message for f in mine if f.is_error], [f.message for f in mine if not f.is_error])


def _template_header(sheet) -> tuple[int, dict[str, int]]:
    """The header row of the roster template and its columns by header name (found, not assumed)."""
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 20)):
        names = {str(cell.value).strip().casefold(): cell.column for cell in row if cell.value}
        if "npsn" in names and "nik" in names:
            return row[0].row, names
    raise AssertionError("no header row with NPSN and NIK in the roster template")


# Header names the roster template may use for a column (its current header first).
_HEADER_NAMES = {
    "nama lengkap": ("nama lengkap", "nama", "nama anggota"),
    "jabatan": ("jabatan", "jabatan di komite", "posisi"),
    "kelas/mapel": ("kelas/mapel", "kelas / mapel", "kelas", "mapel"),
    "pppk": ("pppk", "status pppk", "asn pppk"),
}


def _column(columns: dict[str, int], name: str) -> int:
    for candidate in _HEADER_NAMES.get(name, (name,)):
        if candidate in columns:
            return columns[candidate]
    raise AssertionError(f"no column {name!r} in the roster template: {sorted(columns)}")


def roster_import(case: Case, cohort, *, number_cell: bool) -> Seen | None:
    workbook = load_workbook(io.BytesIO(template_workbook()))
    sheet = workbook.worksheets[0]
    header_row, columns = _template_header(sheet)
    school = None
    npsn = case.value if case.kind == "npsn" else None
    if npsn is None:
        school, _principal = make_penggerak(cohort)
        npsn = school.npsn
    elif case.verdict != "refused":
        school = School.objects.create(
            npsn=validate_identifier("npsn", npsn).value,
            name="SD Negeri Saluran",
            level="SD",
            regency=Regency.objects.get(code="14.71"),
        )
    if case.pppk and not any(name in columns for name in _HEADER_NAMES["pppk"]):
        return None  # the roster template has no PPPK column yet (branch rosterread adds it)
    values = {"npsn": npsn, "nama lengkap": "Guru Saluran", "jabatan": "guru", "kelas/mapel": "Kelas 1"}
    values |= {key: value for key, value in person_values(case).items() if key in ROSTER_KINDS | {"npsn"}}
    if case.pppk:
        values["pppk"] = "Ya"
    if number_cell:
        values[case.kind] = int(case.value)
    row = header_row + 1
    for name, value in values.items():
        sheet.cell(row=row, column=_column(columns, name), value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = roster_import_check(data=buffer.getvalue(), cohort=cohort, schools=School.objects.all())
    column = "NPSN" if case.kind == "npsn" else case.kind.upper()
    mine = [f for f in report.findings if f.row == row and f.column == column]
    if case.kind != "npsn":
        mine = [f for f in mine if f.code in ("member_identifier_format", "member_identifier_check")]
    return seen(
        [f.message for f in mine if f.severity == "error"], [f.message for f in mine if f.severity == "warning"]
    )


def admin_form(client, case: Case, superuser) -> Seen:
    """The admin's person form (NIK, NIP, NUPTK, phone) or school form (NPSN). The admin has no confirmation
    step: a warning is said after saving, as "<field>: <message>"."""
    client.force_login(superuser)
    if case.kind == "npsn":
        url = reverse("admin:participants_school_add")
        data = {
            "npsn": case.value,
            "name": "SD Negeri Saluran",
            "level": "SD",
            "ownership": "negeri",
            "regency": Regency.objects.get(code="14.71").pk,
        }
        label = "NPSN"
    else:
        url = reverse("admin:participants_person_add")
        data = {"full_name": "Orang Saluran", "province": Province.objects.get(code="52").pk, **person_values(case)}
        label = str(PersonAdminForm.base_fields[case.kind].label)
    try:
        response = client.post(url, data)
    finally:
        client.logout()
    if response.status_code == 200:
        form = response.context["adminform"].form
        return seen(form.errors.get(case.kind, []), [])
    assert response.status_code == 302, response.status_code
    prefix = f"{label}: "
    warnings = [
        str(m.message).removeprefix(prefix)
        for m in get_messages(response.wsgi_request)
        if m.level_tag == "warning" and str(m.message).casefold().startswith(prefix.casefold())
    ]
    stored = (School if case.kind == "npsn" else Person).objects.order_by("-pk").first()
    expected = validate_identifier(case.kind, case.value, pppk=case.pppk).value
    assert getattr(stored, case.kind) == expected  # saved normalised
    if case.kind == "nip":
        assert stored.nip_is_pppk is case.pppk
    return seen([], warnings)


# --- the test --------------------------------------------------------------------------------------------------


@pytest.fixture
def channels_set_up(lokakarya, rakor):
    from django.utils import timezone

    now = timezone.now()
    lokakarya.registration_opens_at = now - timezone.timedelta(days=1)
    lokakarya.registration_closes_at = now + timezone.timedelta(days=1)
    lokakarya.asks_nik = lokakarya.asks_nip = lokakarya.asks_nuptk = True
    lokakarya.save()
    return {
        "event": lokakarya,
        "site": lokakarya.sites.get(name="Kab. Bima"),
        "panitia": user_in("Panitia", organized=[lokakarya]),
        "cohort": rakor.cohort,
        "operator": user_in("Operator Dinas", provinces=["14"]),
    }


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_every_channel_gives_the_same_verdict_and_message(client, superuser, channels_set_up, case):
    s = channels_set_up
    digits_only = case.value.isdigit()
    with translation.override("id"):
        runs = {}  # channel → (what it showed, whether it read a file)
        if case.kind in PERSON_KINDS:
            runs["public form"] = (rolled_back(lambda: public_form(client, case, s["site"])), False)
            runs["organizer form"] = (rolled_back(lambda: organizer_form(client, case, s["site"], s["panitia"])), False)
            runs["registration import, text cell"] = (
                rolled_back(lambda: registration_import(case, s["event"], s["panitia"], number_cell=False)),
                True,
            )
            if digits_only:
                runs["registration import, number cell"] = (
                    rolled_back(lambda: registration_import(case, s["event"], s["panitia"], number_cell=True)),
                    True,
                )
        if case.kind in ROSTER_KINDS:
            runs["roster member form"] = (
                rolled_back(lambda: roster_form(client, case, s["cohort"], s["operator"])),
                False,
            )
        if case.kind in ROSTER_KINDS | {"npsn"}:
            runs["roster import, text cell"] = (
                rolled_back(lambda: roster_import(case, s["cohort"], number_cell=False)),
                True,
            )
            if digits_only:
                runs["roster import, number cell"] = (
                    rolled_back(lambda: roster_import(case, s["cohort"], number_cell=True)),
                    True,
                )
        runs["admin"] = (rolled_back(lambda: admin_form(client, case, superuser)), False)

        expected = {}
        for channel, (shown, from_file) in runs.items():
            if shown is None:
                continue
            number_cell = channel.endswith("number cell")
            expected[channel] = oracle(case, from_file=from_file, raw=int(case.value) if number_cell else None)
        shown_by_channel = {channel: shown for channel, (shown, _f) in runs.items() if shown is not None}

    assert shown_by_channel == expected
    # The corpus says what the verdict is; every channel but a number cell (Excel's damage) gives it.
    assert {
        channel: shown.verdict for channel, shown in shown_by_channel.items() if not channel.endswith("number cell")
    } == dict.fromkeys([c for c in shown_by_channel if not c.endswith("number cell")], case.verdict)
    for channel, shown in shown_by_channel.items():
        if case.kind != "phone" and channel.endswith("number cell"):
            assert shown.verdict == "refused" and "Teks" in shown.messages[0], channel
        if shown.verdict != "accepted":
            assert shown.messages and all(message.strip() for message in shown.messages), channel
