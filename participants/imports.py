"""Excel import of registrations: the template, the check of every row, and the confirmed import.

Two phases (STYLE.md habit 6):

1. ``import_check`` reads the workbook and validates every row into findings (row, column,
   message) without writing anything. Everything it needs from the database is fetched up front in
   a fixed number of queries, whatever the number of rows.
2. ``import_batch_confirm`` re-checks the stored file (the database may have changed since) and
   registers the clean rows through ``registration_create`` inside one short transaction, so the
   quota and duplicate rules stay in one place. Nothing is written while any row has an error,
   unless the user asked to import only the clean rows.

Rows of people already registered for the event are reported as skipped, not as errors: the
same file can be uploaded twice without creating duplicates.

Reading by header names, findings, and the encrypted, expiring staged file between the check and the
confirmation come from the import kit, ``core.imports`` (kind ``"registrations"``, scope ``{"event_id"}``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core import audit
from core.errors import DomainError
from core.identifiers import (
    PPPK_MARK_MESSAGE,
    cross_check_nik_birth_gender,
    cross_check_nik_nip,
    read_pppk_mark,
    validate_identifier,
)
from core.imports import (
    ImportColumn,
    ImportFileError,
    ImportFinding,
    Table,
    batch_lock_waiting,
    batch_mark_imported,
    batch_stage,
    batches_of,
    blank,
    check_upload_name,
    normal,
    read_table,
)
from core.models import ImportBatch
from core.xlsx import MAX_UPLOAD_BYTES, Column, Sheet, build_workbook
from events.models import Agency, Event, EventSite, Province, Role, SiteQuota
from events.selectors import sites_registrable_by
from participants.models import Person, Registration, identifier_q
from participants.selectors import registrations_visible_to
from participants.services import (
    PersonData,
    RegistrationError,
    comparable_name,
    not_eligible_message,
    people_who_attended,
    province_not_served,
    provinces_served_by_site,
    registration_create,
)

Severity = Literal["error", "warning", "skipped"]

MAX_ROWS = 5000
TEMPLATE_ROWS = 200
KIND = "registrations"


# --- Columns -----------------------------------------------------------------------------------------------


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("full_name", _("Full name with academic titles"), width=34, required=True),
    ImportColumn("nik", "NIK", width=20, text=True),
    ImportColumn("nip", "NIP", width=22, text=True),
    ImportColumn("nip_is_pppk", "PPPK", width=10, aliases=("Status PPPK", "ASN PPPK", "NI PPPK")),
    ImportColumn("nuptk", "NUPTK", width=20, text=True),
    ImportColumn("gender", _("Gender (L/P)"), width=14),
    ImportColumn("birth_date", _("Birth date (DD/MM/YYYY)"), width=20, text=True),
    ImportColumn("position", _("Position (jabatan)"), width=26),
    ImportColumn("agency", _("Agency"), width=34),
    ImportColumn("province", _("Province of origin"), width=24),
    ImportColumn("site", _("Site"), width=24, required=True),
    ImportColumn("role", _("Role (unsur)"), width=22, required=True),
    ImportColumn("phone", _("Phone"), width=18, text=True),
    ImportColumn("email", _("E-mail"), width=28),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
IDENTIFIER_KEYS = ("nik", "nip", "nuptk")
GENDERS = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "p": "P", "perempuan": "P", "wanita": "P"}


def event_columns(event: Event) -> list[ImportColumn]:
    """The template's columns for the event: identifiers only when the event asks for them."""
    asked = {"nik": event.asks_nik, "nip": event.asks_nip, "nip_is_pppk": event.asks_nip, "nuptk": event.asks_nuptk}
    return [column for column in COLUMNS if column.key not in asked or asked[column.key]]


# --- Template ----------------------------------------------------------------------------------------------


