"""Demo data of the registration area: staff logins, a practice event open for registration, and
a few dozen clearly fictitious registrations across the sites of both seed events.

Everything goes through the registration services and is idempotent: people are keyed by their
(fictitious) NIK, users by username, the practice event by its slug.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from events import groups as G
from events.models import Agency, Event, EventSite, Program, Province, Role, Session, UserScope, Venue
from participants.models import Person, Registration, identifier_q
from participants.services import (
    PersonData,
    RegistrationError,
    registration_create,
    registration_reject,
    registration_verify,
)

DEMO_PASSWORD = "psp-demo-2026"  # noqa: S105 - printed by load_demo, like the demo admin's
LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
RAKOR_SLUG = "rakor-persiapan-psp-2021"
PRACTICE_SLUG = "contoh-latihan-pendaftaran-fiktif"

# username, group, what the user may see
DEMO_USERS = [
    ("panitia_ntb", G.PANITIA, "Panitia Lokakarya 7 (BGP NTB)"),
    ("verifikator_ntb", G.VERIFIKATOR, "Verifikator, Provinsi Nusa Tenggara Barat (52)"),
    ("koordinator_bima", G.KOORDINATOR_SITE, "Koordinator site Kab. Bima"),
]

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


def _demo_user(username: str, group: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, f"{username}@example.invalid", DEMO_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def demo_users_load() -> dict:
    """The three demo staff logins of the registration area, with their scopes."""
    lokakarya = Event.objects.get(slug=LOKAKARYA_SLUG)
    users = {username: _demo_user(username, group) for username, group, _label in DEMO_USERS}
    lokakarya.organizers.add(users["panitia_ntb"])
    practice = Event.objects.filter(slug=PRACTICE_SLUG).first()
    if practice is not None:
        practice.organizers.add(users["panitia_ntb"])
    scope, _ = UserScope.objects.get_or_create(user=users["verifikator_ntb"])
    scope.provinces.add(Province.objects.get(code="52"))
    lokakarya.sites.get(name="Kab. Bima").coordinators.add(users["koordinator_bima"])
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


def _nik(province: str, number: int) -> str:
    female = number % 2 == 0
    day = 1 + number % 28 + (40 if female else 0)
    month = 1 + number % 12
    return f"{province}0101{day:02d}{month:02d}{80 + number % 15:02d}{9000 + number:04d}"


def _people(event: Event, plan: dict, first_number: int, agencies: dict):
    number = first_number
    for site in event.sites.all():
        provinces, roles = plan[site.name]
        for index, role_code in enumerate(roles):
            province = provinces[index % len(provinces)]
            name = f"{GIVEN[number % len(GIVEN)]} {FAMILY[number % len(FAMILY)]}"
            title = TITLES[number % len(TITLES)]
            yield (
                number,
                site,
                role_code,
                PersonData(
                    full_name=f"{name}, {title}" if title else name,
                    gender="P" if number % 2 == 0 else "L",
                    nik=_nik(province, number),
                    province=Province.objects.get(code=province),
                    position="Guru" if role_code in ("CGP", "PP") else role_code.replace("_", " ").title(),
                    agency=agencies.get(role_code),
                    phone=f"+62812{3000000 + number:07d}",
                ),
            )
            number += 1


@transaction.atomic
def registrations_load(*, verifier) -> int:
    """Fictitious registrations in both seed events: submitted, verified and rejected ones."""
    created = 0
    agencies = {"DINAS_PROV": Agency.objects.filter(type__code="DINAS_PROV").first()}
    for slug, plan, first in ((LOKAKARYA_SLUG, LOKAKARYA_PEOPLE, 1), (RAKOR_SLUG, RAKOR_PEOPLE, 101)):
        event = Event.objects.get(slug=slug)
        if Registration.objects.filter(event=event).exists():
            continue  # an event with registrations (the demo's or real ones) is never added to nor changed
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


def load() -> None:
    """Idempotent."""
    practice_event_load()
    users = demo_users_load()
    registrations_load(verifier=users["verifikator_ntb"])
