"""Small builders for tests. Registrations are made through the real service."""

import contextlib
import datetime
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from freezegun import freeze_time

from core.timezones import in_zone
from events.models import EventSite, Province, Role, UserScope
from participants.models import Registration
from participants.services import PersonData, registration_create

_serial = itertools.count(1)


def valid_nik(
    *, province_code: str = "52", regency: str = "01", female: bool = False, serial: int | None = None
) -> str:
    """A NIK that passes every format rule: PP RR CC DDMMYY SSSS."""
    number = serial if serial is not None else next(_serial)
    day = 12 + (40 if female else 0)
    return f"{province_code}{regency}01{day:02d}0585{number % 10000 or 1:04d}"


def person_data(*, name: str | None = None, province_code: str = "52", **overrides) -> PersonData:
    number = next(_serial)
    values = {
        "full_name": name or f"Peserta Contoh {number}",
        "nik": valid_nik(province_code=province_code, serial=number),
        "province": Province.objects.get(code=province_code),
    }
    values.update(overrides)
    return PersonData(**values)


def register(
    site: EventSite,
    role_code: str = "CGP",
    *,
    source: str = Registration.Source.FORM,
    actor=None,
    **person,
) -> Registration:
    role = Role.objects.get(program=site.event.program, code=role_code)
    return registration_create(site=site, role=role, person_data=person_data(**person), source=source, actor=actor)


def ensure_groups() -> None:
    """Groups come from a data migration; a transactional test's flush removes them: put them back."""
    if not Group.objects.filter(name="Pejabat").exists():
        from django.apps import apps

        from events.groups import sync_groups

        sync_groups(apps)


def user_in(group_name: str, username: str | None = None, *, provinces=(), events=(), sites=(), organized=()):
    """A staff user of one group, with its scope (province codes, events, coordinated sites)."""
    ensure_groups()
    user = get_user_model().objects.create_user(
        username or f"{group_name.lower().replace(' ', '_')}_{next(_serial)}", password="pw-test-12345", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    if provinces or events:
        scope = UserScope.objects.create(user=user)
        scope.provinces.set(Province.objects.filter(code__in=provinces))
        scope.events.set(events)
    for site in sites:
        site.coordinators.add(user)
    for event in organized:
        event.organizers.add(user)
    return user


def attend(registration: Registration, session, *, minutes: int = 5, method: str = "qr"):
    """An attendance row straight through the ORM (the check-in service is another area's)."""
    import datetime as dt

    from attendance.models import Attendance

    return Attendance.objects.create(
        registration=registration,
        session=session,
        checked_in_at=session.starts_at + dt.timedelta(minutes=minutes),
        method=method,
    )


@contextlib.contextmanager
def at_noon_of_today(site):
    """The clock (still ticking) at noon of today in the site's zone. A session moved to today starts at its seed
    hour (08:00): between midnight and then, in the site's zone, it has not begun, and a check-in 17 minutes after
    its start would lie in the future. Tests of check-ins with times of their own run inside this."""
    today = in_zone(timezone.now(), site.time_zone).date()
    with freeze_time(datetime.datetime.combine(today, datetime.time(12), tzinfo=ZoneInfo(site.time_zone)), tick=True):
        yield


def sessions_from_today(site) -> None:
    """Move the site's sessions by whole days so that its first one is today (in the site's zone): the check-in
    rule (attendance.rules) takes check-ins at the door only on the session's day."""
    sessions = list(site.sessions.order_by("starts_at"))
    if not sessions:
        return
    today = in_zone(timezone.now(), site.time_zone).date()
    shift = datetime.timedelta(days=(today - in_zone(sessions[0].starts_at, site.time_zone).date()).days)
    for session in sessions:
        type(session).objects.filter(pk=session.pk).update(
            starts_at=session.starts_at + shift, ends_at=session.ends_at + shift
        )
