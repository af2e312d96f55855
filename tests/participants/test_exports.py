import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.identifiers import mask_nik
from events.models import Agency
from participants.services import registration_verify
from tests.factories import register, user_in

URL = "participants:registration_export"


def export(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse(URL) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="pendaftaran-')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return headers, [{headers[i]: cell for i, cell in enumerate(row)} for row in rows[1:]]


def test_export_has_headers_rows_and_masks_nik_for_panitia_only(client, lokakarya, bima):
    first = register(bima, "CGP", name="Baiq Nurul Aini, S.Pd.", phone="+6281234567890")
    register(bima, "PP", name="Lalu Ahmad")
    panitia = user_in("Panitia", organized=[lokakarya])
    headers, rows = export(client, panitia)
    assert headers[:6] == ["No.", "Kode", "Nama lengkap", "NIK", "NIP", "NUPTK"]
    assert "Site" in headers and "Unsur" in headers and "Status" in headers
    assert len(rows) == 2
    baiq = next(row for row in rows if row["Nama lengkap"].value == "Baiq Nurul Aini, S.Pd.")
    assert baiq["NIK"].value == mask_nik(first.nik) and "*" in baiq["NIK"].value
    assert baiq["No. HP"].value == "+628******7890"
    assert baiq["Kode"].value == first.code and baiq["Site"].value == "Kab. Bima"
    assert baiq["Diajukan pada"].value.endswith("WITA")

    verifikator = user_in("Verifikator", provinces=["52"])
    _, rows = export(client, verifikator)
    baiq = next(row for row in rows if row["Nama lengkap"].value == "Baiq Nurul Aini, S.Pd.")
    assert baiq["NIK"].value == first.person.nik and baiq["No. HP"].value == "+6281234567890"
    assert baiq["NIK"].data_type == "s" and baiq["NIK"].number_format == "@"


def test_formula_like_names_are_neutralised(client, lokakarya, bima):
    register(bima, "CGP", name='=HYPERLINK("http://example.invalid","klik")')
    register(bima, "CGP", name="+62 Budi", position="-Kepala", email="@budi@example.invalid")
    _, rows = export(client, user_in("Panitia", organized=[lokakarya]))
    cells = [cell for row in rows for cell in row.values()]
    assert all(cell.data_type != "f" for cell in cells)
    names = {row["Nama lengkap"].value for row in rows}
    assert '\'=HYPERLINK("http://example.invalid","klik")' in names
    assert "'+62 Budi" in names


def test_export_applies_the_lists_filters_and_scope(client, lokakarya, rakor, bima, sikur, superuser):
    verified = register(bima, "CGP", name="Sudah Diverifikasi")
    registration_verify(registration=verified, actor=superuser)
    register(bima, "PP", name="Masih Diajukan")
    register(sikur, "CGP", name="Di Sikur")
    register(rakor.sites.get(name="Regional Kupang"), "LPMP", province_code="53", name="Di Kupang")
    panitia = user_in("Panitia", organized=[lokakarya])

    _, rows = export(client, panitia)
    assert {row["Nama lengkap"].value for row in rows} == {"Sudah Diverifikasi", "Masih Diajukan", "Di Sikur"}
    _, rows = export(client, panitia, "?status=verified")
    assert [row["Nama lengkap"].value for row in rows] == ["Sudah Diverifikasi"]
    _, rows = export(client, panitia, f"?site={sikur.pk}")
    assert [row["Nama lengkap"].value for row in rows] == ["Di Sikur"]
    _, rows = export(client, panitia, "?q=masih")
    assert [row["Nama lengkap"].value for row in rows] == ["Masih Diajukan"]


def test_who_may_export(client, lokakarya, bima):
    register(bima, "CGP")
    response = client.get(reverse(URL))
    assert response.status_code == 302 and reverse("login") in response.url
    client.force_login(user_in("Operator Dinas", provinces=["52"]))
    assert client.get(reverse(URL)).status_code == 403
    _, rows = export(client, user_in("Pejabat", provinces=["11"]))
    assert rows == []


def test_export_query_count_is_constant(client, lokakarya, bima, sikur):
    panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(panitia)
    agency = Agency.objects.get(short_name="BGP Provinsi NTB")
    for _ in range(2):
        register(bima, "CGP")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(URL)).status_code == 200
    for n in range(8):
        register(sikur if n % 2 else bima, "PP", agency=agency, phone="+6281234567890")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(URL)).status_code == 200
    assert len(few) == len(many)
