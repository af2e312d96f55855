from io import StringIO

from django.core.management import call_command

from events.models import (
    Agency,
    AgencyType,
    Cohort,
    Event,
    EventObjective,
    EventSite,
    Program,
    Role,
    Session,
    SiteQuota,
    Venue,
)

COUNTED = [Program, Cohort, Role, AgencyType, Agency, Venue, Event, EventObjective, EventSite, Session, SiteQuota]


def snapshot() -> dict:
    """Every row of the demo's models, without the timestamps that an upsert touches."""
    data = {}
    for model in COUNTED:
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in {"created_at", "updated_at"}]
        data[model.__name__] = sorted(model.objects.values_list(*fields))
    data["provinces_served"] = sorted(
        EventSite.provinces_served.through.objects.values_list("eventsite_id", "province_id")
    )
    return data


def test_load_demo_twice_changes_no_data(without_seed):
    assert not Event.objects.exists()  # the first load creates, the second updates
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    # The two seed events as written, plus the registration area's clearly fictitious practice event.
    from participants.demo import PRACTICE_SLUG

    assert Event.objects.exclude(slug=PRACTICE_SLUG).count() == 2
    assert EventSite.objects.exclude(event__slug=PRACTICE_SLUG).count() == 6
    assert EventSite.objects.filter(event__slug=PRACTICE_SLUG).count() == 1
    assert SiteQuota.objects.exclude(site__event__slug=PRACTICE_SLUG).count() == 12
    # The practice site's full Pengawas Sekolah quota, where the demo's waiting list is.
    assert SiteQuota.objects.filter(site__event__slug=PRACTICE_SLUG).count() == 1


def test_lokakarya_targets_equal_the_seed(lokakarya):
    targets = {
        (q.site.name, q.role.code): q.target
        for q in SiteQuota.objects.filter(site__event=lokakarya).select_related("site", "role")
    }
    assert targets == {
        ("Kab. Lombok Utara", "CGP"): 52,
        ("Kab. Lombok Utara", "PP"): 9,
        ("Kab. Lombok Utara", "KEPALA_SEKOLAH"): 10,
        ("Kab. Lombok Utara", "PENGAWAS_SEKOLAH"): 5,
        ("Kab. Lombok Timur", "CGP"): 59,
        ("Kab. Lombok Timur", "PP"): 10,
        ("Kab. Lombok Timur", "KEPALA_SEKOLAH"): 16,
        ("Kab. Lombok Timur", "PENGAWAS_SEKOLAH"): 5,
        ("Kab. Bima", "CGP"): 54,
        ("Kab. Bima", "PP"): 16,
        ("Kab. Bima", "KEPALA_SEKOLAH"): 10,
        ("Kab. Bima", "PENGAWAS_SEKOLAH"): 5,
    }
    assert sum(targets.values()) == 251
    assert lokakarya.workshop_number == 7
    assert str(lokakarya.cohort) == "PPGP Angkatan 4"
    assert str(lokakarya.organizer) == "BGP Provinsi NTB"
    assert lokakarya.organizer.name == "Balai Guru Penggerak Provinsi Nusa Tenggara Barat"
    assert {s.venue.name for s in lokakarya.sites.all()} == {"SDN 8 Sokong", "SMPN 1 Sikur", "SMPN 3 Woha"}
    assert {s.time_zone for s in lokakarya.sites.all()} == {"Asia/Makassar"}


def test_regional_maluku_meets_in_wita_while_maluku_is_wit(rakor):
    maluku = rakor.sites.get(name="Regional Maluku")
    assert maluku.venue.name == "Best Western Plus Makassar Beach"
    assert maluku.zone_label == "WITA"
    assert maluku.time_zone == "Asia/Makassar"
    served = {p.name: p.zone_label for p in maluku.provinces_served.all()}
    assert served == {"Maluku": "WIT", "Maluku Utara": "WIT"}
    assert rakor.sites.get(name="Regional Solo").zone_label == "WIB"
    assert rakor.sites.get(name="Regional Kupang").zone_label == "WITA"


def test_rakor_as_the_seed_describes_it(rakor):
    assert rakor.title == "Rapat Koordinasi Persiapan Pelaksanaan Program Sekolah Penggerak"
    assert str(rakor.organizer) == "LPPKSPS"
    assert (rakor.start_date.isoformat(), rakor.end_date.isoformat()) == ("2021-05-20", "2021-05-23")
    assert "1177/M/2020" in rakor.legal_basis
    objectives = list(rakor.objectives.values_list("order", "text"))
    assert [order for order, _ in objectives] == [1, 2, 3, 4, 5, 6, 7]
    assert objectives[4][1] == "Menentukan peserta pelatihan Komite Pembelajaran Tahap 1 dan 2;"
    solo = rakor.sites.get(name="Regional Solo")
    assert solo.venue.full_address == "Jl. Adi Sucipto no. 47, Kota Surakarta, Jawa Tengah"
    assert set(solo.provinces_served.values_list("name", flat=True)) == {
        "Kepulauan Bangka Belitung",
        "Kepulauan Riau",
        "Lampung",
        "Riau",
    }
    kupang = rakor.sites.get(name="Regional Kupang")
    assert kupang.venue.address == "Jl. Piet A. Tallo, RT.035/RW.012, Oesapa, Klp. Lima"
    assert list(kupang.provinces_served.values_list("name", flat=True)) == ["Nusa Tenggara Timur"]
    assert set(Role.objects.filter(program=rakor.program).values_list("name", flat=True)) >= {
        "LPMP",
        "BP PAUD Dikmas",
        "Dinas Pendidikan Provinsi",
        "Dinas Pendidikan Kab/Kota",
    }
    assert solo.sessions.count() == 4


def test_agency_types_carry_their_successors(demo):
    assert AgencyType.objects.get(code="LPMP").successor.code == "BPMP"
    assert AgencyType.objects.get(code="LPPKSPS").successor.code == "BBGP"
    bgp = AgencyType.objects.get(code="BGP")
    assert bgp.successor.code == "BGTK"
    lokakarya_day = Event.objects.get(workshop_number=7).start_date
    assert bgp.is_valid_on(lokakarya_day)
    assert not AgencyType.objects.get(code="LPMP").is_valid_on(lokakarya_day)
