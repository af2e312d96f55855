"""The throttles of the outcomes area's anonymous pages: the good-practice submission and the delegation's
edit link (core/throttle.py; limits lowered here through the settings the app reads)."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from events.models import Province
from outcomes import services
from outcomes.models import GoodPractice
from tests.factories import register, user_in

BLOCKED_TEXT = "Terlalu banyak percobaan dari alamat Anda"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def practice_form(code: str) -> dict:
    return {"code": code, "title": "Pojok baca", "summary": "Ringkasan", "changes": "Murid aktif", "files": photo()}


def assert_blocked(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert BLOCKED_TEXT in response.content.decode()


def test_good_practice_posts_are_blocked_after_their_limit(client, lokakarya, settings):
    settings.THROTTLE_POST_LIMIT = 3
    url = reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug})
    for _ in range(3):
        assert client.post(url, {"title": "tanpa kode"}).status_code == 200  # refused by the form, counted
    assert client.get(url).status_code == 200  # the page itself stays open
    registration = register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    assert_blocked(client.post(url, practice_form(registration.code)))
    assert not GoodPractice.objects.exists()
    # Another address is not affected.
    assert client.post(url, practice_form(registration.code), REMOTE_ADDR="198.51.100.20").status_code == 302
    assert GoodPractice.objects.count() == 1


def test_wrong_registration_codes_are_failed_look_ups(client, lokakarya, settings):
    settings.THROTTLE_LOOKUP_LIMIT = 2
    url = reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug})
    registration = register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    for guess in ("AAAA1111", "BBBB2222"):
        page = client.post(url, practice_form(guess))
        assert page.status_code == 200 and "Tidak ada pendaftaran" in page.content.decode()
    # The third attempt is refused, even with the right code, and the page too.
    assert_blocked(client.post(url, practice_form(registration.code)))
    assert_blocked(client.get(url))
    assert not GoodPractice.objects.exists()


def test_a_right_code_is_not_a_failed_look_up(client, lokakarya, settings):
    settings.THROTTLE_LOOKUP_LIMIT = 1
    url = reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug})
    bima = lokakarya.sites.get(name="Kab. Bima")
    first, second = register(bima, "CGP"), register(bima, "CGP")
    assert client.post(url, practice_form(first.code)).status_code == 302
    page = client.post(url, practice_form(first.code))  # already submitted: refused, but the code exists
    assert page.status_code == 200
    assert client.post(url, practice_form(second.code)).status_code == 302
    assert GoodPractice.objects.count() == 2


@pytest.fixture
def plans(rakor):
    panitia = user_in("Panitia", organized=[rakor])
    return [
        services.action_plan_create(
            event=rakor, delegation=name, province=Province.objects.get(code=code), actor=panitia
        )
        for name, code in (("Provinsi Riau", "14"), ("Provinsi Lampung", "18"))
    ]


def item_post() -> dict:
    return {
        "action": "add",
        "activity": "Sosialisasi kepada kepala sekolah",
        "start_month": "2021-06",
        "end_month": "2021-07",
    }


def test_unknown_edit_links_are_failed_look_ups(client, plans, settings):
    settings.THROTTLE_LOOKUP_LIMIT = 3
    for n in range(3):
        assert client.get(reverse("outcomes:plan_edit_by_link", kwargs={"token": f"tebakan-{n}"})).status_code == 404
    url = reverse("outcomes:plan_edit_by_link", kwargs={"token": plans[0].edit_token})
    assert_blocked(client.get(url))  # even a real link, once the address has guessed too many
    assert_blocked(client.post(url, item_post()))
    assert not plans[0].items.exists()
    assert client.get(url, REMOTE_ADDR="198.51.100.21").status_code == 200


def test_edit_link_posts_are_blocked_after_their_limit_per_plan(client, plans, settings):
    settings.THROTTLE_POST_LIMIT = 2
    riau, lampung = (reverse("outcomes:plan_edit_by_link", kwargs={"token": plan.edit_token}) for plan in plans)
    assert [client.post(riau, item_post()).status_code for _ in range(2)] == [302, 302]
    assert_blocked(client.post(riau, item_post()))
    assert plans[0].items.count() == 2
    assert client.get(riau).status_code == 200  # reading the plan is not a POST
    # Another delegation on the same network (one address) keeps its own count.
    assert client.post(lampung, item_post()).status_code == 302
    assert plans[1].items.count() == 1
