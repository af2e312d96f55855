"""Indonesian time zones: each IANA zone the app uses and the label people read (WIB/WITA/WIT).

Times are stored in UTC. They are shown in the zone of the place where something happens (a
site's venue), never in the zone of the viewer or of the participants' province.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import formats, timezone, translation


class IndonesianZone(models.TextChoices):
    JAKARTA = "Asia/Jakarta", "WIB (Asia/Jakarta)"
    PONTIANAK = "Asia/Pontianak", "WIB (Asia/Pontianak)"
    MAKASSAR = "Asia/Makassar", "WITA (Asia/Makassar)"
    JAYAPURA = "Asia/Jayapura", "WIT (Asia/Jayapura)"


ZONE_LABELS = {
    IndonesianZone.JAKARTA: "WIB",
    IndonesianZone.PONTIANAK: "WIB",
    IndonesianZone.MAKASSAR: "WITA",
    IndonesianZone.JAYAPURA: "WIT",
}


def zone_label(zone_name: str) -> str:
    """The everyday label of an Indonesian zone: 'WIB', 'WITA' or 'WIT'."""
    return ZONE_LABELS.get(zone_name, zone_name)


def in_zone(value: datetime, zone_name: str) -> datetime:
    """An aware datetime converted to the given zone."""
    return timezone.localtime(value, ZoneInfo(zone_name))


def format_datetime_in_zone(value: datetime | None, zone_name: str, fmt: str = "l, j F Y H.i") -> str:
    """`Kamis, 20 Mei 2021 08.00 WITA`: the time in the place's zone, with its label, in the active language."""
    if value is None:
        return ""
    return f"{formats.date_format(in_zone(value, zone_name), fmt)} {zone_label(zone_name)}"


def format_date_indonesian(value: date, fmt: str = "l, j F Y") -> str:
    """`Kamis, 20 Mei 2021` whatever the active language: for official documents."""
    with translation.override("id"):
        return formats.date_format(value, fmt)


def format_time_range_in_zone(start: datetime, end: datetime, zone_name: str) -> str:
    """`08.00–16.00 WITA`: a session's hours in the place's zone; one ending on another day names both days
    (`Sabtu, 15 Oktober 2022 19.00 – Minggu, 16 Oktober 2022 02.00 WITA`). Indonesian, for official papers."""
    start, end = in_zone(start, zone_name), in_zone(end, zone_name)
    label = zone_label(zone_name)
    if start.date() == end.date():
        return f"{start:%H.%M}–{end:%H.%M} {label}"
    first, last = format_date_indonesian(start.date()), format_date_indonesian(end.date())
    return f"{first} {start:%H.%M} – {last} {end:%H.%M} {label}"
