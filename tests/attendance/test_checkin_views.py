import datetime as dt
import json
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Attendance
from attendance.services import attendance_record
from core.models import ReportJob
from events import groups as G
from participants.services import registration_reject, registration_verify
from tests.factories import at_noon_of_today, register, sessions_from_today, user_in, valid_nik


@pytest.fixture
def day1(bima):
    with at_noon_of_today(bima):
        sessions_from_today(bima)
        yield bima.sessions.select_related("site").get(name="Hari 1")


@pytest.fixture
def koordinator(bima):
    return user_in(G.KOORDINATOR_SITE, sites=[bima])


def url(name, *args):
    return reverse(f"attendance:{name}", args=args)


def post_json(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_anonymous_is_sent_to_login(client, day1):
    response = client.get(url("checkin_screen", day1.pk))
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    response = post_json(client, url("checkin_record", day1.pk), {"code": "X"})
    assert response.status_code == 302


@pytest.mark.parametrize("group", [G.PEJABAT, G.VERIFIKATOR])
def test_pejabat_and_verifikator_cannot_check_in(client, lokakarya, day1, group):
    client.force_login(user_in(group, provinces=["52"], events=[lokakarya]))
    assert client.get(url("checkin_screen", day1.pk)).status_code == 403
    assert client.get(url("checkin_roster", day1.pk)).status_code == 403


def test_koordinator_of_another_site_gets_404(client, sikur, day1, bima):
    client.force_login(user_in(G.KOORDINATOR_SITE, sites=[sikur]))
    registration = register(bima, "CGP")
    assert client.get(url("checkin_screen", day1.pk)).status_code == 404
    assert client.get(url("checkin_roster", day1.pk)).status_code == 404
    assert client.get(url("checkin_counts", day1.pk)).status_code == 404
    assert client.get(url("checkin_paper", day1.pk)).status_code == 404
    assert post_json(client, url("checkin_record", day1.pk), {"code": registration.code}).status_code == 404
    assert post_json(client, url("checkin_search", day1.pk), {"q": "Peserta"}).status_code == 404
    assert post_json(client, url("checkin_sync", bima.pk), {"items": []}).status_code == 404
    assert not Attendance.objects.exists()
    sessions = client.get(url("checkin_sessions"))
    assert "Kab. Lombok Timur" in sessions.content.decode() and "Kab. Bima" not in sessions.content.decode()


def test_screen_shows_session_counts_and_nav(client, koordinator, bima, day1):
    register(bima, "CGP")
    client.force_login(koordinator)
    response = client.get(url("checkin_screen", day1.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hari 1" in html and "WITA" in html
    assert url("checkin_sessions") in html  # nav link for users who may check in
    assert 'data-testid="count-expected">1<' in html
    assert "vendor/jsqr/jsQR.js" in html and "attendance/checkin.js" in html


def test_record_api_answers_with_person_and_warnings(client, koordinator, bima, sikur, day1):
    registration = register(bima, "CGP", name="Nurhayati, S.Pd.", nik=valid_nik(serial=4321))
    client.force_login(koordinator)
    response = post_json(client, url("checkin_record", day1.pk), {"code": registration.code.lower(), "method": "qr"})
    data = response.json()
    assert response.status_code == 200 and data["ok"] and data["recorded"] and data["created"]
    assert data["person"]["name"] == "Nurhayati, S.Pd."
    assert data["person"]["role"] == "CGP" and data["person"]["status"] == "submitted"
    assert data["person"]["nik"] == "52**************"  # masked for a koordinator: its province code only
    assert [w["code"] for w in data["warnings"]] == ["unverified"]
    assert Attendance.objects.get().method == "qr"

    again = post_json(client, url("checkin_record", day1.pk), {"code": registration.code, "method": "search"}).json()
    assert again["recorded"] and not again["created"]
    assert "already" in [w["code"] for w in again["warnings"]]
    assert Attendance.objects.count() == 1

    stranger = register(sikur, "CGP")
    refused = post_json(client, url("checkin_record", day1.pk), {"code": stranger.code}).json()
    assert refused["ok"] and not refused["recorded"]
    warning = refused["warnings"][0]
    assert warning["code"] == "other_site" and warning["blocking"] and "Kab. Lombok Timur" in warning["message"]
    confirmed = post_json(
        client, url("checkin_record", day1.pk), {"code": stranger.code, "allow_other_site": True}
    ).json()
    assert confirmed["recorded"] and Attendance.objects.count() == 2


def test_record_api_bad_input_is_a_clear_400_or_404(client, koordinator, day1):
    client.force_login(koordinator)
    response = client.post(url("checkin_record", day1.pk), b"{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]["code"]
    response = post_json(client, url("checkin_record", day1.pk), {"code": "ABCDEFGHJK"})
    assert response.status_code == 404 and response.json()["error"]
    response = post_json(client, url("checkin_sync", day1.site_id), {"items": "nope"})
    assert response.status_code == 400
    junk = [1, "x", None, {}, [], {"uuid": "u", "code": None, "session": "one", "checked_in_at": "9" * 400}]
    response = post_json(client, url("checkin_sync", day1.site_id), {"items": junk})
    assert response.status_code == 200
    assert [r["outcome"] for r in response.json()["results"]] == ["error"] * len(junk)
    response = client.post(url("checkin_paper", day1.pk), {"registrations": ["abc"]})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not Attendance.objects.exists()


def test_search_by_name_and_full_nik_by_post(client, koordinator, bima, sikur, day1):
    nik = valid_nik(serial=777)
    register(bima, "CGP", name="Lalu Muhammad Zaini")
    register(sikur, "CGP", name="Baiq Sri Wahyuni", nik=nik)
    client.force_login(koordinator)
    by_name = post_json(client, url("checkin_search", day1.pk), {"q": "zaini"}).json()
    assert [r["name"] for r in by_name["results"]] == ["Lalu Muhammad Zaini"]
    # Another site's participant is found only by a full identifier, to warn about the site.
    assert post_json(client, url("checkin_search", day1.pk), {"q": "Wahyuni"}).json()["results"] == []
    by_nik = post_json(client, url("checkin_search", day1.pk), {"q": nik}).json()["results"]
    assert [(r["name"], r["site_name"]) for r in by_nik] == [("Baiq Sri Wahyuni", "Kab. Lombok Timur")]
    assert by_nik[0]["nik"] != nik
    assert client.get(url("checkin_search", day1.pk)).status_code == 405  # never a NIK in a URL


def test_roster_json_is_masked_and_marks_present(client, koordinator, bima, day1):
    present = register(bima, "CGP", nik=valid_nik(serial=1111))
    register(bima, "PP")
    rejected = register(bima, "CGP")
    registration_reject(registration=rejected, actor=koordinator, reason="Ganda")
    attendance_record(registration=present, session=day1, method="qr", actor=koordinator)
    client.force_login(koordinator)
    data = client.get(url("checkin_roster", day1.pk)).json()
    assert data["session"] == day1.pk and data["site"] == bima.pk
    rows = {row["code"]: row for row in data["participants"]}
    assert rejected.code not in rows and len(rows) == 2
    assert rows[present.code]["present"] is True and rows[present.code]["nik"] == "52**************"
    assert set(rows[present.code]) >= {"code", "name", "role", "agency", "status", "nik", "nip", "checked_in_at"}


def test_sync_api_records_original_time(client, koordinator, bima, day1):
    registration = register(bima, "CGP")
    client.force_login(koordinator)
    arrived = day1.starts_at + dt.timedelta(minutes=3, seconds=21)
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": day1.pk,
        "checked_in_at": arrived.isoformat().replace("+00:00", "Z"),
    }
    first = post_json(client, url("checkin_sync", bima.pk), {"items": [item]}).json()
    second = post_json(client, url("checkin_sync", bima.pk), {"items": [item]}).json()
    assert [r["outcome"] for r in first["results"]] == ["recorded"]
    assert [r["outcome"] for r in second["results"]] == ["already"]
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at == arrived and attendance.method == "offline"
    assert attendance.recorded_by == koordinator


def test_counts_per_role(client, koordinator, bima, day1):
    cgp = [register(bima, "CGP") for _ in range(3)]
    register(bima, "PP")
    registration_verify(registration=cgp[0], actor=koordinator)
    attendance_record(registration=cgp[0], session=day1, method="qr", actor=koordinator)
    client.force_login(koordinator)
    html = client.get(url("checkin_counts", day1.pk)).content.decode()
    assert 'data-testid="count-present">1<' in html and 'data-testid="count-expected">4<' in html
    assert '<td>CGP</td><td class="text-end">1</td><td class="text-end">3</td>' in html.replace("\n", "")


def test_paper_sheet_saves_ticks(client, koordinator, bima, day1):
    first, second, third = (register(bima, "CGP") for _ in range(3))
    attendance_record(registration=first, session=day1, method="qr", actor=koordinator)
    client.force_login(koordinator)
    page = client.get(url("checkin_paper", day1.pk)).content.decode()
    assert f'value="{second.pk}"' in page and f'value="{first.pk}"' not in page
    response = client.post(url("checkin_paper", day1.pk), {"registrations": [second.pk, third.pk]}, follow=True)
    assert "Dicatat hadir: 2." in response.content.decode()
    assert dict(Attendance.objects.values_list("registration_id", "method")) == {
        first.pk: "qr",
        second.pk: "paper",
        third.pk: "paper",
    }
    # An id of another site, typed into the form, is an error next to the list, not a 500.
    other = register(day1.site.event.sites.exclude(pk=bima.pk).first(), "CGP")
    response = client.post(url("checkin_paper", day1.pk), {"registrations": [other.pk]})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def _queries(client, path, method="get"):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["checkin_roster", "checkin_counts", "checkin_paper", "checkin_screen"])
def test_query_count_does_not_grow_with_rows(client, koordinator, bima, day1, name):
    roles = ["CGP", "PP", "KEPALA_SEKOLAH", "PENGAWAS_SEKOLAH"]
    client.force_login(koordinator)

    def add(count):
        for index in range(count):
            registration = register(bima, roles[index % len(roles)] if index % 5 else "CGP")
            if index % 2:
                attendance_record(registration=registration, session=day1, method="qr", actor=koordinator)

    add(10)
    _queries(client, url(name, day1.pk))  # the user's first request fills the door's memory (selectors.DOOR_MEMO)
    small = _queries(client, url(name, day1.pk))
    add(30)
    large = _queries(client, url(name, day1.pk))
    assert small == large


def test_nav_link_only_for_those_who_may_check_in(client, koordinator, lokakarya):
    link = f'href="{url("checkin_sessions")}"'
    client.force_login(koordinator)
    assert link in client.get(reverse("events:event_list")).content.decode()
    client.force_login(user_in(G.PEJABAT, provinces=["52"]))
    assert link not in client.get(reverse("events:event_list")).content.decode()


def test_session_list_query_count_does_not_grow_with_sessions(client, lokakarya):
    from events.models import Session

    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    _queries(client, url("checkin_sessions"))  # the user's first request fills the door's memory (selectors.DOOR_MEMO)
    small = _queries(client, url("checkin_sessions"))
    for site in lokakarya.sites.all():
        first = site.sessions.first()
        for number in range(3):
            Session.objects.create(
                site=site,
                name=f"Sesi tambahan {number}",
                starts_at=first.starts_at + dt.timedelta(hours=number),
                ends_at=first.ends_at,
            )
    response = client.get(url("checkin_sessions"))
    assert response.content.decode().count("Sesi tambahan") == 9
    assert _queries(client, url("checkin_sessions")) == small


def _screen_config(client, session) -> dict:
    html = client.get(url("checkin_screen", session.pk)).content.decode()
    found = re.search(r'<script id="checkin-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_paper_sheet_is_kept_for_offline_printing_while_it_is_built_in_the_request(
    client, koordinator, bima, day1, settings, superuser
):
    """The screen keeps the blank daftar hadir for printing offline exactly when its download is built at once: up to
    REPORTS_LARGE_SHEET_ROWS participants, above the limit of the other exports (REPORTS_LARGE_ROWS)."""
    for _ in range(3):
        registration_verify(registration=register(bima, "CGP"), actor=superuser)
    settings.REPORTS_LARGE_ROWS = 1  # another export of 3 rows would be a background job
    settings.REPORTS_LARGE_SHEET_ROWS = 3
    client.force_login(koordinator)
    config = _screen_config(client, day1)
    paper = config["urls"]["paperPdf"]
    assert paper in config["keep"]
    response = client.get(paper)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not ReportJob.objects.exists()

    settings.REPORTS_LARGE_SHEET_ROWS = 2  # now a background job: not kept, the worker would start one each time
    config = _screen_config(client, day1)
    assert paper not in config["keep"]
    assert client.get(paper).status_code == 302 and ReportJob.objects.count() == 1
