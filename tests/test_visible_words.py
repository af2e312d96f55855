"""No internal code and no English word in what a user reads of the Indonesian UI (issue 14, item 8: audit
actions like `registration.created`, statuses and sources like `submitted`, `qr`, `offline`, roster rule codes
like `composition_count`, agency type codes like `BP_PAUD_DIKMAS`, a bare "403 Forbidden", "TOTP devices").

Every staff role (and the anonymous visitor) signs in, with the demo's data in the database (registrations of
every status and source, check-ins, audit entries, rosters with findings, action plans); the crawler follows
every link of the pages it reaches, from the start page through the navbar and the list pages, one page of
each kind (URL name), downloads aside; the superuser also opens the admin's index and every changelist (and the
pages of an audit entry and of a two-factor device). The
visible text of each page (scripts and styles left out; the titles, placeholders and labels of controls in)
may hold no snake_case token and none of the English words below. The headers of the Excel files a user fills
in or reads (findings, registration export, roster template) are checked the same way.
"""

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from attendance.models import HeldCheckin
from core.audit_labels import action_labels, state_label
from core.models import AuditEntry
from events import groups as G
from events.models import AgencyType, Event, Province, Role
from participants.models import CorrectionRequest, Registration
from participants.services import PERSONAL_DATA_VIEWED
from reports.models import Certificate
from rosters.imports import position_code, position_names, template_workbook
from rosters.models import Committee
from rosters.outputs import findings_workbook
from tests.factories import user_in

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# snake_case and SCREAMING_SNAKE_CASE codes, and dotted codes such as an audit action ("matrix.edited").
SNAKE_CASE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b|\b[a-z_]+\.[a-z_]+\b")
# E-mail addresses, web addresses and file names are not words: left out before the codes are looked for.
# So are the JSON details of an audit entry (the admin shows them as stored).
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:xlsx|pdf|png|jpg|csv|invalid|id|com|org)\b|^\{.*\}$")
# Tokens that look like snake_case but are not words to translate (the usernames of the accounts are added).
SNAKE_CASE_ALLOWED: set[str] = set()
# English words that are not Indonesian words too ("Status", "Data", "Program", "Total", "Admin" are, and the
# loanword "Check-in" is the app's term; "No." is the number column, "No" alone is English); whole words, case
# as written.
ENGLISH = {
    word.strip()
    for word in """
    Forbidden | Not Found | Submitted | submitted | Verified | verified | Pending | pending | Rejected |
    rejected | Returned | returned | Validated | validated | Draft | draft | Created | created | Updated |
    Deleted | Save | Delete | Search | Devices | Device | Yes | None | Unknown | unknown | Add | Edit |
    Change | Download | Upload | Submit | Cancel | Back | Next | Previous | Name | Date | Time | Action |
    Actions | User | Users | Groups | Permissions | Password | Events | Event | Participant | Participants |
    Registration | Registrations | Attendance | Report | Reports | Account | Log in | Log out | True | False |
    Filter | Show | Hide | Print | Export | Error | Warning | Sites | offline | online | qr | self | form |
    search | of | the | and | with | by | for | confirmed | Confirmed | Identity | Timestamps
""".replace("\n", "|").split("|")
} - {""}
ENGLISH_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ENGLISH), key=len, reverse=True)) + r"|No(?!\.))(?![\w-])"
)

# Downloads and actions: not pages to read here (the Excel files are checked below).
SKIPPED_URL_NAMES = {"logout", "set_language", "admin_view_on_site"}
SKIPPED_SUFFIXES = (".pdf", ".xlsx", ".json", ".csv", ".zip", ".png", ".svg")
ATTRIBUTES_READ = ("title", "placeholder", "aria-label", "alt")
# Besides the admin's index and changelists: the pages of the audit trail and of the two-factor devices, whose
# words came from codes or from django-otp.
ADMIN_FORMS = {"admin:core_auditentry_change", "admin:otp_totp_totpdevice_change", "admin:otp_totp_totpdevice_add"}


