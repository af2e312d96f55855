from django import template

from core.timezones import format_datetime_in_zone, zone_label

register = template.Library()


@register.filter
def zoned(value, zone_name: str):
    """`{{ session.starts_at|zoned:site.time_zone }}` → `Kamis, 20 Mei 2021 08.00 WITA`."""
    return format_datetime_in_zone(value, zone_name)


@register.filter
def zoned_time(value, zone_name: str):
    """`08.00 WITA`: only the time, in the place's zone, with its label."""
    return format_datetime_in_zone(value, zone_name, "H.i")


@register.filter
def zone(zone_name: str) -> str:
    return zone_label(zone_name)
