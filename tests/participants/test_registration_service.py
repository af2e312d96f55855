import pytest
from django.core import mail

from core.models import AuditEntry
from events.models import Role, SiteQuota
from participants.models import Person, Registration
from participants.services import (
    RegistrationError,
    comparable_name,
    registration_create,
    registration_reject,
    registration_resubmit,
    registration_transition,
    registration_verify,
    registrations_verify_many,
)
from tests.factories import person_data, register, user_in, valid_nik

Status = Registration.Status


def test_create_writes_person_registration_and_audit(bima, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(bima, "CGP", name="Baiq Nurul Aini, S.Pd.", email="baiq@example.invalid")
    assert registration.status == Status.SUBMITTED
    assert registration.event_id == bima.event_id
    assert len(registration.code) == 10
    assert Person.objects.get().full_name == "Baiq Nurul Aini, S.Pd."
    entry = AuditEntry.objects.get(action="registration.created")
    assert entry.object_id == str(registration.pk) and entry.to_state == "submitted"
    assert len(mail.outbox) == 1 and registration.code in mail.outbox[0].body


def test_same_person_twice_in_one_event_is_refused_with_site_and_status(bima, sikur, lokakarya):
    nik = valid_nik(serial=4242)
    register(bima, "CGP", name="Ahmad", nik=nik)
    # The organizer of the event sees the other registration: told where and how it stands.
    panitia = user_in("Panitia", organized=[lokakarya])
    with pytest.raises(RegistrationError) as error:
        register(sikur, "PP", name="Ahmad", nik=nik, actor=panitia)
    assert error.value.code == "duplicate"
    assert "Kab. Bima" in str(error.value.message) and "Diajukan" in str(error.value.message)
    # The koordinator of another site does not: refused without the site or the status.
    koordinator = user_in("Koordinator site", sites=[sikur])
    with pytest.raises(RegistrationError) as error:
        register(sikur, "PP", name="Ahmad", nik=nik, actor=koordinator)
    assert error.value.code == "duplicate"
    assert "Kab. Bima" not in str(error.value.message) and "Diajukan" not in str(error.value.message)
    assert Registration.objects.count() == 1


def test_same_identifier_under_another_name_is_a_finding_not_a_merge(bima, rakor):
    nik = valid_nik(serial=4343)
    register(bima, "CGP", name="Dr. Siti Aminah, M.Pd.", nik=nik)
    solo = rakor.sites.get(name="Regional Solo")
    # The same person, with titles written differently, in another event: reused.
    second = register(solo, "DINAS_PROV", name="siti aminah", nik=nik, province_code="14")
    assert second.person_id == Registration.objects.first().person_id
    with pytest.raises(RegistrationError) as error:
        register(rakor.sites.get(name="Regional Kupang"), "LPMP", name="Budi Santoso", nik=nik, province_code="53")
    assert error.value.code == "identifier_under_other_name"
    assert Person.objects.count() == 1


def test_at_least_one_identifier_is_required(bima):
    role = Role.objects.get(program=bima.event.program, code="CGP")
    with pytest.raises(RegistrationError) as error:
        registration_create(site=bima, role=role, person_data=person_data(nik=""), source="form")
    assert error.value.code == "identifier_missing"


def test_closed_quota_refuses_the_seat_after_the_target(bima):
    quota = SiteQuota.objects.get(site=bima, role__code="PENGAWAS_SEKOLAH")
    quota.close_when_full = True
    quota.save()
    for _ in range(5):
        register(bima, "PENGAWAS_SEKOLAH")
    with pytest.raises(RegistrationError) as error:
        register(bima, "PENGAWAS_SEKOLAH")
    assert error.value.code == "quota_full"
    assert "5" in str(error.value.message)
    assert Registration.objects.filter(site=bima, role__code="PENGAWAS_SEKOLAH").count() == 5


def test_workflow_transitions_and_audit(bima):
    verifikator = user_in("Verifikator", provinces=["52"])
    registration = register(bima)
    with pytest.raises(RegistrationError) as error:
        registration_reject(registration=registration, actor=verifikator, reason="  ")
    assert error.value.code == "reason_required"
    registration_reject(registration=registration, actor=verifikator, reason="NIK tidak sesuai KTP")
    assert registration.status == Status.REJECTED
    assert registration.rejection_reason == "NIK tidak sesuai KTP"
    with pytest.raises(RegistrationError) as error:
        registration_verify(registration=registration, actor=verifikator)
    assert error.value.code == "transition_forbidden"
    registration_resubmit(registration=registration, actor=None)
    registration_verify(registration=registration, actor=verifikator)
    assert registration.status == Status.VERIFIED and registration.decided_by == verifikator
    registration_transition(registration=registration, to_status=Status.WITHDRAWN, actor=verifikator)
    with pytest.raises(RegistrationError):
        registration_resubmit(registration=registration, actor=verifikator)
    trail = list(
        AuditEntry.objects.filter(object_id=str(registration.pk)).order_by("id").values_list("from_state", "to_state")
    )
    assert trail == [
        ("", "submitted"),
        ("submitted", "rejected"),
        ("rejected", "submitted"),
        ("submitted", "verified"),
        ("verified", "withdrawn"),
    ]
    assert AuditEntry.objects.get(to_state="rejected").reason == "NIK tidak sesuai KTP"


def test_withdrawn_registration_frees_the_person_for_a_new_one(bima, sikur):
    nik = valid_nik(serial=4545)
    first = register(bima, name="Ahmad", nik=nik)
    registration_transition(registration=first, to_status=Status.WITHDRAWN, actor=None)
    second = register(sikur, name="Ahmad", nik=nik)
    assert second.person_id == first.person_id


def test_verify_many(bima):
    verifikator = user_in("Verifikator", provinces=["52"])
    registrations = [register(bima) for _ in range(3)]
    registration_reject(registration=registrations[0], actor=verifikator, reason="x")
    done, refused = registrations_verify_many(registrations=Registration.objects.all(), actor=verifikator)
    assert (done, refused) == (2, [])
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["rejected", "verified", "verified"]


def test_role_of_another_program_is_refused(bima):
    role = Role.objects.exclude(program=bima.event.program).first()
    with pytest.raises(RegistrationError) as error:
        registration_create(site=bima, role=role, person_data=person_data(), source="form")
    assert error.value.code == "role_not_in_program"


def test_comparable_name_drops_titles():
    assert comparable_name("Dr. Siti Aminah, M.Pd.") == "siti aminah"
    assert comparable_name("Drs. H. Lalu Muhammad Amin, S.Pd., M.Si.") == "lalu muhammad amin"
