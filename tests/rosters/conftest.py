"""Builders for roster tests: Sekolah Penggerak schools and committees, made through the real services."""

import itertools

import pytest

from events import groups as G
from events.models import Regency, TrainingPhase, UserScope
from participants.models import Person, School
from rosters.models import Committee, SekolahPenggerak
from rosters.selectors import approval_chain
from rosters.services import MemberData, committee_approve, committee_save
from tests.factories import user_in, valid_nik

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


def approve_all(committee: Committee, *, actor=None, acknowledge: bool = False) -> Committee:
    """Approve a submitted committee at each level it still has to pass, in order, until it is validated (what a
    single 'validate' was before the approval levels). `actor=None` is the system, allowed at every level."""
    chain = approval_chain(committee.cohort.program_id)
    committee.refresh_from_db()
    while committee.status == Committee.Status.SUBMITTED:
        level = next(step for step in chain if step.order == committee.level)
        committee = committee_approve(committee=committee, actor=actor, level=level, acknowledge=acknowledge)
    return committee


def kab_verifikator(regency: str = "14.71", username: str | None = None):
    """A Verifikator of one kab/kota (its scope names the regency, not the province): acts at level 1."""
    user = user_in(G.VERIFIKATOR, username)
    scope, _created = UserScope.objects.get_or_create(user=user)
    scope.regencies.add(Regency.objects.get(code=regency))
    return user
