"""Builders for roster tests: Sekolah Penggerak schools and committees, made through the real services."""

import itertools

import pytest

from events.models import Regency, TrainingPhase
from participants.models import Person, School
from rosters.models import SekolahPenggerak
from rosters.services import MemberData, committee_save
from tests.factories import valid_nik

_serial = itertools.count(100)


@pytest.fixture
def cohort(rakor):
    return rakor.cohort


@pytest.fixture
def phases(cohort):
    return [
        TrainingPhase.objects.create(cohort=cohort, number=1, capacity=3, mode="luring"),
        TrainingPhase.objects.create(cohort=cohort, number=2, capacity=3, mode="daring"),
    ]


def make_school(*, level="SD", regency="14.71", npsn=None, name=None) -> School:
    number = next(_serial)
    return School.objects.create(
        npsn=npsn or f"{10000000 + number}",
        name=name or f"SD Negeri Contoh {number}",
        level=level,
        regency=Regency.objects.get(code=regency),
    )


def nik_for(regency: str, serial: int | None = None) -> str:
    province, code = regency.split(".")
    return valid_nik(province_code=province, regency=code, serial=serial if serial is not None else next(_serial))


def make_penggerak(cohort, *, level="SD", regency="14.71", principal_name=None) -> tuple[School, Person]:
    school = make_school(level=level, regency=regency)
    principal = Person.objects.create(full_name=principal_name or f"Kepala Contoh {school.npsn}", nik=nik_for(regency))
    SekolahPenggerak.objects.create(school=school, cohort=cohort, principal=principal)
    return school, principal


def sd_members(principal: Person, regency="14.71") -> list[MemberData]:
    """A committee of an SD that passes every rule."""
    return [
        MemberData(full_name=principal.full_name, position="kepala_sekolah", nik=principal.nik),
        MemberData(
            full_name=f"Guru Satu {next(_serial)}", position="guru", class_taught="Kelas 1", nik=nik_for(regency)
        ),
        MemberData(
            full_name=f"Guru Empat {next(_serial)}", position="guru", class_taught="Kelas 4", nik=nik_for(regency)
        ),
        MemberData(full_name=f"Pengawas {next(_serial)}", position="pengawas", nik=nik_for(regency)),
    ]


def good_committee(cohort, *, regency="14.71", actor=None, submit=False):
    school, principal = make_penggerak(cohort, regency=regency)
    return committee_save(
        school=school, cohort=cohort, members=sd_members(principal, regency), actor=actor, submit=submit
    )
