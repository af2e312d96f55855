from events.models import Province, Regency
from events.services.regions import regions_load


def test_38_provinces_and_514_regencies(regions):
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert set(Province.objects.filter(code__in=["93", "94", "95", "96"]).values_list("name", flat=True)) == {
        "Papua Selatan",
        "Papua Tengah",
        "Papua Pegunungan",
        "Papua Barat Daya",
    }


def test_every_regency_code_starts_with_its_province_code(regions):
    for code, province_code in Regency.objects.values_list("code", "province__code"):
        assert code.startswith(province_code + "."), code
        number = int(code.split(".")[1])
        assert 1 <= number <= 69 or 71 <= number <= 99, code


def test_kabupaten_and_kota_follow_their_numbers(regions):
    assert Regency.objects.get(code="52.08").name == "Kabupaten Lombok Utara"
    assert Regency.objects.get(code="52.08").kind == Regency.Kind.KABUPATEN
    assert Regency.objects.get(code="53.71").kind == Regency.Kind.KOTA
    assert Regency.objects.filter(kind=Regency.Kind.KOTA).count() == 98


def test_province_zones(regions):
    zones = dict(Province.objects.values_list("code", "time_zone"))
    assert zones["33"] == "Asia/Jakarta"
    assert zones["61"] == zones["62"] == "Asia/Pontianak"
    assert zones["73"] == zones["53"] == zones["52"] == "Asia/Makassar"
    assert zones["81"] == zones["82"] == zones["94"] == "Asia/Jayapura"
    assert Province.objects.get(code="81").zone_label == "WIT"
    assert Province.objects.get(code="61").zone_label == "WIB"


def test_loading_twice_changes_nothing(regions):
    before = list(Regency.objects.order_by("code").values_list("id", "code", "name", "province_id", "kind"))
    assert regions_load() == (38, 514)
    after = list(Regency.objects.order_by("code").values_list("id", "code", "name", "province_id", "kind"))
    assert before == after
