"""Identifiers never appear in URLs, logs or error pages: drive the main flows, search what was captured."""

import datetime as dt
import logging

import pytest
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from core.logging import mask_identifiers
from events.models import Province, Role
from participants.models import Person, identifier_q
from tests.factories import user_in, valid_nik

NIK = valid_nik(female=True, serial=4321)
PHONE_LOCAL = "081234567321"
PHONE = "+6281234567321"


def _boom(request):
    raise ValueError(f"lookup failed for {NIK} / {PHONE}")


urlpatterns = [path("boom/", _boom)]


def _not_leaked(text: str) -> bool:
    digits = [NIK, PHONE_LOCAL, PHONE, PHONE.lstrip("+"), "81234567321"]
    return not any(value in text for value in digits)


@pytest.fixture
def open_site(lokakarya):
    now = timezone.now()
    lokakarya.registration_opens_at = now - dt.timedelta(days=1)
    lokakarya.registration_closes_at = now + dt.timedelta(days=1)
    lokakarya.save()
    return lokakarya.sites.get(name="Kab. Bima")


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("django.request", "django.db.backends", "django.server"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _payload(site, **overrides):
    data = {
        "role": Role.objects.get(program=site.event.program, code="CGP").pk,
        "full_name": "Baiq Nurul Contoh, S.Pd.",
        "nik": NIK,
        "phone": PHONE_LOCAL,
        "birth_date": "1985-05-12",
        "gender": "P",
        "province": Province.objects.get(code="52").pk,
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return data


def test_mask_identifiers_masks_nik_nip_and_phones():
    text = mask_identifiers(f"nik={NIK} nip=198501122010011001 hp {PHONE} / {PHONE_LOCAL} / 0812-3456-7321")
    assert _not_leaked(text) and "198501122010011001" not in text and "0812-3456-7321" not in text


def test_main_flows_leak_no_identifier_into_urls_or_logs(client, open_site, logs, settings):
    settings.DEBUG = False
    urls = []

    def follow(response):
        urls.extend(url for url, _status in getattr(response, "redirect_chain", []))
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        return response

    register_url = reverse(
        "participants:public_register", kwargs={"slug": open_site.event.slug, "site_id": open_site.pk}
    )
    # A failing registration (bad NIK) first, then the good one.
    bad = follow(client.post(register_url, _payload(open_site, nik=NIK[:-1] + "x"), follow=True))
    assert bad.status_code == 200
    good = follow(client.post(register_url, _payload(open_site), follow=True))
    assert good.status_code == 200
    person = Person.objects.get(identifier_q("nik", NIK))
    assert person.phone == PHONE

    staff = user_in("Admin pusat")
    staff_client = Client()
    staff_client.force_login(staff)
    registration = person.registrations.get()
    detail = follow(staff_client.get(reverse("participants:registration_detail", kwargs={"pk": registration.pk})))
    assert detail.status_code == 200

    session = open_site.sessions.first()
    if session is not None:
        checkin = staff_client.post(
            reverse("attendance:checkin_search", kwargs={"session_id": session.pk}), {"q": NIK}
        )
        assert checkin.status_code in (200, 400, 403)

    # A 404 for a path that carries the NIK: neither the page nor the log line shows it.
    missing = staff_client.get(f"/tidak-ada/{NIK}/")
    assert missing.status_code == 404 and _not_leaked(missing.content.decode())

    for url in urls:
        assert _not_leaked(url), url
    assert _not_leaked("\n".join(record.getMessage() for record in logs.records))
    assert "Not Found" in logs.text  # the 404 was logged, masked


@pytest.mark.urls("tests.core.test_identifiers_not_leaked")
def test_500_page_and_its_log_show_no_identifier(logs, settings, db):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert _not_leaked(page) and "Terjadi kesalahan" in page
    error_records = [record for record in logs.records if record.name == "django.request"]
    assert error_records
    formatter = logging.Formatter()
    for record in logs.records:
        text = record.getMessage()
        assert _not_leaked(text)
    # The exception text goes through the handler filter configured in settings.LOGGING.
    from core.logging import MaskIdentifiersFilter

    record = error_records[0]
    MaskIdentifiersFilter().filter(record)
    assert _not_leaked(formatter.format(record))