def _instructions(event: Event, columns: Sequence[ImportColumn]) -> list[str]:
    identifiers = ", ".join(str(column.label) for column in columns if column.key in IDENTIFIER_KEYS) or "-"
    return [
        str(_("Import template for: %(event)s") % {"event": event.title}),
        str(
            _(
                "Fill in one participant per row on the first sheet, from row 2 on. "
                "Do not change, move or delete the header row."
            )
        ),
        str(
            _("Required: full name, site, role, and at least one of these identifiers: %(identifiers)s.")
            % {"identifiers": identifiers}
        ),
        str(
            _(
                "The identifier and phone columns are formatted as Text. Keep them that way: in a number cell "
                "Excel keeps only 15 digits, so a 16-digit NIK turns into 3.20101E+15 or loses its last digit, "
                "and the row will be refused. If that happened, format the column as Text and type the number again."
            )
        ),
        str(
            _(
                "PPPK: write Ya when the NIP is an NI PPPK (contract civil servant), otherwise leave it empty. "
                "An NI PPPK is checked by its own rule, a NIP by the PNS structure."
            )
        ),
        str(_("Choose the site, the role and the province from the drop-down lists.")),
        str(_("Gender: L (male) or P (female). Birth date: DD/MM/YYYY, for example 12/05/1985.")),
        str(_("Agency: its name exactly as in the list of agencies; leave it empty if it is not in the list.")),
        str(
            _(
                "After uploading, every row is checked and the problems are listed by row and column. Nothing is "
                "saved until the file is clean, unless you choose to import only the clean rows."
            )
        ),
        str(
            _(
                "People already registered for this event are skipped, so the same file can be uploaded again "
                "after corrections without creating duplicates."
            )
        ),
        str(
            _(
                "Personal data (UU 27/2022): the data in this file are used only to organise this event. "
                "Keep the file safe and delete it after the import."
            )
        ),
    ]


def import_template_build(*, event: Event, user) -> bytes:
    """The .xlsx template of an event: the data sheet, an instructions sheet, drop-downs for the user's sites."""
    columns = event_columns(event)
    sites = list(
        sites_registrable_by(user).filter(event=event).order_by("order", "name").values_list("name", flat=True)
    )
    roles = list(
        Role.objects.filter(program_id=event.program_id).order_by("order", "name").values_list("name", flat=True)
    )
    provinces = list(Province.objects.order_by("code").values_list("name", flat=True))
    agencies = list(Agency.objects.order_by("name").values_list("name", flat=True).distinct())
    choices = {
        "site": sites,
        "role": roles,
        "province": provinces,
        "gender": ["L", "P"],
        "agency": agencies,
        "nip_is_pppk": ["Ya"],
    }
    data_sheet = Sheet(
        title=str(_("Participants")),
        columns=[
            Column(
                header=str(column.label), width=column.width, text=column.text, choices=choices.get(column.key) or None
            )
            for column in columns
        ],
        template_rows=TEMPLATE_ROWS,
    )
    instructions = Sheet(
        title=str(_("Instructions")),
        columns=[Column(header=str(_("How to fill in this file")), width=110)],
        rows=[[line] for line in _instructions(event, columns)],
        wrap_text=True,
    )
    return build_workbook([data_sheet, instructions])


