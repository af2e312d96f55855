"""An Operator Dinas submits a committee; the kab/kota verifikator (approval level 1) sees its findings, fixes
nothing, returns it with a reason that the decision chain shows."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup():

    from events.demo import seed_events_load
    from events.services.regions import regions_load

    regions_load()
    return {e.slug: e for e in seed_events_load()}["rakor-persiapan-psp-2021"].cohort


def _login(page, live_server, username):
    page.goto(live_server.url + "/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-test-12345")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/masuk/" not in url)


def test_operator_submits_verifikator_returns_with_reason(page, live_server, migration_data):
    from events import groups as G
    from rosters.models import Committee
    from tests.factories import user_in
    from tests.rosters.conftest import kab_verifikator, make_penggerak, sd_members

    cohort = _setup()
    school, principal = make_penggerak(cohort, regency="14.71")
    members = sd_members(principal)[:3]  # no pengawas: a composition error
    user_in(G.OPERATOR_DINAS, "operator_test", provinces=["14"])
    kab_verifikator("14.71", "verifikator_test")  # the first approval level: the kab/kota's verifikator

    _login(page, live_server, "operator_test")
    page.get_by_role("link", name="Komite Pembelajaran").click()
    page.locator("a[href*='/roster/new/']").click()
    page.select_option("select[name=school]", str(school.pk))
    for index, member in enumerate(members):
        page.fill(f"input[name=members-{index}-full_name]", member.full_name)
        page.select_option(f"select[name=members-{index}-position]", member.position)
        page.fill(f"input[name=members-{index}-class_taught]", member.class_taught)
        page.fill(f"input[name=members-{index}-nik]", member.nik)
    page.locator("form button[type=submit].btn-primary").last.click()
    page.wait_for_url("**/roster/*/")
    assert page.locator("#committee-status").inner_text() == "Diajukan"
    committee = Committee.objects.get()
    assert committee.status == "submitted" and committee.error_count == 1
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(lambda url: "/roster/" not in url)

    _login(page, live_server, "verifikator_test")
    page.goto(live_server.url + "/roster/?has_errors=on")
    page.get_by_role("link", name=school.name).click()
    findings = page.locator("#findings").inner_text()
    # The rule by its name, never its code (issue 14, item 8).
    assert "Komposisi per jenjang" in findings and "composition_count" not in findings and "Pengawas" in findings
    assert page.locator("form[action$='/validate/'] button").is_disabled()
    page.fill("textarea[name=reason]", "Pengawas sekolah belum diisi.")
    page.locator("form[action$='/return/'] button").click()
    page.wait_for_url("**/roster/*/")
    assert page.locator("#committee-status").inner_text() == "Dikembalikan"
    assert page.locator("#return-reason").inner_text() == "Pengawas sekolah belum diisi."
    chain = page.locator("#decisions").inner_text()
    assert "Dikembalikan" in chain and "Pengawas sekolah belum diisi." in chain and "1. Kabupaten/Kota" in chain
    committee.refresh_from_db()
    assert committee.status == "returned" and committee.return_reason == "Pengawas sekolah belum diisi."
