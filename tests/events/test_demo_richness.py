"""The demo is something to look at (issue 14, item 11): every demo participant has an agency, civil
servants a NIP that passes every rule, the agencies of the seeds' regions exist with their renamings, each
demo login works and `load_demo` prints them all."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.identifiers import validate_nip
from events import groups as G
from events.demo import DEMO_PASSWORD, DEMO_REGIONS, DEMO_SCHOOLS
from events.models import Agency, Event, Regency
from events.outputs import agency_letterhead
from participants.models import Registration


def test_load_demo_gives_every_participant_an_agency_and_valid_nips(without_seed):
    out = StringIO()
    call_command("load_demo", stdout=out)
    registrations = list(Registration.objects.select_related("agency__type", "role", "event"))
    assert len(registrations) >= 30
    assert [r for r in registrations if r.agency is None] == []
    with_nip = [r for r in registrations if r.nip]
    assert len(with_nip) >= 20  # most are civil servants; a few honorer teachers have none
    assert [r.nip for r in with_nip if not validate_nip(r.nip).ok] == []
    # Instansi that fit the role: teachers at schools of their site's kab/kota, Dinas people at a Dinas.
    for registration in registrations:
        if registration.role.code in ("CGP", "PP", "KEPALA_SEKOLAH"):
            assert registration.agency.type.code == "SEKOLAH"
            assert registration.agency.regency.name.endswith(registration.site.name.removeprefix("Kab. "))
        if registration.role.code in ("DINAS_PROV", "DINAS_KABKOTA"):
            assert registration.agency.type.code == registration.role.code
            assert registration.agency.province_id == registration.province_id
    # The Rakor (May 2021) met LPMP and BP PAUD Dikmas under those names.
    for registration in registrations:
        if registration.role.code in ("LPMP", "BP_PAUD_DIKMAS"):
            assert registration.agency.type.code == registration.role.code
            assert registration.agency.is_valid_on(registration.event.start_date)

    # Every login printed, and each one logs in.
    printed = out.getvalue()
    usernames = ["admin", "panitia_ntb", "verifikator_ntb", "koordinator_bima", "pejabat_ntb"]
    usernames += ["operator_riau", "verifikator_riau"]
    for username in usernames:
        assert f"  {username} " in printed
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)
    pejabat = get_user_model().objects.get(username="pejabat_ntb")
    assert list(pejabat.groups.values_list("name", flat=True)) == [G.PEJABAT]
    assert pejabat.scope.events.filter(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022").exists()


def test_demo_agencies_cover_the_seed_regions_with_their_renamings(without_seed):
    call_command("load_demo", stdout=StringIO())
    for province_code, (_capital, regency_codes) in DEMO_REGIONS.items():
        assert Agency.objects.filter(type__code="DINAS_PROV", province__code=province_code).count() == 1
        for code in regency_codes:
            assert Agency.objects.filter(type__code="DINAS_KABKOTA", regency__code=code).count() == 1
        lpmp = Agency.objects.select_related("successor__type").get(type__code="LPMP", province__code=province_code)
        assert lpmp.successor.type.code == "BPMP"
        assert lpmp.successor.name == lpmp.name.replace("Lembaga", "Balai")
    for code, names in DEMO_SCHOOLS.items():
        regency = Regency.objects.get(code=code)
        assert sorted(Agency.objects.filter(type__code="SEKOLAH", regency=regency).values_list("name", flat=True)) == (
            sorted(names)
        )
    # The organizers: address, contact, a placeholder logo, and the agency each became.
    lokakarya = Event.objects.select_related("organizer__successor").get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    organizer = lokakarya.organizer
    assert organizer.address.startswith("Jl. ") and organizer.letterhead_contact
    assert organizer.successor.name == "Balai Guru dan Tenaga Kependidikan Provinsi Nusa Tenggara Barat"
    letterhead = agency_letterhead(organizer)
    assert letterhead.logo_path is not None
