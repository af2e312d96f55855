"""Hostile .xlsx files, built here (no committed binaries), sent through the real import screens.

Each one must get a 200 with an Indonesian message and leave nothing behind: no import batch, no
registration, no committee, no file waiting in the media storage.
"""

import io
import os
import struct
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import ImportBatch
from core.xlsx import MAX_ENTRIES, MAX_UNCOMPRESSED_BYTES, XlsxError, check_upload, read_rows
from events import groups as G
from participants.imports import COLUMN_BY_KEY
from participants.models import Registration
from rosters.imports import COLUMNS
from rosters.models import Committee
from tests.factories import user_in, valid_nik
from tests.rosters.conftest import make_penggerak

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_XLSX = "bukan berkas Excel"
DAMAGED = "rusak"
TOO_MUCH_DATA = "jauh lebih besar"
TOO_MANY_PARTS = "terlalu banyak bagian"
LINKS = "menautkan berkas lain"


def _registration_workbook(name="Lalu Peserta") -> bytes:
    """A workbook the registration import would accept: the template's headers and one good row."""
    book = Workbook()
    sheet = book.active
    keys = ["full_name", "nik", "site", "role"]
    sheet.append([str(COLUMN_BY_KEY[key].label) for key in keys])
    sheet.append([name, valid_nik(), "Kab. Bima", "CGP"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, *, replace: dict[str, bytes] = (), add: dict[str, bytes] = ()) -> bytes:
    """The same zip with some parts replaced or added (the way an attacker edits a saved workbook)."""
    replace, add = dict(replace), dict(add)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.pop(info.filename, None) or source.read(info.filename))
        for name, content in {**replace, **add}.items():
            target.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A real workbook plus one part of 20 MB of zeros that deflates to about 20 KB (ratio ~1000)."""
    return _rewrite(_registration_workbook(), add={"xl/media/padding.bin": b"\0" * (20 * 1024 * 1024)})


def declares_too_much() -> bytes:
    """Random (incompressible) data whose central directory claims 200 MB: ratio is low, size is not."""
    data = _rewrite(_registration_workbook(), add={"xl/media/photo.bin": os.urandom(2 * 1024 * 1024)})
    marker = b"PK\x01\x02"
    position = data.find(marker)
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        name = data[position + 46 : position + 46 + name_length]
        if name == b"xl/media/photo.bin":
            data = data[: position + 24] + struct.pack("<I", 200 * 1024 * 1024) + data[position + 28 :]
            break
        position = data.find(marker, position + 4)
    return data


def many_entries() -> bytes:
    return _rewrite(_registration_workbook(), add={f"xl/media/p{n}.bin": b"" for n in range(MAX_ENTRIES + 1)})


def renamed_exe() -> bytes:
    """What a Windows program starts with: the MZ header and a DOS stub, not a zip."""
    stub = b"This program cannot be run in DOS mode."
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + stub


def external_links_and_formulas() -> bytes:
    """A workbook whose cells are formulas pulling from another file, with the link part Excel adds."""
    book = Workbook()
    sheet = book.active
    sheet.append([str(COLUMN_BY_KEY[key].label) for key in ["full_name", "nik", "site", "role"]])
    sheet.append(["='[rahasia.xlsx]Sheet1'!A1", '=HYPERLINK("http://example.invalid/x","klik")', "Kab. Bima", "CGP"])
    buffer = io.BytesIO()
    book.save(buffer)
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook/></externalLink>'
    )
    return _rewrite(buffer.getvalue(), add={"xl/externalLinks/externalLink1.xml": link})


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"".join(b"&lol%d;" % (n - 1) for _ in range(10))) for n in range(2, 10))
    + b"]>\n"
)


def billion_laughs_in_shared_strings() -> bytes:
    """The shared strings part declares nested entities (10^9 'lol's if expanded)."""
    strings = LAUGHS + (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    data = _registration_workbook()
    # openpyxl writes inline strings: declare the shared strings part the way Excel does.
    types = (
        zipfile.ZipFile(io.BytesIO(data))
        .read("[Content_Types].xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    return _rewrite(data, replace={"[Content_Types].xml": types}, add={"xl/sharedStrings.xml": strings})


def external_entity_in_sheet() -> bytes:
    """XXE: the sheet part asks the parser to read a local file into a cell."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    return _rewrite(_registration_workbook(), replace={"xl/worksheets/sheet1.xml": sheet})