# --- Findings and checked rows --------------------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int
    values: dict[str, Any]
    findings: list[ImportFinding] = field(default_factory=list)
    site: EventSite | None = None
    role: Role | None = None
    person_data: PersonData | None = None

    table: Table | None = None

    def add(self, key: str, message, *, severity: Severity = "error", code: str = "") -> None:
        if self.table is not None:
            self.findings.append(self.table.finding(self.number, key, message, severity=severity, code=code))
        else:
            label = str(COLUMN_BY_KEY[key].label) if key in COLUMN_BY_KEY else ""
            self.findings.append(ImportFinding(self.number, label, message, severity, code))

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)

    @property
    def skipped(self) -> bool:
        return not self.has_errors and any(finding.severity == "skipped" for finding in self.findings)

    @property
    def clean(self) -> bool:
        return not self.has_errors and not self.skipped

    @property
    def waitlistable(self) -> bool:
        """Its only errors are a full quota: the row may join the waiting list instead (`import_batch_confirm`)."""
        errors = [finding.code for finding in self.findings if finding.severity == "error"]
        return bool(errors) and all(code == "quota_full" for code in errors)

    @property
    def name(self) -> str:
        return str(self.values.get("full_name") or "").strip()


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    file_findings: list[ImportFinding] = field(default_factory=list)

    @property
    def clean_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.clean]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.has_errors]

    @property
    def skipped_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.skipped]

    @property
    def findings(self) -> list[ImportFinding]:
        return self.file_findings + [finding for row in self.rows for finding in row.findings]

    @property
    def errors(self) -> list[ImportFinding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def is_clean(self) -> bool:
        """Nothing blocks an import of the whole file (skipped rows and warnings do not)."""
        return not self.errors

    @property
    def can_import_clean_rows(self) -> bool:
        return not self.file_findings and bool(self.clean_rows)

    @property
    def waitlist_rows(self) -> list[ImportRow]:
        """Rows refused only for a full quota: they may join the waiting list, in file order."""
        return [] if self.file_findings else [row for row in self.rows if row.waitlistable]

    @property
    def clean_with_waitlist(self) -> bool:
        """Nothing blocks the whole file once the rows beyond a full quota join the waiting list."""
        return not self.file_findings and all(row.waitlistable for row in self.error_rows)


# --- Reading ---------------------------------------------------------------------------------------------------


def _read(data: bytes, filename: str | None = None) -> Table:
    """The participant rows of the first sheet, by header name; file problems are the table's findings."""
    table = read_table(data, columns=COLUMNS, sheet=str(_("Participants")), max_rows=MAX_ROWS, filename=filename)
    if any(finding.code in ("too_many_rows", "empty_file") for finding in table.findings):
        return table
    if not any(table.has(key) for key in IDENTIFIER_KEYS):
        table.findings.append(
            ImportFinding(
                table.header_row,
                "NIK",
                _("The file has no NIK, NIP or NUPTK column. Download the template again and copy the data into it."),
                code="column_missing",
            )
        )
    if not table.rows:
        table.findings.append(ImportFinding(None, "", _("The file has no participant rows."), code="empty"))
    return table


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def _parse_date(value: Any) -> dt.date | None:
    """A date cell, or a text in one of the usual Indonesian forms; raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not isinstance(value, str):
        raise ValueError(text)
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- Checking --------------------------------------------------------------------------------------------------


@dataclass
class _Lookups:
    """Everything the row checks need from the database, fetched once per file."""

    sites: dict[str, EventSite]
    allowed_site_ids: set[int]
    roles: dict[str, Role]
    agencies: dict[str, Agency]
    provinces: dict[str, Province]
    people: dict[tuple[str, str], Person]
    registrations: dict[int, Registration]  # person id → active registration in the event
    visible_registration_ids: set[int]  # of those, the ones the importing user may see (site and status)
    quotas: dict[tuple[int, int], SiteQuota]
    seats_taken: Counter
    served: dict  # participants.services.provinces_served_by_site
    # The event's rule on history (Event.required_event): the people of the file who attended it; None without rule.
    attended: set[int] | None = None
    not_eligible: str = ""


def _lookups(*, event: Event, user, rows: list[ImportRow]) -> _Lookups:
    sites: dict[str, EventSite] = {}
    for site in EventSite.objects.filter(event=event).select_related("event"):
        sites[normal(site.name)] = site
    allowed = set(sites_registrable_by(user).filter(event=event).values_list("id", flat=True))
    roles: dict[str, Role] = {}
    for role in Role.objects.filter(program_id=event.program_id):
        roles.setdefault(normal(role.code), role)
        roles[normal(role.name)] = role
    provinces: dict[str, Province] = {}
    for province in Province.objects.all():
        provinces[normal(province.code)] = province
        provinces[normal(province.name)] = province

    agency_names = {normal(row.values.get("agency")) for row in rows} - {""}
    agencies: dict[str, Agency] = {}
    if agency_names:
        matching = (
            Agency.objects.annotate(lower_name=Lower("name"), lower_short=Lower("short_name"))
            .filter(Q(lower_name__in=agency_names) | Q(lower_short__in=agency_names))
            .order_by("-valid_from", "pk")
        )
        for agency in matching:
            for name in (agency.name, agency.short_name):
                if name:
                    agencies.setdefault(normal(name), agency)

    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for key in IDENTIFIER_KEYS:
            if row.values.get(f"_{key}"):
                wanted[key].add(row.values[f"_{key}"])
    people: dict[tuple[str, str], Person] = {}
    registrations: dict[int, Registration] = {}
    if wanted:
        condition = Q()
        for key, values in wanted.items():
            condition |= identifier_q(key, values)
        for person in Person.objects.filter(condition):
            for key in IDENTIFIER_KEYS:
                if getattr(person, key):
                    people[(key, getattr(person, key))] = person
        if people:
            for registration in Registration.objects.filter(
                event=event,
                person_id__in={person.pk for person in people.values()},
                status__in=Registration.ACTIVE_STATUSES,
                review="",
            ).select_related("site"):
                registrations[registration.person_id] = registration
    visible: set[int] = set()
    if registrations:
        ids = [registration.pk for registration in registrations.values()]
        visible = set(registrations_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))

    quotas = {
        (quota.site_id, quota.role_id): quota
        for quota in SiteQuota.objects.filter(site__event=event, close_when_full=True)
    }
    seats_taken: Counter = Counter()
    if quotas:
        taken = (
            Registration.objects.filter(event=event, status__in=Registration.SEAT_STATUSES)
            .order_by()
            .values("site_id", "role_id")
            .annotate(n=Count("id"))
        )
        for line in taken:
            seats_taken[(line["site_id"], line["role_id"])] = line["n"]
    served = provinces_served_by_site(event.pk)
    lookups = _Lookups(
        sites, allowed, roles, agencies, provinces, people, registrations, visible, quotas, seats_taken, served
    )
    if event.required_event_id:
        person_ids = {person.pk for person in people.values()}
        lookups.attended = people_who_attended(event_id=event.required_event_id, person_ids=person_ids)
        lookups.not_eligible = not_eligible_message(event.required_event)
    return lookups


def _check_identifiers(row: ImportRow) -> None:
    """Validate NIK/NIP/NUPTK cells as every channel does (core.identifiers, the file's Excel message); the
    normalised values go to row.values['_nik'] etc. A NIP is checked by the PNS structure, or by the NI PPPK's
    rule when its PPPK cell says so: never one turned into the other."""
    pppk = read_pppk_mark(row.values.get("nip_is_pppk"))
    if pppk is None:
        row.add("nip_is_pppk", PPPK_MARK_MESSAGE, code="pppk_mark_invalid")
    row.values["_nip_is_pppk"] = bool(pppk)
    for key in IDENTIFIER_KEYS:
        raw = row.values.get(key)
        if blank(raw) or (key == "nip" and pppk is None):
            continue  # a NIP whose PPPK cell is unreadable is judged once the cell says which rule applies
        result = validate_identifier(key, raw, pppk=bool(pppk), from_file=True)
        for finding in result.errors:
            row.add(key, finding.message, code=finding.code)
        for finding in result.warnings:
            row.add(key, finding.message, severity="warning", code=finding.code)
        if result.ok:
            row.values[f"_{key}"] = result.value
    if not any(not blank(row.values.get(key)) for key in IDENTIFIER_KEYS):
        row.add("nik", _("Fill in at least one of NIK, NIP or NUPTK."), code="identifier_missing")


def _check_person_fields(row: ImportRow, lookups: _Lookups) -> dict[str, Any]:
    """Name, gender, birth date, agency, province, phone, e-mail: the PersonData values, findings on the row."""
    values: dict[str, Any] = {}
    name = row.name
    if not name:
        row.add("full_name", _("The name is required."), code="name_missing")
    elif len(name) > 200:
        row.add("full_name", _("The name is longer than 200 characters."), code="name_too_long")
    values["full_name"] = name

    gender = normal(row.values.get("gender"))
    if gender:
        if gender in GENDERS:
            values["gender"] = GENDERS[gender]
        else:
            row.add("gender", _("Write L (male) or P (female)."), code="gender_invalid")

    raw_birth = row.values.get("birth_date")
    if not blank(raw_birth):
        try:
            values["birth_date"] = _parse_date(raw_birth)
        except ValueError:
            row.add("birth_date", _("Write the date as DD/MM/YYYY, for example 12/05/1985."), code="date_invalid")

    values["position"] = _text(row.values.get("position"))[:200]

    agency_name = normal(row.values.get("agency"))
    if agency_name:
        agency = lookups.agencies.get(agency_name)
        if agency is None:
            row.add(
                "agency",
                _("Unknown agency. Choose one from the list, or leave it empty and ask the Admin to add it."),
                code="agency_unknown",
            )
        values["agency"] = agency

    province_name = normal(row.values.get("province"))
    if province_name:
        province = lookups.provinces.get(province_name)
        if province is None:
            row.add("province", _("Unknown province. Choose one from the list."), code="province_unknown")
        values["province"] = province
    elif row.values.get("_nik"):
        values["province"] = lookups.provinces.get(row.values["_nik"][:2])

    raw_phone = row.values.get("phone")
    if not blank(raw_phone):
        phone = validate_identifier("phone", _text(raw_phone), from_file=True)
        if phone.ok:
            values["phone"] = phone.value
        for finding in phone.errors:
            row.add("phone", finding.message, code=finding.code)

    email = _text(row.values.get("email"))
    if email:
        try:
            validate_email(email)
            values["email"] = email
        except ValidationError:
            row.add("email", _("This is not a valid e-mail address."), code="email_invalid")

    for key in IDENTIFIER_KEYS:
        values[key] = row.values.get(f"_{key}", "")
    values["nip_is_pppk"] = bool(values["nip"]) and row.values.get("_nip_is_pppk", False)
    if values["nik"]:
        for finding in cross_check_nik_birth_gender(values["nik"], values.get("birth_date"), values.get("gender")):
            row.add("nik", finding.message, severity="warning", code=finding.code)
        if values["nip"]:
            for finding in cross_check_nik_nip(values["nik"], values["nip"], pppk=values["nip_is_pppk"]):
                row.add("nip", finding.message, severity="warning", code=finding.code)
    return values


def _check_site_and_role(row: ImportRow, lookups: _Lookups) -> None:
    site_name = normal(row.values.get("site"))
    if not site_name:
        row.add("site", _("The site is required."), code="site_missing")
    elif site_name not in lookups.sites:
        row.add("site", _("Unknown site for this event. Choose one from the list."), code="site_unknown")
    elif lookups.sites[site_name].pk not in lookups.allowed_site_ids:
        row.add("site", _("You may not register participants at this site."), code="site_not_allowed")
    else:
        row.site = lookups.sites[site_name]
    role_name = normal(row.values.get("role"))
    if not role_name:
        row.add("role", _("The role is required."), code="role_missing")
    elif role_name not in lookups.roles:
        row.add("role", _("Unknown role for this event's program. Choose one from the list."), code="role_unknown")
    else:
        row.role = lookups.roles[role_name]


def _check_province_served(row: ImportRow, values: dict, lookups: _Lookups) -> None:
    """The same rule as registration_create: a site takes participants from the provinces it serves."""
    if row.site is None:
        return
    message = province_not_served(site=row.site, province=values.get("province"), served=lookups.served)
    if message:
        row.add("province", message, code="province_not_served")


def _check_against_file(row: ImportRow, seen: dict[tuple[str, str], int]) -> None:
    for key in IDENTIFIER_KEYS:
        value = row.values.get(f"_{key}")
        if not value:
            continue
        first = seen.setdefault((key, value), row.number)
        if first != row.number:
            row.add(
                key,
                _("The same %(identifier)s is already in row %(row)s of this file.")
                % {"identifier": key.upper(), "row": first},
                code="duplicate_in_file",
            )


def _check_against_database(row: ImportRow, lookups: _Lookups) -> None:
    """The same rules as registration_create, on prefetched data: other names, already registered."""
    matches = {}
    for key in IDENTIFIER_KEYS:
        value = row.values.get(f"_{key}")
        if value and (key, value) in lookups.people:
            matches.setdefault(lookups.people[(key, value)].pk, (key, lookups.people[(key, value)]))
    if len(matches) > 1:
        row.add(
            "nik",
            _("These identifiers belong to two different people in our records. Contact the organizer."),
            code="identifiers_of_two_people",
        )
        return
    if not matches:
        return
    key, person = next(iter(matches.values()))
    if row.name and comparable_name(person.full_name) != comparable_name(row.name):
        row.add(
            key,
            # The name recorded is not said: whoever knows a number must learn nothing more from the check.
            _("This %(identifier)s is already recorded under another name. Check the number.")
            % {"identifier": key.upper()},
            code="identifier_under_other_name",
        )
        return
    existing = lookups.registrations.get(person.pk)
    if existing is not None:
        # Where and how only to a user who may see that registration (as registration_create says it).
        if existing.pk in lookups.visible_registration_ids:
            message = _("Already registered for this event at %(site)s (status: %(status)s); skipped.") % {
                "site": existing.site.name,
                "status": existing.get_status_display(),
            }
        else:
            message = _("Already registered for this event; skipped.")
        row.add(key, message, severity="skipped", code="already_registered")


def _check_eligibility(row: ImportRow, lookups: _Lookups) -> None:
    """The event's rule on history, as registration_eligibility_check applies it: the person recorded under the
    row's identifiers and name attended the required event."""
    if lookups.attended is None or row.has_errors or row.skipped:
        return
    people = {
        lookups.people[(key, row.values[f"_{key}"])]
        for key in IDENTIFIER_KEYS
        if row.values.get(f"_{key}") and (key, row.values[f"_{key}"]) in lookups.people
    }
    if len(people) == 1:
        person = people.pop()
        if comparable_name(person.full_name) == comparable_name(row.name) and person.pk in lookups.attended:
            return
    row.add("nik", lookups.not_eligible, code="not_eligible")


def _check_quotas(rows: list[ImportRow], lookups: _Lookups) -> None:
    """Rows beyond the free seats of a closed quota are refused, in file order."""
    claimed: Counter = Counter()
    for row in rows:
        if not row.clean or row.site is None or row.role is None:
            continue
        slot = (row.site.pk, row.role.pk)
        quota = lookups.quotas.get(slot)
        if quota is None:
            continue
        claimed[slot] += 1
        if lookups.seats_taken[slot] + claimed[slot] > quota.target:
            row.add(
                "role",
                _("All %(target)s places for %(role)s at %(site)s are taken.")
                % {"target": quota.target, "role": row.role.name, "site": row.site.name},
                code="quota_full",
            )


def import_check(*, event: Event, user, data: bytes, filename: str | None = None) -> ImportCheck:
    """Read and validate every row of an uploaded workbook (.xlsx, .xls or .csv, told by `filename`; no name:
    .xlsx); writes nothing.

    Raises ImportFileError when the file cannot be read. The number of queries does not depend on the
    number of rows.
    """
    table = _read(data, filename)
    if table.findings:
        return ImportCheck(file_findings=table.findings)
    rows = [ImportRow(number, values, table=table) for number, values in table.rows]
    for row in rows:
        _check_identifiers(row)
    lookups = _lookups(event=event, user=user, rows=rows)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        values = _check_person_fields(row, lookups)
        _check_site_and_role(row, lookups)
        _check_province_served(row, values, lookups)
        _check_against_file(row, seen)
        _check_against_database(row, lookups)
        _check_eligibility(row, lookups)
        if not row.has_errors:
            row.person_data = PersonData(**values)
    _check_quotas(rows, lookups)
    return ImportCheck(rows=rows)


# --- Batches ---------------------------------------------------------------------------------------------------


def import_batch_create(*, user, event: Event, filename: str, data: bytes) -> ImportBatch:
    """Keep an uploaded file for its check and confirmation; refuses what is not a readable .xlsx, .xls or .csv.

    Raises ImportFileError with a message for the user. Unconfirmed files older than a day are dropped.
    """
    check_upload_name(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB."))
    import_check(event=event, user=user, data=data, filename=filename)  # raises ImportFileError if unreadable
    return batch_stage(kind=KIND, scope={"event_id": event.pk}, user=user, filename=filename, data=data)


def import_batches_of(user):
    """The registration imports `user` uploaded (nobody else sees a staged file)."""
    return batches_of(user=user, kind=KIND)


def import_batches_for_event(event: Event):
    """Every registration import file of the event, of any user (the retention purge drops them)."""
    return ImportBatch.objects.filter(kind=KIND, scope__event_id=event.pk)


def import_batch_event(batch: ImportBatch) -> Event:
    return Event.objects.get(pk=batch.scope["event_id"])


def import_batch_check(*, batch: ImportBatch) -> ImportCheck:
    return import_check(
        event=import_batch_event(batch), user=batch.created_by, data=bytes(batch.data), filename=batch.filename
    )


class ImportRefused(DomainError):
    """The import was not written; `check` holds the findings that block it."""

    def __init__(self, message, check: ImportCheck):
        super().__init__(message)
        self.check = check


@dataclass
class ImportResult:
    registrations: list[Registration]
    skipped: int
    refused: int

    @property
    def waiting(self) -> int:
        return sum(1 for registration in self.registrations if registration.status == Registration.Status.WAITING)


def import_batch_confirm(
    *, batch: ImportBatch, actor, clean_only: bool = False, waitlist: bool = False
) -> ImportResult:
    """Register the rows of a checked batch, all in one transaction, through registration_create.

    Without `clean_only`, any error (found again now, or raised by a registration rule while saving)
    writes nothing and raises ImportRefused. With it, the rows with errors are left out. With `waitlist`, the rows
    beyond a full quota are no errors: they join its waiting list, in the file's order, as the public and the
    organizer forms offer.
    """
    if batch.status != ImportBatch.Status.CHECKED:
        raise ImportRefused(_("This file has already been imported."), ImportCheck())
    try:
        check = import_batch_check(batch=batch)
    except ImportFileError as error:
        raise ImportRefused(error.message, ImportCheck()) from error
    joining = check.waitlist_rows if waitlist else []
    blocked = len(check.error_rows) - len(joining)
    if check.file_findings or (blocked and not clean_only):
        raise ImportRefused(_("The file still has errors; nothing was imported."), check)
    created: list[Registration] = []
    refused = blocked
    with transaction.atomic():
        locked = batch_lock_waiting(batch)
        if locked is None:
            raise ImportRefused(_("This file has already been imported."), ImportCheck())
        joins = {id(row) for row in joining}
        for row in (row for row in check.rows if row.clean or id(row) in joins):  # the file's order
            try:
                registration = registration_create(
                    site=row.site,
                    role=row.role,
                    person_data=row.person_data,
                    source=Registration.Source.IMPORT,
                    actor=actor,
                    join_waitlist=waitlist,
                )
            except RegistrationError as error:
                # Only this row's savepoint was rolled back; raising here undoes the whole import.
                row.add(error.field if error.field in COLUMN_BY_KEY else "nik", error.message, code=error.code)
                if not clean_only:
                    raise ImportRefused(_("The file still has errors; nothing was imported."), check) from error
                refused += 1
                continue
            created.append(registration)
        outcome = ImportResult(registrations=created, skipped=len(check.skipped_rows), refused=refused)
        result = {"created": len(created), "waiting": outcome.waiting, "skipped": outcome.skipped, "refused": refused}
        batch_mark_imported(locked, result=result)
        audit.record(
            actor=actor,
            action="import.completed",
            target=locked,
            from_state=ImportBatch.Status.CHECKED,
            to_state=ImportBatch.Status.IMPORTED,
            data={"event": batch.scope.get("event_id"), "clean_only": clean_only, "waitlist": waitlist, **result},
        )
    batch.refresh_from_db()
    return outcome
