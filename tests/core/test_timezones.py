import datetime as dt

from django.utils import translation

from core.timezones import format_date_indonesian, format_datetime_in_zone, zone_label

UTC_MIDNIGHT = dt.datetime(2021, 5, 20, 0, 0, tzinfo=dt.UTC)


def test_same_instant_in_each_zone_with_its_label():
    with translation.override("id"):
        assert format_datetime_in_zone(UTC_MIDNIGHT, "Asia/Jakarta") == "Kamis, 20 Mei 2021 07.00 WIB"
        assert format_datetime_in_zone(UTC_MIDNIGHT, "Asia/Makassar") == "Kamis, 20 Mei 2021 08.00 WITA"
        assert format_datetime_in_zone(UTC_MIDNIGHT, "Asia/Jayapura") == "Kamis, 20 Mei 2021 09.00 WIT"
        assert format_datetime_in_zone(UTC_MIDNIGHT, "Asia/Pontianak") == "Kamis, 20 Mei 2021 07.00 WIB"


def test_official_dates_are_indonesian_whatever_the_language():
    with translation.override("en"):
        assert format_date_indonesian(dt.date(2021, 5, 20)) == "Kamis, 20 Mei 2021"


def test_labels():
    assert [zone_label(z) for z in ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"]] == [
        "WIB",
        "WIB",
        "WITA",
        "WIT",
    ]
