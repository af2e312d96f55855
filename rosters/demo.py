"""Demo data of the roster area: fictitious Sekolah Penggerak of PSP Angkatan 1 in the 7 provinces of the
Rapat Koordinasi, their Komite Pembelajaran in every state (a few with findings), Tahap 1 and 2, and the
demo users of the approval chain (kab/kota → province → centre). In Riau a committee waits at each level (one
after a return to the level below); the other provinces' decisions are made by the demo's Admin pusat.
Every name is invented; the NIKs only pass the format rules.

Everything goes through the roster services, and `load()` can run any number of times.
"""

import datetime as dt

from core.fields import identifier_hash
from events import groups as G
from events.demo import demo_user
from events.models import Cohort, Province, Regency, TrainingPhase, UserScope
from participants.models import Person, School
from rosters.models import Committee, SekolahPenggerak
from rosters.selectors import approval_chain
from rosters.services import (
    MemberData,
    committee_approve,
    committee_return,
    committee_save,
    tahap_assign,
)

LOGINS = [
    ("operator_riau", "Operator Dinas, Provinsi Riau (14): fills in Komite Pembelajaran rosters"),
    ("verifikator_kampar", "Verifikator, Kab. Kampar (14.01): approves its rosters at level 1 (Kabupaten/Kota)"),
    ("verifikator_pekanbaru", "Verifikator, Kota Pekanbaru (14.71): approves its rosters at level 1"),
    ("verifikator_riau", "Verifikator, Provinsi Riau (14): approves the rosters at level 2, assigns Tahap"),
    ("pusat_psp", "Admin pusat (Direktorat): approves the rosters at level 3 (Pusat), validating them"),
]

RETURN_REASON = "Nama guru kelas 4 tidak sesuai data Dapodik."
BACK_TO_KAB_KOTA = "SK penetapan Komite Pembelajaran belum diunggah; mohon dicek kembali di kab/kota."

# npsn, name, level, regency, final status (or "level N": submitted, waiting at level N), tahap, problem
SCHOOLS = [
    ("69900001", "SD Negeri Contoh 1 Pekanbaru", "SD", "14.71", "validated", 1, ""),
    ("69900002", "SD Negeri Contoh 2 Kampar", "SD", "14.01", "level 1", None, "warning"),
    ("69900003", "SMP Negeri Contoh 1 Pekanbaru", "SMP", "14.71", "level 1", None, "error"),
    ("69900021", "SD Negeri Contoh 4 Kampar", "SD", "14.01", "level 2", None, ""),
    ("69900022", "SMP Negeri Contoh 2 Kampar", "SMP", "14.01", "level 3", None, ""),
    ("69900023", "SD Negeri Contoh 5 Pekanbaru", "SD", "14.71", "level 2", None, "returned once"),
    ("69900004", "TK Contoh Bunga Bangsa Bandar Lampung", "PAUD", "18.71", "validated", 1, ""),
    ("69900005", "SD Negeri Contoh 3 Lampung Selatan", "SD", "18.01", "returned", None, ""),
    ("69900006", "SMA Negeri Contoh 1 Pangkal Pinang", "SMA", "19.71", "validated", 2, ""),
    ("69900007", "SMK Negeri Contoh 1 Batam", "SMK", "21.71", "draft", None, ""),
    ("69900008", "SD Inpres Contoh Oesapa Kupang", "SD", "53.71", "validated", None, ""),
    ("69900009", "SMP Negeri Contoh 2 Ambon", "SMP", "81.71", "validated", 2, ""),
    ("69900010", "SLB Negeri Contoh Ternate", "SLB", "82.71", "level 2", None, ""),
]

ENTRY_CLASS = {"PAUD": ["TK B"], "SD": ["Kelas 1", "Kelas 4"], "SMP": ["Kelas 7"], "SMA": ["Kelas 10"]}
ENTRY_CLASS.update({"SMK": ["Kelas 10"], "SLB": ["Kelas 1"]})


def _nik(regency: str, serial: int, female: bool = False) -> str:
    province, code = regency.split(".")
    day = 15 + (40 if female else 0)
    return f"{province}{code}01{day:02d}0786{serial:04d}"


def _members(npsn: str, level: str, regency: str, principal: Person, problem: str) -> list[MemberData]:
    serial = int(npsn[-2:]) * 10
    members = [MemberData(full_name=principal.full_name, position="kepala_sekolah", nik=principal.nik)]
    for offset, class_taught in enumerate(ENTRY_CLASS[level], start=1):
        if problem == "warning" and class_taught == "Kelas 4":
            class_taught = "Kelas 5"
        members.append(
            MemberData(
                full_name=f"Guru Contoh {npsn[-2:]}-{offset}, S.Pd.",
                position="guru",
                class_taught=class_taught,
                nik=_nik(regency, serial + offset, female=offset % 2 == 1),
            )
        )
    if problem != "error":
        supervisor = "penilik" if level == "PAUD" else "pengawas"
        members.append(
            MemberData(
                full_name=f"Pengawas Contoh {npsn[-2:]}, M.Pd.", position=supervisor, nik=_nik(regency, serial + 8)
            )
        )
    members.append(
        MemberData(full_name=f"Cadangan Contoh {npsn[-2:]}", position="cadangan", nik=_nik(regency, serial + 9))
    )
    return members


