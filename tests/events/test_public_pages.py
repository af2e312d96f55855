import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventSite, Province, Regency, Role, Session, SiteQuota, Venue


def cells(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr[^>]*id="{row_id}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def test_event_list_shows_both_seed_events_without_login(client, demo):
    response = client.get(reverse("events:event_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapat Koordinasi Persiapan Pelaksanaan Program Sekolah Penggerak" in html
    assert "Lokakarya 7 Angkatan 4 Program Pendidikan Guru Penggerak" in html
    assert "Kegiatan yang telah lewat" in html  # Indonesian by default


def test_lokakarya_detail_shows_the_seed_table_and_totals(client, lokakarya):
    response = client.get(lokakarya.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert cells(html, "targets-total") == ["Total", "76", "90", "85", "251"]
    assert "SDN 8 Sokong" in html and "SMPN 1 Sikur" in html and "SMPN 3 Woha" in html
    assert "Festival Panen Hasil Belajar" in html
    assert "Sabtu, 15 Oktober 2022 08.00 WITA" in html


def test_rakor_detail_shows_sites_zones_and_objectives(client, rakor):
    html = client.get(rakor.get_absolute_url()).content.decode()
    assert "Lor In Solo Hotel" in html
    assert "Jl. Boto Lempangan No. 67, Sawerigading, Kec. Ujung Pandang, Kota Makassar" in html
    assert "Kamis, 20 Mei 2021 08.00 WIB" in html  # Solo
    assert "Kamis, 20 Mei 2021 08.00 WITA" in html  # Makassar and Kupang
    assert "Maluku Utara" in html
    assert "Membuat dan memaparkan rencana aksi." in html
    assert html.index("Menyampaikan kebijakan") < html.index("Membuat dan memaparkan")


def test_indonesian_by_default_whatever_the_browser_says(client, lokakarya):
    html = client.get(lokakarya.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Target peserta per unsur dan site" in html


def test_english_is_switchable(client, lokakarya):
    response = client.post(reverse("set_language"), {"language": "en", "next": lokakarya.get_absolute_url()})
    assert response.status_code == 302
    html = client.get(lokakarya.get_absolute_url()).content.decode()
    assert "Participant targets per role and site" in html
    assert "Saturday, 15 October 2022 08.00 WITA" in html


def test_unknown_or_draft_event_is_404(client, lokakarya):
    assert client.get(reverse("events:event_detail", kwargs={"slug": "tidak-ada"})).status_code == 404
    lokakarya.status = "draft"
    lokakarya.save(update_fields=["status"])
    assert client.get(lokakarya.get_absolute_url()).status_code == 404


def add_sites(event, count: int) -> None:
    regency = Regency.objects.get(code="52.01")
    roles = list(Role.objects.filter(program=event.program))
    for i in range(count):
        venue = Venue.objects.create(name=f"SMPN {i + 10} Gerung", regency=regency)
        site = EventSite.objects.create(
            event=event, name=f"Tambahan {i}", venue=venue, start_date=event.start_date, end_date=event.end_date
        )
        site.provinces_served.set(Province.objects.filter(code__in=["52", "53"]))
        for role in roles:
            SiteQuota.objects.create(site=site, role=role, target=i + 1)
        start = dt.datetime.combine(event.start_date, dt.time(8), tzinfo=ZoneInfo("Asia/Makassar"))
        Session.objects.create(site=site, name="Hari 1", starts_at=start, ends_at=start + dt.timedelta(hours=8))


def test_event_detail_query_count_does_not_grow(client, lokakarya):
    url = lokakarya.get_absolute_url()
    client.get(url)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_sites(lokakarya, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Tambahan 5" in response.content.decode()
    assert len(many) == len(few) <= 10


def test_event_list_query_count_does_not_grow(client, lokakarya):
    url = reverse("events:event_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_sites(lokakarya, 4)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_login_page_renders(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()


def test_the_event_page_leads_to_each_sites_form_while_registration_is_open(client, lokakarya):
    """Issue 14, item 5: no way to reach the public form, the status look-up, the gallery or the matrix."""
    import datetime as dt

    from django.utils import timezone

    url = reverse("events:event_detail", kwargs={"slug": lokakarya.slug})
    status = reverse("participants:registration_status")
    html = client.get(url).content.decode()
    assert status in html and "/daftar/" not in html  # closed (the seed's dates): no form, but the look-up
    lokakarya.registration_opens_at = timezone.now() - dt.timedelta(days=1)
    lokakarya.registration_closes_at = timezone.now() + dt.timedelta(days=1)
    lokakarya.save()
    html = client.get(url).content.decode()
    for site in lokakarya.sites.all():
        form = reverse("participants:public_register", kwargs={"slug": lokakarya.slug, "site_id": site.pk})
        assert f'href="{form}"' in html and client.get(form).status_code == 200
    assert "Pendaftaran dibuka" in client.get(reverse("events:event_list")).content.decode()


def test_the_event_page_links_the_agreed_matrix_and_the_gallery_once_they_exist(client, lokakarya):
    from events.models import AgencyType
    from outcomes import services as outcomes

    url = reverse("events:event_detail", kwargs={"slug": lokakarya.slug})
    matrix_url = reverse("outcomes:matrix_public", args=[lokakarya.slug])
    assert matrix_url not in client.get(url).content.decode()
    matrix = outcomes.matrix_create(event=lokakarya, agency_types=[AgencyType.objects.get(code="BGP")], actor=None)
    outcomes.matrix_save(matrix=matrix, rows=[outcomes.MatrixRow(title="Sosialisasi")], actor=None)
    outcomes.matrix_agree(matrix=matrix, actor=None)
    html = client.get(url).content.decode()
    assert matrix_url in html and client.get(matrix_url).status_code == 200
