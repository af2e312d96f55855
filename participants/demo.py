"""Demo data of the registration area: staff logins, a practice event open for registration, and
a few dozen clearly fictitious registrations across the sites of both seed events, each with an agency
(school, Dinas, LPMP…) and, for civil servants, a NIP that passes every rule.

Everything goes through the registration services and is idempotent: people are keyed by their
(fictitious) NIK, users by username, the practice event by its slug.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from events import groups as G
from events.demo import demo_agencies_load, demo_user
from events.models import Event, EventSite, Program, Province, Role, Session, UserScope, Venue
from participants.models import Person, Registration, identifier_q
from participants.services import (
    PersonData,
    RegistrationError,
    registration_create,
    registration_reject,
    registration_verify,
)

LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
RAKOR_SLUG = "rakor-persiapan-psp-2021"
PRACTICE_SLUG = "contoh-latihan-pendaftaran-fiktif"

# username, group, what the user may see (load_demo prints these)
DEMO_USERS = [
    ("panitia_ntb", G.PANITIA, "Panitia Lokakarya 7 (BGP NTB) and the practice event"),
    ("verifikator_ntb", G.VERIFIKATOR, "Verifikator, Provinsi Nusa Tenggara Barat (52)"),
    ("koordinator_bima", G.KOORDINATOR_SITE, "Koordinator site Kab. Bima"),
    ("pejabat_ntb", G.PEJABAT, "Pejabat (read only): Lokakarya 7 and Provinsi Nusa Tenggara Barat"),
]
LOGINS = [(username, label) for username, _group, label in DEMO_USERS]

GIVEN = ["Ahmad", "Baiq", "Lalu", "Siti", "Muhammad", "Nurul", "Dewi", "Agus", "Rina", "Yusuf", "Fitri", "Hendra"]
FAMILY = ["Contoh", "Fiktif", "Percobaan", "Peragaan"]
TITLES = ["", "S.Pd.", "S.Pd., M.Pd.", "S.Ag."]

# site name → (province codes of the people, role codes)
LOKAKARYA_PEOPLE = {
    "Kab. Lombok Utara": (["52"], ["CGP", "CGP", "CGP", "PP", "KEPALA_SEKOLAH", "PENGAWAS_SEKOLAH"]),
    "Kab. Lombok Timur": (["52"], ["CGP", "CGP", "CGP", "CGP", "PP", "KEPALA_SEKOLAH", "LAINNYA"]),
    "Kab. Bima": (["52"], ["CGP", "CGP", "CGP", "PP", "KEPALA_SEKOLAH", "PENGAWAS_SEKOLAH"]),
}
RAKOR_PEOPLE = {
    "Regional Solo": (["19", "21", "18", "14"], ["LPMP", "DINAS_PROV", "DINAS_KABKOTA", "DINAS_KABKOTA"]),
    "Regional Maluku": (["81", "82"], ["LPMP", "BP_PAUD_DIKMAS", "DINAS_PROV", "DINAS_KABKOTA"]),
    "Regional Kupang": (["53"], ["LPMP", "DINAS_PROV", "DINAS_KABKOTA", "DINAS_KABKOTA"]),
}
REJECTION_REASON = "Contoh: NIP tidak sesuai dengan SK; mohon perbaiki data."


def demo_users_load() -> dict:
    """The demo staff logins of the registration area, with their scopes."""
    lokakarya = Event.objects.get(slug=LOKAKARYA_SLUG)
    users = {username: demo_user(username, group) for username, group, _label in DEMO_USERS}
    lokakarya.organizers.add(users["panitia_ntb"])
    practice = Event.objects.filter(slug=PRACTICE_SLUG).first()
    if practice is not None:
        practice.organizers.add(users["panitia_ntb"])
    scope, _ = UserScope.objects.get_or_create(user=users["verifikator_ntb"])
    scope.provinces.add(Province.objects.get(code="52"))
    lokakarya.sites.get(name="Kab. Bima").coordinators.add(users["koordinator_bima"])
    scope, _ = UserScope.objects.get_or_create(user=users["pejabat_ntb"])
    scope.provinces.add(Province.objects.get(code="52"))
    scope.events.add(lokakarya)
    return users


def practice_event_load() -> Event:
    """A clearly fictitious upcoming event whose registration is open, so the public form can be tried."""
    lokakarya = Event.objects.select_related("organizer", "cohort").get(slug=LOKAKARYA_SLUG)
    now = timezone.now()
    start = (now + dt.timedelta(days=70)).date()
    event, created = Event.objects.get_or_create(
        slug=PRACTICE_SLUG,
        defaults={
            "program": Program.objects.get(code="PPGP"),
            "title": "Contoh: Lokakarya Latihan Pendaftaran (fiktif)",
            "kind": Event.Kind.LOKAKARYA,
            "organizer": lokakarya.organizer,
            "start_date": start,
            "end_date": start,
            "registration_opens_at": now - dt.timedelta(days=1),
            "registration_closes_at": now + dt.timedelta(days=60),
            "retention_until": start.replace(year=start.year + 1),
            "status": Event.Status.PUBLISHED,
            "description": "Kegiatan fiktif untuk mencoba formulir pendaftaran publik. Bukan kegiatan sungguhan.",
        },
    )
    if not created:
        return event  # made by an earlier run: the organizers may have changed it since; left as it is
    venue = Venue.objects.get(name="SMPN 3 Woha")
    site, _ = EventSite.objects.get_or_create(
        event=event,
        name="Latihan Kab. Bima",
        defaults={"venue": venue, "start_date": event.start_date, "end_date": event.end_date, "order": 1},
    )
    site.provinces_served.set(Province.objects.filter(code="52"))
    if created:
        zone = dt.timezone(dt.timedelta(hours=8))  # WITA, like the venue
        Session.objects.get_or_create(
            site=site,
            name="Hari 1",
            defaults={
                "starts_at": dt.datetime.combine(event.start_date, dt.time(8), tzinfo=zone),
                "ends_at": dt.datetime.combine(event.start_date, dt.time(16), tzinfo=zone),
            },
        )
    return event


# The kab/kota each demo person of a Lokakarya site works in (the site's own), and of a Rakor province.
SITE_REGENCY = {"Kab. Lombok Utara": "52.08", "Kab. Lombok Timur": "52.03", "Kab. Bima": "52.06"}
POSITIONS = {
    "CGP": "Guru",
    "PP": "Guru",
    "KEPALA_SEKOLAH": "Kepala Sekolah",
    "PENGAWAS_SEKOLAH": "Pengawas Sekolah",
    "LAINNYA": "Operator Sekolah",
    "LPMP": "Widyaprada Ahli Muda",
    "BP_PAUD_DIKMAS": "Pamong Belajar Ahli Madya",
    "DINAS_PROV": "Kepala Bidang Pembinaan SMA",
    "DINAS_KABKOTA": "Kepala Bidang Pembinaan SD",
}


def _birth(number: int) -> tuple[int, int, int, bool]:
    """Day, month, year and gender (female?) of demo person `number`: the NIK and the NIP agree."""
    return 1 + number % 28, 1 + number % 12, 1980 + number % 15, number % 2 == 0


def _nik(province: str, number: int) -> str:
    day, month, year, female = _birth(number)
    return f"{province}0101{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{9000 + number:04d}"


def _nip(number: int) -> str:
    """A PNS NIP (birth date, appointment 25 years later in March, gender digit, serial); every fifth
    person is not a civil servant (honorer) and has none."""
    if number % 5 == 0:
        return ""
    day, month, year, female = _birth(number)
    return f"{year}{month:02d}{day:02d}{year + 25}03{2 if female else 1}{number % 1000 or 1:03d}"


def _agency_of(role_code: str, province: str, regency: str | None, number: int, agencies: dict):
    """Where demo person `number` works: a school of the site's kab/kota, its Dinas, the province's LPMP…"""
    if role_code in ("CGP", "PP", "KEPALA_SEKOLAH", "LAINNYA") and regency in agencies["schools"]:
        schools = agencies["schools"][regency]
        return schools[number % len(schools)]
    if role_code == "PENGAWAS_SEKOLAH" and regency:
        return agencies["dinas_kab"].get(regency)
    if role_code == "DINAS_KABKOTA":
        regencies = [code for code in agencies["dinas_kab"] if code.startswith(f"{province}.")]
        return agencies["dinas_kab"][regencies[number % len(regencies)]] if regencies else None
    by_province = {"DINAS_PROV": "dinas_prov", "LPMP": "lpmp", "BP_PAUD_DIKMAS": "bp_paud_dikmas"}
    return agencies.get(by_province.get(role_code), {}).get(province)


def _people(event: Event, plan: dict, first_number: int, agencies: dict):
    number = first_number
    for site in event.sites.all():
        provinces, roles = plan[site.name]
        for index, role_code in enumerate(roles):
            province = provinces[index % len(provinces)]
            name = f"{GIVEN[number % len(GIVEN)]} {FAMILY[number % len(FAMILY)]}"
            title = TITLES[number % len(TITLES)]
            regency = SITE_REGENCY.get(site.name)
            yield (
                number,
                site,
                role_code,
                PersonData(
                    full_name=f"{name}, {title}" if title else name,
                    gender="P" if number % 2 == 0 else "L",
                    nik=_nik(province, number),
                    nip=_nip(number),
                    province=Province.objects.get(code=province),
                    position=POSITIONS.get(role_code, ""),
                    agency=_agency_of(role_code, province, regency, number, agencies),
                    phone=f"+62812{3000000 + number:07d}",
                ),
            )
            number += 1


@transaction.atomic
def registrations_load(*, verifier) -> int:
    """Fictitious registrations in both seed events: submitted, verified and rejected ones."""
    created = 0
    plans = ((LOKAKARYA_SLUG, LOKAKARYA_PEOPLE, 1), (RAKOR_SLUG, RAKOR_PEOPLE, 101))
    # An event with registrations (the demo's or real ones) is never added to nor changed.
    empty = [(Event.objects.get(slug=slug), plan, first) for slug, plan, first in plans]
    empty = [(event, plan, first) for event, plan, first in empty if not event.registrations.exists()]
    if not empty:
        return 0
    agencies = demo_agencies_load()
    for event, plan, first in empty:
        for number, site, role_code, data in _people(event, plan, first, agencies):
            if Person.objects.filter(identifier_q("nik", data.nik), registrations__event=event).exists():
                continue
            role = Role.objects.get(program=event.program_id, code=role_code)
            source = Registration.Source.SELF if number % 3 else Registration.Source.FORM
            try:
                registration = registration_create(site=site, role=role, person_data=data, source=source)
            except RegistrationError:
                continue
            created += 1
            if number % 4 == 1:
                registration_verify(registration=registration, actor=verifier)
            elif number % 7 == 3:
                registration_reject(registration=registration, actor=verifier, reason=REJECTION_REASON)
    return created


# One person across both seed programs (issue 17): a school supervisor of Kota Kupang met at the Rakor (PSP,
# 2021) for the Dinas Pendidikan Kota Kupang, who sits on the Komite Pembelajaran of SD Inpres Contoh Oesapa Kupang
# (the roster demo's supervisor of that school: the same NIK and name, so the roster links this very record), and
# who came to Lokakarya 7 (PPGP, 2022) as a Pengawas Sekolah in Kab. Bima. The check-in demo records both visits.
HISTORY_PERSON = {"full_name": "Pengawas Contoh 08, M.Pd.", "nik": "5371011507860088", "gender": "L"}
# A likely duplicate for Admin pusat: one teacher recorded twice, her NIK typed with the last two digits swapped
# the second time (at the practice event), the same birth date.
DUPLICATE_PERSON = {"full_name": "Baiq Ganda Contoh, S.Pd.", "gender": "P", "birth_date": dt.date(1988, 3, 12)}
DUPLICATE_NIKS = ("5208015203887312", "5208015203887321")


def _register_once(*, event: Event, site_name: str, role_code: str, data: PersonData, verifier=None) -> None:
    """Register `data` at the site unless that NIK is registered for the event already (idempotent)."""
    if Person.objects.filter(identifier_q("nik", data.nik), registrations__event=event).exists():
        return
    site = event.sites.get(name=site_name)
    role = Role.objects.get(program=event.program_id, code=role_code)
    registration = registration_create(site=site, role=role, person_data=data, source=Registration.Source.FORM)
    if verifier is not None:
        registration_verify(registration=registration, actor=verifier)


@transaction.atomic
def history_and_duplicates_load(*, verifier) -> None:
    """The person with a history across both seed programs, and one likely-duplicate pair (see above)."""
    agencies = demo_agencies_load()
    rakor, lokakarya = Event.objects.get(slug=RAKOR_SLUG), Event.objects.get(slug=LOKAKARYA_SLUG)
    kupang, ntb = Province.objects.get(code="53"), Province.objects.get(code="52")
    _register_once(
        event=rakor,
        site_name="Regional Kupang",
        role_code="DINAS_KABKOTA",
        data=PersonData(
            **HISTORY_PERSON, position="Pengawas Sekolah", province=kupang, agency=agencies["dinas_kab"]["53.71"]
        ),
        verifier=verifier,
    )
    _register_once(
        event=lokakarya,
        site_name="Kab. Bima",
        role_code="PENGAWAS_SEKOLAH",
        data=PersonData(
            **HISTORY_PERSON, position="Pengawas Sekolah", province=ntb, agency=agencies["dinas_kab"]["52.06"]
        ),
        verifier=verifier,
    )
    practice = Event.objects.filter(slug=PRACTICE_SLUG).first()
    for event, site_name, role_code, nik, regency in (
        (lokakarya, "Kab. Lombok Utara", "CGP", DUPLICATE_NIKS[0], "52.08"),
        (practice, "Latihan Kab. Bima", "LAINNYA", DUPLICATE_NIKS[1], "52.06"),
    ):
        if event is None or not event.sites.filter(name=site_name).exists():
            continue
        data = PersonData(
            **DUPLICATE_PERSON, nik=nik, position="Guru", province=ntb, agency=agencies["schools"][regency][0]
        )
        _register_once(event=event, site_name=site_name, role_code=role_code, data=data)


def load() -> None:
    """Idempotent."""
    practice_event_load()
    users = demo_users_load()
    registrations_load(verifier=users["verifikator_ntb"])
    history_and_duplicates_load(verifier=users["verifikator_ntb"])