HOSTILE = [
    pytest.param(zip_bomb, TOO_MUCH_DATA, id="zip-bomb-ratio"),
    pytest.param(declares_too_much, TOO_MUCH_DATA, id="declares-200MB"),
    pytest.param(many_entries, TOO_MANY_PARTS, id="10001-entries"),
    pytest.param(renamed_exe, NOT_XLSX, id="exe-renamed-xlsx"),
    pytest.param(external_links_and_formulas, LINKS, id="external-links-and-formulas"),
    pytest.param(billion_laughs_in_shared_strings, DAMAGED, id="billion-laughs-sharedStrings"),
    pytest.param(external_entity_in_sheet, DAMAGED, id="xxe-in-sheet"),
]


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    from openpyxl.xml import functions

    assert functions.fromstring.__module__.startswith("defusedxml")
    assert functions.iterparse.__module__.startswith("defusedxml")


def test_the_builders_make_what_they_say():
    """The hostile files really are hostile: otherwise the view tests below would prove nothing."""
    infos = zipfile.ZipFile(io.BytesIO(zip_bomb())).infolist()
    assert sum(i.file_size for i in infos) / sum(i.compress_size for i in infos) > 100
    infos = zipfile.ZipFile(io.BytesIO(declares_too_much())).infolist()
    assert sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES
    assert (
        sum(i.file_size for i in infos if i.filename != "xl/media/photo.bin") / sum(i.compress_size for i in infos)
        < 100
    )
    assert len(zipfile.ZipFile(io.BytesIO(many_entries())).infolist()) > MAX_ENTRIES
    # Without the entity trick, the same workbook reads fine: the refusal is about the entities.
    assert [values for _n, values in read_rows(_registration_workbook())][1][0] == "Lalu Peserta"
    with pytest.raises(XlsxError):
        check_upload(external_links_and_formulas())


@pytest.mark.parametrize(("build", "message"), HOSTILE)
def test_registration_import_refuses_with_a_message_and_writes_nothing(client, lokakarya, build, message):
    panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(panitia)
    response = client.post(
        reverse("participants:import_start"),
        {"event": lokakarya.pk, "file": SimpleUploadedFile("peserta.xlsx", build(), content_type=XLSX)},
    )
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors["file"])
    assert message in errors
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Registration.objects.count() == 0


@pytest.fixture
def roster_operator(client, rakor):
    make_penggerak(rakor.cohort)  # the roster screens need a cohort with Sekolah Penggerak
    user = user_in(G.OPERATOR_DINAS, provinces=["14"])
    client.force_login(user)
    return user


@pytest.mark.parametrize(("build", "message"), HOSTILE)
def test_roster_import_refuses_with_a_message_and_writes_nothing(client, roster_operator, build, message):
    response = client.post(
        reverse("rosters:roster_import"),
        {"file": SimpleUploadedFile("komite.xlsx", build(), content_type=XLSX), "submit": "on"},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.can_save
    assert any(message in str(finding.message) for finding in report.findings)
    assert message in response.content.decode()
    assert response.context["batch"] is None
    assert Committee.objects.count() == 0
    assert not ImportBatch.objects.exists()  # nothing staged: the file is not kept


def test_a_harmless_roster_file_is_read(client, roster_operator, rakor):
    """The control case: a harmless roster file passes the checks, so the refusals above are specific."""
    school, principal = make_penggerak(rakor.cohort)
    book = Workbook()
    sheet = book.active
    sheet.title = "Anggota"
    sheet.append([column.label for column in COLUMNS])
    sheet.append([school.npsn, school.name, principal.full_name, "kepala_sekolah", "", principal.nik, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        reverse("rosters:roster_import"),
        {"file": SimpleUploadedFile("komite.xlsx", buffer.getvalue(), content_type=XLSX)},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.rows == 1 and report.schools == 1
    assert not any(text in str(f.message) for f in report.findings for text in (DAMAGED, NOT_XLSX, LINKS))


@pytest.mark.parametrize("build", [billion_laughs_in_shared_strings, external_entity_in_sheet])
def test_entity_declarations_are_refused_by_defusedxml(build):
    """The refusal comes from defusedxml (EntitiesForbidden), not from some other damage in the file."""
    from defusedxml import EntitiesForbidden

    with pytest.raises(XlsxError) as refused:
        list(read_rows(build()))
    causes, error = [], refused.value
    while error is not None:
        causes.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(cause, EntitiesForbidden) for cause in causes)