def _user(username: str, group: str, province_code: str = "", regency_code: str = ""):
    user = demo_user(username, group)
    if province_code or regency_code:
        scope, _created = UserScope.objects.get_or_create(user=user)
        if province_code:
            scope.provinces.add(Province.objects.get(code=province_code))
        if regency_code:
            scope.regencies.add(Regency.objects.get(code=regency_code))
    return user


def _decide(committee: Committee, *, target: str, deciders: dict, problem: str) -> Committee:
    """Take a submitted committee through the approval chain until it is `target` ("validated", "returned" or
    "level N"), each level decided by its demo user (Admin pusat where the region has none)."""
    chain = approval_chain(committee.cohort.program_id)
    goal = int(target.split()[1]) if target.startswith("level") else len(chain) + 1
    if target == "returned":
        first = chain[0]
        return committee_return(committee=committee, actor=deciders.get(first.order), level=first, reason=RETURN_REASON)
    returned_once = False
    while committee.status == Committee.Status.SUBMITTED and committee.level < goal:
        level = next(step for step in chain if step.order == committee.level)
        committee = committee_approve(
            committee=committee, actor=deciders.get(level.order), level=level, acknowledge=True
        )
        if problem == "returned once" and not returned_once and committee.level == 2:
            returned_once = True
            committee = committee_return(
                committee=committee, actor=deciders.get(2), level=2, reason=BACK_TO_KAB_KOTA, to="previous"
            )
    return committee


def load() -> None:
    """Idempotent."""
    cohort = Cohort.objects.filter(program__code="PSP", number=1).first()
    if cohort is None:
        return
    # The logins first: a database made before the approval levels gets those of each level too.
    operator = _user("operator_riau", G.OPERATOR_DINAS, "14")
    verifikator = _user("verifikator_riau", G.VERIFIKATOR, "14")
    pusat = _user("pusat_psp", G.ADMIN_PUSAT)
    kab_kota = {
        "14.01": _user("verifikator_kampar", G.VERIFIKATOR, regency_code="14.01"),
        "14.71": _user("verifikator_pekanbaru", G.VERIFIKATOR, regency_code="14.71"),
    }
    if Committee.objects.filter(cohort=cohort).exists():
        return  # committees exist (the demo's or real ones): a later run adds and changes nothing
    phases = {}
    for number, mode, start, capacity in ((1, "luring", dt.date(2021, 7, 5), 6), (2, "daring", dt.date(2021, 8, 9), 6)):
        phases[number], _created = TrainingPhase.objects.get_or_create(
            cohort=cohort,
            number=number,
            defaults={
                "mode": mode,
                "start_date": start,
                "end_date": start + dt.timedelta(days=9),
                "capacity": capacity,
            },
        )
    for npsn, name, level, regency_code, status, tahap, problem in SCHOOLS:
        school, _created = School.objects.get_or_create(
            npsn=npsn, defaults={"name": name, "level": level, "regency": Regency.objects.get(code=regency_code)}
        )
        principal_nik = _nik(regency_code, int(npsn[-2:]) * 10)
        principal, _created = Person.objects.get_or_create(
            nik_hash=identifier_hash(principal_nik, kind="nik"),  # NIK is encrypted: found by its hash
            defaults={"nik": principal_nik, "full_name": f"Kepala Sekolah Contoh {npsn[-2:]}, M.Pd.", "school": school},
        )
        SekolahPenggerak.objects.get_or_create(school=school, cohort=cohort, defaults={"principal": principal})
        committee = Committee.objects.filter(school=school, cohort=cohort).first()
        if committee is None:
            committee = committee_save(
                school=school,
                cohort=cohort,
                members=_members(npsn, level, regency_code, principal, problem),
                actor=operator,
                submit=status != "draft",
            )
        if committee.status == Committee.Status.SUBMITTED and status != "draft":
            if regency_code in kab_kota:
                deciders = {1: kab_kota[regency_code], 2: verifikator, 3: pusat}
            else:
                deciders = {1: pusat, 2: pusat, 3: pusat}
            committee = _decide(committee, target=status, deciders=deciders, problem=problem)
        if tahap and committee.status == "validated" and committee.phase_id is None:
            tahap_assign(committee=committee, phase=phases[tahap], actor=verifikator)