class VisibleText(HTMLParser):
    """The text a user reads, and the links of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ATTRIBUTES_READ:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def problems_in(text: str, allowed: set[str]) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    found = [f"code {token!r}" for token in SNAKE_CASE.findall(text) if token not in allowed]
    found += [f"English {word!r}" for word in ENGLISH_PATTERN.findall(text)]
    return found


def crawl(client, start: list[str], *, admin_pages: bool, allowed: set[str]) -> tuple[int, dict[str, list[str]]]:
    """How many pages were read, and {page: [problems]}, of every page reached from `start`, one per URL name."""
    # The master data's own keys, in the admin's "code" column where Admin pusat maintains them.
    admin_codes = {*AgencyType.objects.values_list("code", flat=True), *Role.objects.values_list("code", flat=True)}
    seen_names, queue, report, read = set(), list(start), {}, 0
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.endswith(SKIPPED_SUFFIXES):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        name = match.view_name
        if name in SKIPPED_URL_NAMES or name in seen_names:
            continue
        admin_page = name == "admin:index" or name.endswith("_changelist") or name in ADMIN_FORMS
        if name.startswith("admin:") and not (admin_pages and admin_page):
            continue
        seen_names.add(name)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        parser = VisibleText()
        parser.feed(response.content.decode())
        lines = [line for part in parser.parts for line in part.splitlines()]
        problems = [f"{problem} in {line.strip()[:80]!r}" for line in lines for problem in problems_in(line, allowed)]
        if name.startswith("admin:"):
            problems = [problem for problem in problems if not any(f"'{code}'" in problem for code in admin_codes)]
        if problems:
            report[url] = sorted(set(problems))
        queue.extend(urljoin(url, link.split("#")[0]) for link in parser.links if not link.startswith("#"))
    return read, report


@pytest.fixture
def demo_data(lokakarya, rakor):
    call_command("load_demo", stdout=io.StringIO())
    return {"lokakarya": lokakarya, "rakor": rakor}


def test_no_code_or_english_word_on_any_page_of_any_role(client, demo_data, settings):
    settings.LANGUAGE_CODE = "id"
    lokakarya, rakor = demo_data["lokakarya"], demo_data["rakor"]
    bima = lokakarya.sites.get(name="Kab. Bima")
    roster_provinces = list(Province.objects.filter(code__in=["14", "52"]).values_list("code", flat=True))
    users = {
        "anonymous": None,
        G.ADMIN_PUSAT: user_in(G.ADMIN_PUSAT),
        G.PANITIA: user_in(G.PANITIA, organized=[lokakarya, rakor]),
        G.KOORDINATOR_SITE: user_in(G.KOORDINATOR_SITE, sites=[bima]),
        G.VERIFIKATOR: user_in(G.VERIFIKATOR, provinces=roster_provinces),
        G.OPERATOR_DINAS: user_in(G.OPERATOR_DINAS, provinces=["14"]),
        G.PEJABAT: user_in(G.PEJABAT, provinces=["52"], events=list(Event.objects.all())),
        "superuser": None,
    }
    start = ["/", reverse("events:event_detail", args=[lokakarya.slug]), reverse("participants:registration_status")]
    report, pages_read = {}, {}
    for role, user in users.items():
        client.logout()
        if role == "superuser":
            user = get_user_model().objects.create_superuser("crawler_root", password="pw-test-12345")
        if user is not None:
            client.force_login(user)
        admin_start = []
        if role == "superuser":
            device = TOTPDevice.objects.create(user=users[G.VERIFIKATOR], name="Ponsel", confirmed=True)
            entry = AuditEntry.objects.filter(action="registration.verified").first()
            admin_start = [reverse("admin:index"), reverse("admin:otp_totp_totpdevice_add")]
            admin_start += [
                reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
                reverse("admin:core_auditentry_change", args=[entry.pk]),
            ]
        allowed = SNAKE_CASE_ALLOWED | set(get_user_model().objects.values_list("username", flat=True))
        read, problems_by_page = crawl(client, start + admin_start, admin_pages=role == "superuser", allowed=allowed)
        pages_read[role] = read
        report |= {f"{role} {url}": problems for url, problems in problems_by_page.items()}
    # The crawl reached each role's pages (when written: 6 for the visitor, 35 for Admin pusat, 72 for the superuser).
    assert pages_read["anonymous"] >= 3 and pages_read[G.ADMIN_PUSAT] >= 25 and pages_read["superuser"] >= 40
    assert not report, "\n".join(f"{page}:\n  " + "\n  ".join(problems) for page, problems in report.items())


def sheet_texts(content: bytes) -> dict[str, list[str]]:
    """Every text cell of every sheet of a workbook, by sheet title (hidden sheets of drop-down lists too)."""
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
        + [rule.formula1 for rule in sheet.data_validations.dataValidation if rule.formula1]  # drop-down lists
        for sheet in workbook.worksheets
    }


def test_excel_files_hold_words_not_codes(client, demo_data, settings):
    """The findings of the rosters, the registration export and the roster template (its drop-down of positions,
    once `kepala_sekolah`): no code in any cell, no English word in a header row."""
    settings.LANGUAGE_CODE = "id"
    client.force_login(user_in(G.ADMIN_PUSAT))
    export = client.get(reverse("participants:registration_export"))
    assert export.status_code == 200
    workbooks = {
        "findings": findings_workbook(committees=Committee.objects.all()),
        "registrations": export.content,
        "roster template": template_workbook(),
    }
    allowed = set(get_user_model().objects.values_list("username", flat=True))
    found = []
    for name, content in workbooks.items():
        sheets = sheet_texts(content)
        assert sum(map(len, sheets.values())) > 15, f"{name}: hardly any content to check"
        for title, texts in sheets.items():
            for text in texts:
                found += [
                    f"{name}, sheet {title}: {problem} in {text[:60]!r}" for problem in problems_in(text, allowed)
                ]
        header = load_workbook(io.BytesIO(content)).worksheets[0][1]
        assert any(cell.value for cell in header), f"{name}: no header row"
    assert not found, "\n".join(found)


def test_the_roster_import_reads_the_positions_of_the_template():
    """The drop-down now offers words; the import reads them in either language, and the old codes still."""

    assert position_names()[0] == "Kepala sekolah"
    assert position_code("Kepala sekolah") == position_code("kepala_sekolah") == "kepala_sekolah"
    assert position_code(" teacher (GURU) ") == "guru" and position_code("Kepala dinas") is None


def test_every_audit_action_has_words():
    """Every action the code records (literal, or `<workflow>.<status>` of a declared transition) has a label,
    so no page shows a code such as `registration.created` (the crawl above sees only the demo's actions)."""
    literal = re.compile(r'action=f?"([a-z_]+\.[a-z_]+)"')
    apps_dirs = ["core", "events", "participants", "rosters", "attendance", "outcomes", "reports"]
    recorded = {
        action
        for folder in apps_dirs
        for path in Path(settings.BASE_DIR, folder).rglob("*.py")
        if "migrations" not in path.parts
        for action in literal.findall(path.read_text())
    }
    workflows = {
        "registration": Registration,
        "committee": Committee,
        "correction": CorrectionRequest,
        "attendance.held": HeldCheckin,
    }
    for prefix, model in workflows.items():
        recorded |= {f"{prefix}.{status}" for targets in model.TRANSITIONS.values() for status in targets}
    recorded |= {f"good_practice.{status}" for status in ("submitted", "published", "unpublished")}
    recorded |= {PERSONAL_DATA_VIEWED, "registration.agency_proposal_accepted", "registration.agency_proposal_mapped"}
    assert len(recorded) > 30
    assert sorted(recorded - set(action_labels())) == []
    # A state of an object without a status field (a certificate is valid until revoked) is in words too.
    with translation.override("id"):
        revoked = state_label(ContentType.objects.get_for_model(Certificate), "revoked")
        verified = state_label(ContentType.objects.get_for_model(Registration), "verified")
    assert (revoked, verified) == ("Dicabut", "Terverifikasi")


def test_error_pages_speak_indonesian(client, db, settings):
    """A refused page, a bad request and an expired form: in words, never a bare "403 Forbidden"."""
    settings.LANGUAGE_CODE = "id"
    client.force_login(user_in(G.OPERATOR_DINAS))
    refused = client.get(reverse("core:audit_list"))
    assert refused.status_code == 403
    assert "Akses ditolak" in refused.content.decode() and "Forbidden" not in refused.content.decode()
    csrf_client = Client(enforce_csrf_checks=True)
    expired = csrf_client.post(reverse("participants:registration_status"), {"code": "X"})
    assert expired.status_code == 403
    text = expired.content.decode()
    assert "Formulir kedaluwarsa" in text and "Forbidden" not in text and "CSRF" not in text
