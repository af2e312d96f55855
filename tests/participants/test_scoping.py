from events.selectors import sites_registrable_by, sites_visible_to
from participants.selectors import registrations_visible_to
from tests.factories import register, user_in


def test_each_group_sees_its_scope(lokakarya, rakor, superuser):
    bima = lokakarya.sites.get(name="Kab. Bima")
    solo = rakor.sites.get(name="Regional Solo")
    ntb = register(bima, "CGP", province_code="52")
    riau = register(solo, "DINAS_PROV", province_code="14")

    verifikator_ntb = user_in("Verifikator", provinces=["52"])
    assert list(registrations_visible_to(verifikator_ntb)) == [ntb]
    assert set(sites_visible_to(verifikator_ntb)) == set(lokakarya.sites.all())

    koordinator = user_in("Koordinator site", sites=[bima])
    assert list(registrations_visible_to(koordinator)) == [ntb]
    assert list(sites_registrable_by(koordinator)) == [bima]

    panitia = user_in("Panitia", organized=[rakor])
    assert list(registrations_visible_to(panitia)) == [riau]
    assert set(sites_registrable_by(panitia)) == set(rakor.sites.all())

    pejabat = user_in("Pejabat", events=[rakor])
    assert list(registrations_visible_to(pejabat)) == [riau]
    assert sites_registrable_by(pejabat).count() == 0

    nobody = user_in("Operator Dinas", provinces=["14"])
    assert registrations_visible_to(nobody).count() == 0

    assert set(registrations_visible_to(superuser)) == {ntb, riau}


def test_registration_filter_search_and_scope(lokakarya, rakor):
    from participants.selectors import registration_list, status_counts

    bima = lokakarya.sites.get(name="Kab. Bima")
    mine = register(bima, "CGP", name="Lalu Ahmad Zaini, S.Pd.")
    register(bima, "PP", name="Baiq Sri")
    register(rakor.sites.get(name="Regional Kupang"), "LPMP", province_code="53")
    verifikator = user_in("Verifikator", provinces=["52"])
    listing = registration_list(user=verifikator, params={"q": "zaini"})
    assert list(listing.qs) == [mine]
    assert list(registration_list(user=verifikator, params={"q": mine.person.nik}).qs) == [mine]
    assert list(registration_list(user=verifikator, params={"q": mine.code.lower()}).qs) == [mine]
    everything = registration_list(user=verifikator, params={}).qs
    assert everything.count() == 2
    assert status_counts(everything)["submitted"] == 2
