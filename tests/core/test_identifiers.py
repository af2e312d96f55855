"""core.identifiers: NIK, NIP, NUPTK, NPSN, phone, Excel damage, cross-checks and masking. No database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import (
    Finding,
    check_excel_number_damage,
    cross_check_nik_birth_gender,
    cross_check_nik_nip,
    mask_identifier,
    nik_validator,
    nip_pppk_validator,
    nip_validator,
    normalize_phone,
    npsn_validator,
    phone_validator,
    validate_nik,
    validate_nip,
    validate_npsn,
    validate_nuptk,
)

MALE_NIK = "5208011205900001"  # Kab. Lombok Utara, 12 May 1990, man
FEMALE_NIK = "5208015205900002"  # same place and day, woman (52 = 12 + 40)
NIP = "19800512 200501 1 002"  # born 12 May 1980, appointed January 2005, man, serial 002


def error_codes(result):
    return [finding.code for finding in result.errors]


def warning_codes(result):
    return [finding.code for finding in result.warnings]


def codes(findings):
    return [finding.code for finding in findings]


# --- NIK -------------------------------------------------------------------------------------------------------


def test_valid_male_nik_decodes_region_birth_date_and_gender():
    result = validate_nik(MALE_NIK)
    assert result.ok
    assert result.value == MALE_NIK
    assert result.warnings == ()
    assert result.info == {
        "province_code": "52",
        "regency_code": "52.08",
        "district_code": "52.08.01",
        "gender": "L",
        "birth_date": dt.date(1990, 5, 12),
    }


def test_valid_female_nik_has_day_plus_forty():
    result = validate_nik(FEMALE_NIK)
    assert result.ok
    assert result.info["gender"] == "P"
    assert result.info["birth_date"] == dt.date(1990, 5, 12)


@pytest.mark.parametrize("typed", ["52.08.01.120590.0001", "5208-0112-0590-0001", " 5208 0112 0590 0001 "])
def test_nik_separators_are_dropped(typed):
    result = validate_nik(typed)
    assert result.ok
    assert result.value == MALE_NIK


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("9908011205900001", "nik_province"),
        ("2008011205900001", "nik_province"),
        ("5208011213900001", "nik_month"),
        ("5208011200900001", "nik_month"),
        ("5208013205900001", "nik_day"),  # day 32
        ("5208010005900001", "nik_day"),  # day 00
        ("5208014005900001", "nik_day"),  # 40: neither a man's nor a woman's day
        ("5208017205900001", "nik_day"),  # day 72 = 32 + 40
        ("5208013002900001", "nik_date"),  # 30 February
        ("5208017002900001", "nik_date"),  # 30 February, woman
        ("5208012902010001", "nik_date"),  # 29 February 2001
        ("5208013104900001", "nik_date"),  # 31 April
        ("5208011205900000", "nik_serial"),
        ("520801120590001", "nik_length"),
        ("52080112059000011", "nik_length"),
        ("", "nik_length"),
        ("52080112059O0001", "nik_digits"),  # letter O
        ("５２０８０１１２０５９００００１", "nik_digits"),  # full-width digits
    ],
)
def test_invalid_nik(nik, code):
    result = validate_nik(nik)
    assert not result.ok
    assert result.value is None
    assert error_codes(result) == [code]


def test_nik_reports_every_broken_part_at_once():
    assert error_codes(validate_nik("9908013213900000")) == ["nik_province", "nik_day", "nik_month", "nik_serial"]


def test_29_february_only_in_leap_years():
    assert validate_nik("5208012902000001").info["birth_date"] == dt.date(2000, 2, 29)
    assert validate_nik("5208016902960001").info["birth_date"] == dt.date(1996, 2, 29)
    assert error_codes(validate_nik("5208012902010001")) == ["nik_date"]


def test_birth_century_is_inferred_from_today():
    nik = "5208011205250001"  # year 25
    assert validate_nik(nik, today=dt.date(2026, 1, 1)).info["birth_date"] == dt.date(2025, 5, 12)
    assert validate_nik(nik, today=dt.date(2025, 1, 1)).info["birth_date"] == dt.date(2025, 5, 12)
    assert validate_nik(nik, today=dt.date(2024, 12, 31)).info["birth_date"] == dt.date(1925, 5, 12)


def test_unknown_regency_is_only_a_warning():
    result = validate_nik("5299011205900001")
    assert result.ok
    assert result.value == "5299011205900001"
    assert warning_codes(result) == ["nik_regency_unknown"]
    assert result.warnings[0].severity == "warning"
    assert result.info["regency_code"] == "52.99"


def test_invalid_nik_still_reports_what_it_encodes():
    result = validate_nik("9908015205900001")
    assert error_codes(result) == ["nik_province"]
    assert result.info == {"gender": "P", "birth_date": dt.date(1990, 5, 12)}


# --- NIP -------------------------------------------------------------------------------------------------------


def test_valid_nip_with_spaces_is_normalised():
    result = validate_nip(NIP)
    assert result.ok
    assert result.value == "198005122005011002"
    assert result.info == {"birth_date": dt.date(1980, 5, 12), "appointment": "2005-01", "gender": "L"}


def test_nip_of_a_woman():
    assert validate_nip("198005122005012002").info["gender"] == "P"


def test_appointment_exactly_18_years_after_birth_month_is_valid():
    assert validate_nip("19800512 199805 1 002").ok


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19800512 199804 1 002", "nip_appointment_too_early"),  # 17 years 11 months
        ("19800512 197901 1 002", "nip_appointment_too_early"),  # before birth
        ("19800512 200513 1 002", "nip_appointment"),
        ("19800512 200500 1 002", "nip_appointment"),
        ("19800230 200501 1 002", "nip_birth_date"),
        ("19801312 200501 1 002", "nip_birth_date"),
        ("19800512 200501 3 002", "nip_gender"),
        ("19800512 200501 0 002", "nip_gender"),
        ("19800512 200501 1 000", "nip_serial"),
        ("19800512 200501 1 02", "nip_length"),
        ("1980-05-12 2005-01 1 0021", "nip_length"),
        ("19800512 200501 L 002", "nip_digits"),
    ],
)
def test_invalid_nip(nip, code):
    result = validate_nip(nip)
    assert result.value is None
    assert error_codes(result) == [code]


def test_pppk_has_its_own_rule_not_the_pns_structure():
    ni_pppk = "19800512 202321 3 001"  # digits 13–14 "21" and digit 15 "3": not a PNS NIP
    assert error_codes(validate_nip(ni_pppk, today=dt.date(2025, 1, 1))) == ["nip_appointment", "nip_gender"]
    result = validate_nip(ni_pppk, pppk=True, today=dt.date(2025, 1, 1))
    assert result.ok
    assert result.value == "198005122023213001"
    assert result.info == {"birth_date": dt.date(1980, 5, 12)}


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19800230 202321 1 001", "nip_birth_date"),
        ("1980051220232", "nip_length"),
        ("19800512 199801 3 001", "nip_pppk_year"),  # before 2019: there were no PPPK
        ("19800512 202621 1 001", "nip_pppk_year"),  # a year still to come
        ("20080512 202321 1 001", "nip_pppk_year"),  # appointed at 15
        ("19800512 202321 1 000", "nip_serial"),
    ],
)
def test_invalid_pppk(nip, code):
    assert error_codes(validate_nip(nip, pppk=True, today=dt.date(2025, 1, 1))) == [code]


@pytest.mark.parametrize(
    ("nip", "code", "says"),
    [
        ("198609262015053001", "nip_gender", "(3)"),
        ("198609262000051001", "nip_appointment_too_early", "13"),
        ("198609262015001001", "nip_appointment", "(00)"),
    ],
)
def test_pns_structure_messages_say_what_is_wrong_and_point_to_pppk(nip, code, says):
    from django.utils import translation

    [finding] = validate_nip(nip).errors
    assert finding.code == code
    with translation.override("en"):
        assert says in str(finding.message) and "PPPK" in str(finding.message)


# --- NUPTK, NPSN -----------------------------------------------------------------------------------------------


def test_nuptk():
    assert validate_nuptk("1234 5678 9012 3456").value == "1234567890123456"
    assert error_codes(validate_nuptk("123456789012345")) == ["nuptk_length"]
    assert error_codes(validate_nuptk("12345678901234X6")) == ["nuptk_digits"]


def test_npsn():
    assert validate_npsn("50201234").value == "50201234"
    assert validate_npsn("50201234").warnings == ()
    letters = validate_npsn(" p9999999 ")
    assert letters.ok
    assert letters.value == "P9999999"
    assert warning_codes(letters) == ["npsn_letters"]
    for bad in ["abc", "502012345", "5020 1234", "5020-123", ""]:
        assert error_codes(validate_npsn(bad)) == ["npsn_format"], bad


# --- Phone -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"])
def test_phone_is_normalised_to_e164(typed):
    result = normalize_phone(typed)
    assert result.ok
    assert result.value == "+6281234567890"


def test_landline_is_a_phone_too():
    assert normalize_phone("(021) 5551234").value == "+62215551234"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("12345", "phone_too_short"),
        ("0812", "phone_too_short"),
        ("0812 3456 7890 1234", "phone_too_long"),
        ("+1 650 253 0000", "phone_not_indonesian"),
        ("+44 20 7946 0958", "phone_not_indonesian"),
        ("1234567890", "phone_invalid"),
        ("abc", "phone_invalid"),
        ("", "phone_invalid"),
        (None, "phone_invalid"),
    ],
)
def test_invalid_phone_says_why_and_the_expected_form(typed, code):
    from django.utils import translation

    result = normalize_phone(typed)
    assert result.value is None
    assert error_codes(result) == [code]
    with translation.override("en"):
        assert "08…" in str(result.errors[0].message) and "+62…" in str(result.errors[0].message)


def test_a_spreadsheets_apostrophe_is_formatting():
    assert normalize_phone("'081234567890").value == "+6281234567890"
    assert validate_nik("'5208011205900001").value == "5208011205900001"
    assert validate_nip("'19800512 200501 1 002").value == "198005122005011002"
    assert validate_nuptk("\u20191234567890123456").value == "1234567890123456"
    assert validate_npsn("'p9999999").value == "P9999999"


# --- Excel -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [3.20101e15, "3.20101E+15", "3,20101e+15", "3201010101900001.0", 3201010101900000, Decimal("3201010101900000")],
)
def test_excel_number_damage_is_detected(raw):
    finding = check_excel_number_damage(raw)
    assert finding is not None
    assert finding.code == "excel_number_damage"
    assert finding.severity == "error"


@pytest.mark.parametrize("raw", ["3201010101900001", "19800512 200501 1 002", "52.08.01.120590.0001", "", None, True])
def test_text_is_not_excel_damage(raw):
    assert check_excel_number_damage(raw) is None


@pytest.mark.parametrize("raw", [3201010101900000, 3.20101e15, "3.20101E+15", "3201010101900001.0"])
def test_identifier_validators_report_excel_damage_and_never_repair(raw):
    for result in (validate_nik(raw), validate_nuptk(raw), validate_nip(raw)):
        assert error_codes(result) == ["excel_number_damage"]
        assert result.value is None


def test_npsn_from_a_number_cell():
    assert error_codes(validate_npsn(50201234)) == ["excel_number_damage"]


# --- Cross-checks ----------------------------------------------------------------------------------------------


def test_nik_agrees_with_birth_date_and_gender():
    assert cross_check_nik_birth_gender(MALE_NIK, dt.date(1990, 5, 12), "L") == []
    assert cross_check_nik_birth_gender(FEMALE_NIK, dt.date(1990, 5, 12), "P") == []


def test_nik_century_does_not_matter_in_cross_check():
    # Born 1920: the NIK's year "20" is read as 2020, but day, month and two-digit year agree.
    assert cross_check_nik_birth_gender("5208011205200001", dt.date(1920, 5, 12), "L") == []


def test_nik_disagrees_with_birth_date_and_gender():
    findings = cross_check_nik_birth_gender(MALE_NIK, dt.date(1990, 5, 13), "P")
    assert codes(findings) == ["nik_birth_mismatch", "nik_gender_mismatch"]
    assert {finding.severity for finding in findings} == {"warning"}


def test_nik_cross_check_compares_only_what_is_known():
    assert cross_check_nik_birth_gender(MALE_NIK, None, None) == []
    assert cross_check_nik_birth_gender("12345", dt.date(1990, 5, 12), "L") == []


def test_nik_and_nip_agree():
    assert cross_check_nik_nip(MALE_NIK, "19900512 201501 1 001") == []
    assert cross_check_nik_nip(FEMALE_NIK, "19900512 201501 2 001") == []


def test_nik_and_nip_disagree():
    assert codes(cross_check_nik_nip(MALE_NIK, "19900513 201501 1 001")) == ["nik_nip_birth_mismatch"]
    assert codes(cross_check_nik_nip(FEMALE_NIK, "19900512 201501 1 001")) == ["nik_nip_gender_mismatch"]
    assert codes(cross_check_nik_nip(FEMALE_NIK, "19910512 201501 1 001")) == [
        "nik_nip_birth_mismatch",
        "nik_nip_gender_mismatch",
    ]


def test_nik_and_pppk_compare_birth_dates_only():
    assert cross_check_nik_nip(FEMALE_NIK, "19900512 202101 1 001", pppk=True) == []
    assert codes(cross_check_nik_nip(FEMALE_NIK, "19900513 202101 1 001", pppk=True)) == ["nik_nip_birth_mismatch"]


# --- Masking ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("5208011205900001", "5208********0001"),
        ("+6281234567890", "+628******7890"),
        ("198005122005011002", "1980**********1002"),
        ("123456789", "1234*6789"),
        ("12345678", "********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_identifier(value, masked):
    assert mask_identifier(value) == masked


# --- Django validators and messages ----------------------------------------------------------------------------


def test_django_validators_raise_the_first_error_code():
    nik_validator(MALE_NIK)
    nip_validator(NIP)
    nip_pppk_validator("19800512 202321 3 001")
    npsn_validator("P9999999")  # a warning does not raise
    phone_validator("0812-3456-7890")
    for validator, value, code in [
        (nik_validator, "5208013002900001", "nik_date"),
        (nik_validator, 3201010101900000, "excel_number_damage"),
        (nip_validator, "19800512 200501 3 002", "nip_gender"),
        (nip_pppk_validator, "19800230 202321 1 001", "nip_birth_date"),
        (npsn_validator, "abc", "npsn_format"),
        (phone_validator, "12345", "phone_too_short"),
    ]:
        with pytest.raises(ValidationError) as raised:
            validator(value)
        assert raised.value.code == code


@pytest.fixture
def settings_for_messages():
    """Lazy messages need settings to be evaluated; under pytest-django they already are."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def test_every_message_is_a_non_empty_string(settings_for_messages):
    findings: list[Finding] = [
        *validate_nik("9908013213900000").errors,
        *validate_nik("5208013002900001").errors,
        *validate_nik("5299011205900001").warnings,
        *validate_nik("5208").errors,
        *validate_nik("52O8").errors,
        *validate_nip("19800230 200513 3 000").errors,
        *validate_nip("19800512 199801 1 002").errors,
        *validate_nip("1980").errors,
        *validate_nip("1980x").errors,
        *validate_nuptk("1").errors,
        *validate_nuptk("x").errors,
        *validate_npsn("abc").errors,
        *validate_npsn("P9999999").warnings,
        *normalize_phone("1").errors,
        check_excel_number_damage(1),
        *cross_check_nik_birth_gender(MALE_NIK, dt.date(1990, 5, 13), "P"),
        *cross_check_nik_nip(FEMALE_NIK, "19910512 201501 1 001"),
    ]
    assert len({finding.code for finding in findings}) == 25
    for finding in findings:
        assert isinstance(str(finding.message), str)
        assert str(finding.message).strip(), finding.code
    from django.utils import translation

    with translation.override("en"):
        assert str(validate_nik("5208").errors[0].message) == "NIK must be 16 digits; this one has 4."
        assert "99" in str(validate_nik("9908011205900001").errors[0].message)
        assert "Format the column as Text" in str(check_excel_number_damage(1.0).message)
    with translation.override("id"):
        assert str(validate_nik("5208").errors[0].message) == "NIK harus 16 digit; yang ini 4 digit."
        assert "Format kolom sebagai Teks" in str(check_excel_number_damage(1.0).message)
