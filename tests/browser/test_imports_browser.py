import io

import pytest
from openpyxl import Workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _workbook(rows) -> bytes:
    from participants.imports import COLUMN_BY_KEY

    keys = ["full_name", "nik", "site", "role"]
    workbook = Workbook()
    workbook.active.append([str(COLUMN_BY_KEY[key].label) for key in keys])
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_panitia_uploads_sees_findings_and_imports_the_clean_rows(page, live_server, tmp_path):
    from events.demo import seed_events_load
    from events.services.regions import regions_load
    from participants.models import Registration
    from tests.factories import user_in, valid_nik

    regions_load()
    lokakarya = next(event for event in seed_events_load() if event.slug.startswith("lokakarya"))
    panitia = user_in("Panitia", "panitia_impor", organized=[lokakarya])
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(
        _workbook([["Baiq Bersih", valid_nik(), "Kab. Bima", "CGP"], ["Lalu Rusak", "3.20101E+15", "Kab. Bima", "CGP"]])
    )

    page.goto(live_server.url + "/masuk/")
    page.locator("#id_username").fill(panitia.username)
    page.locator("#id_password").fill("pw-test-12345")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Peserta").click()  # the grouped menu
    page.get_by_role("link", name="Impor Excel").click()
    page.get_by_label("Berkas Excel atau CSV (.xlsx, .xls, .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()

    findings = page.locator("#findings tbody tr")
    assert findings.count() == 1
    assert findings.first.locator("td").all_inner_texts()[:2] == ["3", "NIK"]
    page.get_by_role("button", name="Impor hanya 1 baris yang bersih").click()
    assert "1 pendaftaran dibuat" in page.get_by_role("status").inner_text()
    assert list(Registration.objects.values_list("person__full_name", flat=True)) == ["Baiq Bersih"]
