"""The participant's own data by its registration code, and correction requests handled by staff."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.identifiers import mask_nik
from core.models import AuditEntry
from participants.models import CorrectionRequest, Registration
from tests.factories import attend, register, user_in, valid_nik
from tests.participants.test_registration_forms import payload, url_for


@pytest.fixture
def registration(bima):
    registration = register(bima, phone="+6281234509876", email="baiq@example.invalid", nip="198501122010012001")
    session = bima.sessions.first()
    if session is not None:
        attend(registration, session)
    return registration


def test_page_shows_masked_data_for_the_right_code(client, registration):
    person = registration.person
    response = client.post(reverse("participants:my_data"), {"code": registration.code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert person.full_name in html and registration.event.title in html
    assert person.nik not in html and mask_nik(person.nik) in html and person.nik[-4:] not in html
    assert person.phone not in html and person.nip not in html and "baiq@example.invalid" not in html
    assert "b***@example.invalid" in html
    assert "UU 27/2022" in html


def test_wrong_code_gives_a_neutral_message_and_is_throttled(client, registration):
    response = client.post(reverse("participants:my_data"), {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 200 and registration.person.full_name not in response.content.decode()
    assert (
        "Tidak ada pendaftaran dengan kode ini" in response.content.decode()
        or "No registration" in response.content.decode()
    )
    for _ in range(django_settings.THROTTLE_LOOKUP_LIMIT):
        client.post(reverse("participants:my_data"), {"code": "ZZZZZZZZZZ"})
    # Even the right code is refused once the address has failed too often.
    blocked = client.post(reverse("participants:my_data"), {"code": registration.code})
    assert blocked.status_code == 429 and registration.person.full_name not in blocked.content.decode()


def test_correction_request_is_created_and_audited(client, registration):
    client.post(reverse("participants:my_data"), {"code": registration.code})
    response = client.post(
        reverse("participants:my_data_correction"),
        {"field": "full_name", "correct_value": "Baiq Nurul, M.Pd.", "note": "gelar"},
    )
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get(registration=registration)
    assert correction.status == "open" and correction.correct_value == "Baiq Nurul, M.Pd."
    assert AuditEntry.objects.filter(action="correction.requested", object_id=str(correction.pk)).exists()
    assert client.post(reverse("participants:my_data_correction"), {"field": "bogus"}).status_code == 400
    assert (
        Client().post(reverse("participants:my_data_correction"), {"field": "nik", "correct_value": "1"}).status_code
        == 302
    )
    assert CorrectionRequest.objects.count() == 1


@pytest.mark.parametrize(
    "field, typed, kept, refused_with",
    [
        ("nik", "'5208014107900001", "5208014107900001", None),  # Excel's apostrophe is formatting
        ("nik", "52080141079000", None, "NIK harus 16 digit"),
        ("nip", "198609262015053001", None, "Digit ke-15 NIP (3)"),
        ("phone", "12345", None, "08"),
        ("phone", "0812-3456-7890", "+6281234567890", None),
    ],
)
def test_a_correct_identifier_gets_the_verdict_of_every_channel(client, registration, field, typed, kept, refused_with):
    client.post(reverse("participants:my_data"), {"code": registration.code})
    response = client.post(reverse("participants:my_data_correction"), {"field": field, "correct_value": typed})
    if refused_with is None:
        assert response.status_code == 302
        assert CorrectionRequest.objects.get(registration=registration).correct_value == kept
    else:
        assert response.status_code == 400 and refused_with in response.content.decode()
        assert f'value="{typed}"' in response.content.decode().replace("&#x27;", "'")  # what was typed stays
        assert not CorrectionRequest.objects.exists()


def test_staff_scoping_and_decision(registration):
    correction = CorrectionRequest.objects.create(
        registration=registration, field="nik", correct_value=registration.person.nik
    )
    outsider = Client()
    outsider.force_login(user_in("Verifikator", provinces=["14"]))
    assert outsider.get(reverse("participants:correction_list")).status_code == 200
    assert registration.person.full_name not in outsider.get(reverse("participants:correction_list")).content.decode()
    url = reverse("participants:correction_decide", kwargs={"pk": correction.pk})
    assert outsider.post(url, {"status": "done"}).status_code == 404

    verifier = Client()
    verifier.force_login(user_in("Verifikator", provinces=["52"]))
    assert registration.person.full_name in verifier.get(reverse("participants:correction_list")).content.decode()
    assert verifier.post(url, {"status": "refused", "reason": "data benar"}).status_code == 302
    correction.refresh_from_db()
    assert correction.status == "refused" and correction.decided_by is not None
    entry = AuditEntry.objects.get(action="correction.refused")
    assert entry.reason == "data benar" and entry.from_state == "open"
    verifier.post(url, {"status": "done"})
    correction.refresh_from_db()
    assert correction.status == "refused"


def test_staff_list_query_count_is_constant(registration, bima, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = Client()
    staff.force_login(user_in("Admin pusat"))
    CorrectionRequest.objects.create(registration=registration, field="email", correct_value="x@example.invalid")
    staff.get(reverse("participants:correction_list"))
    with CaptureQueriesContext(connection) as one:
        staff.get(reverse("participants:correction_list"))
    for _ in range(5):
        other = register(bima)
        CorrectionRequest.objects.create(registration=other, field="email", correct_value="y@example.invalid")
    with CaptureQueriesContext(connection) as six:
        staff.get(reverse("participants:correction_list"))
    assert len(six) == len(one)


def test_behind_our_proxy_the_throttle_counts_each_client_not_the_proxy(client, registration, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("participants:my_data")
    for _ in range(settings.THROTTLE_LOOKUP_LIMIT + 1):
        client.post(url, {"code": "ZZZZZZZZZZ"}, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client.post(url, {"code": registration.code}, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another participant behind the same proxy still gets its data.
    other = client.post(url, {"code": registration.code}, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code in (200, 302)


def test_wrong_codes_on_the_status_page_and_my_data_count_together_in_the_shared_cache(client, registration, settings):
    """The probe's 300 wrong codes in 20 s on /status-pendaftaran/: now failed look-ups like /data-saya/'s,
    counted in the cache table every worker and every restart shares."""
    settings.THROTTLE_LOOKUP_LIMIT = 5
    status = reverse("participants:registration_status")
    for _ in range(3):
        assert client.post(status, {"code": "ZZZZZZZZZZ"}).status_code == 200
    for _ in range(2):
        assert client.post(reverse("participants:my_data"), {"code": "ZZZZZZZZZZ"}).status_code == 200
    blocked = client.post(status, {"code": registration.code})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert registration.code not in blocked.content.decode() and "Coba lagi" in blocked.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM core_cache")
        assert any("throttle:" in row[0] for row in cursor.fetchall())


def test_public_posts_are_throttled_per_address_and_the_blocked_one_writes_nothing(client, open_lokakarya, settings):
    settings.THROTTLE_POST_LIMIT = 3
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    for _ in range(3):
        assert client.post(url_for(bima), payload(bima, nik=valid_nik())).status_code == 302
    blocked = client.post(url_for(bima), payload(bima, nik=valid_nik()))
    assert blocked.status_code == 429 and Registration.objects.count() == 3
    # Another address is counted apart.
    other = client.post(url_for(bima), payload(bima, nik=valid_nik()), REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302 and Registration.objects.count() == 4
