"""Validation, normalisation and masking of Indonesian personal and school identifiers.

Identifiers are text, never numbers: a leading zero or a 16th digit matters, and a spreadsheet number cell
silently destroys both. Every ``validate_*`` function returns an :class:`IdentifierResult` holding the
normalised value (or ``None``), the errors that reject the input, the warnings that only need a second
look, and what the identifier encodes (birth date, gender, region codes).

Covered:

* NIK (Nomor Induk Kependudukan), 16 digits ``PP KK CC DDMMYY SSSS``: province, regency, district,
  birth date (day + 40 for women), serial.
* NIP (Nomor Induk Pegawai) of a PNS, 18 digits ``YYYYMMDD YYYYMM G SSS``: birth date, first appointment,
  gender (1 male, 2 female), serial. NI PPPK shares only the length and the leading birth date.
* NUPTK, 16 digits. NPSN, 8 characters ``[0-9A-Z]``.
* Phone numbers, normalised to E.164 (``+62…``) with ``phonenumbers``.
* Excel damage: a number cell keeps only 15 significant digits, so such values are reported, never repaired.
* Cross-checks between a NIK, a stated birth date/gender and a NIP, and masking for display.

Nothing here needs Django settings: messages are ``gettext_lazy`` proxies (English source strings,
translated in ``locale/id``) that are only evaluated when displayed.

The ``django.core.validators``-style functions at the end (``nik_validator`` …) raise
``ValidationError`` with the first error; a form's ``clean_<field>()`` should still store
``validate_*(...).value``, the normalised text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from lokal.provinces import PROVINCES
from lokal.wilayah import wilayah_name

__all__ = [
    "EXCEL_NUMBER_DAMAGE_MESSAGE",
    "Finding",
    "IdentifierResult",
    "Severity",
    "Gender",
    "validate_nik",
    "validate_nip",
    "validate_nuptk",
    "validate_npsn",
    "normalize_phone",
    "check_excel_number_damage",
    "cross_check_nik_birth_gender",
    "cross_check_nik_nip",
    "mask_identifier",
    "mask_nik",
    "mask_nip",
    "mask_birth_date",
    "nik_validator",
    "nip_validator",
    "nip_pppk_validator",
    "nuptk_validator",
    "npsn_validator",
    "phone_validator",
]

Severity = Literal["error", "warning"]
#: L = laki-laki (male), P = perempuan (female), as on Indonesian forms.
Gender = Literal["L", "P"]

#: Whitespace, dots and dashes people type between the groups of a NIK/NIP/NUPTK.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_NPSN = re.compile(r"[0-9A-Z]{8}")
#: "3.20101E+15", "3,20101e+15": how Excel shows, and exports, a long number.
_SCIENTIFIC = re.compile(r"[0-9][.,]?[0-9]*[eE]\+[0-9]")
#: "3201012345678900.0": a number cell read back as a float and turned into text.
_FLOAT_TEXT = re.compile(r"\s*[0-9]+\.0+\s*")

_NIK_WOMAN_DAY_OFFSET = 40
_NIP_MIN_APPOINTMENT_AGE = 18
_MASK_KEEP = 4


@dataclass(frozen=True)
class Finding:
    """One problem found in an identifier.

    ``code`` is stable and snake_case (for tests, logs and import reports); ``message`` is a lazily translated
    string, evaluated only when displayed; an ``error`` rejects the value, a ``warning`` asks for a second look.
    """

    code: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class IdentifierResult:
    """Outcome of validating one identifier.

    ``value`` is the normalised text when there are no errors, else ``None``. ``info`` holds what the
    identifier encodes and could be decoded, even when another part is wrong: ``birth_date`` (``date``),
    ``gender`` (``"L"``/``"P"``), ``province_code`` (``"52"``), ``regency_code`` (``"52.08"``),
    ``district_code`` (``"52.08.01"``), ``appointment`` (``"2005-01"``) depending on the identifier.
    """

    value: str | None
    errors: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    info: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def ok(self) -> bool:
        """True when the value has no errors (it may still have warnings)."""
        return not self.errors


def _error(code: str, message: str) -> Finding:
    return Finding(code=code, message=message, severity="error")


def _warning(code: str, message: str) -> Finding:
    return Finding(code=code, message=message, severity="warning")


def _result(
    value: str, errors: Sequence[Finding], warnings: Sequence[Finding] = (), info: dict[str, Any] | None = None
) -> IdentifierResult:
    return IdentifierResult(
        value=None if errors else value, errors=tuple(errors), warnings=tuple(warnings), info=info or {}
    )


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- Excel ---------------------------------------------------------------------------------------------------

EXCEL_NUMBER_DAMAGE_MESSAGE = _(
    "This column is formatted as a number, so Excel cut off its digits. "
    "Format the column as Text and type the number again."
)


def check_excel_number_damage(raw: object) -> Finding | None:
    """Report an identifier cell that went through a spreadsheet number format, or ``None`` when it did not.

    Excel keeps 15 significant digits, so a 16-digit NIK typed into a number cell loses its last digit (or
    more) before anyone sees it. Signs of this: a number instead of text (``int``, ``float``, ``Decimal``),
    scientific notation (``"3.20101E+15"``) or a float turned into text (``"3201012345678900.0"``). The
    lost digits cannot be recovered, so the value is never repaired: the person has to type it again.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal) or (
        isinstance(raw, str) and (_SCIENTIFIC.search(raw) or _FLOAT_TEXT.fullmatch(raw))
    ):
        return _error("excel_number_damage", EXCEL_NUMBER_DAMAGE_MESSAGE)
    return None


# --- Digit identifiers: NIK, NIP, NUPTK ----------------------------------------------------------------------


@dataclass(frozen=True)
class _DigitsRule:
    """Length and alphabet of an all-digit identifier, with its finding codes and messages."""

    name: str
    length: int
    length_message: str  # a format_lazy template with {count}
    digits_message: str


_NIK = _DigitsRule("nik", 16, _("NIK must be 16 digits; this one has {count}."), _("NIK may contain only digits."))
_NIP = _DigitsRule("nip", 18, _("NIP must be 18 digits; this one has {count}."), _("NIP may contain only digits."))
_NUPTK = _DigitsRule(
    "nuptk", 16, _("NUPTK must be 16 digits; this one has {count}."), _("NUPTK may contain only digits.")
)


def _clean_digits(raw: object, rule: _DigitsRule) -> tuple[str, Finding | None]:
    """Strip separators and check the alphabet and length: the normalised text and the first error, if any."""
    damage = check_excel_number_damage(raw)
    text = _SEPARATORS.sub("", "" if raw is None else str(raw))
    if damage:
        return text, damage
    if text and not _ASCII_DIGITS.fullmatch(text):
        return text, _error(f"{rule.name}_digits", rule.digits_message)
    if len(text) != rule.length:
        return text, _error(f"{rule.name}_length", format_lazy(rule.length_message, count=len(text)))
    return text, None


def validate_nik(value: object, *, today: dt.date | None = None) -> IdentifierResult:
    """Validate a NIK by its structure ``PP KK CC DDMMYY SSSS``.

    Errors: ``nik_digits``, ``nik_length``, ``excel_number_damage`` (checked first, the rest needs 16 digits),
    then all of ``nik_province`` (not one of the 38 Kemendagri provinces), ``nik_day`` (not 01–31, or 41–71
    for women), ``nik_month``, ``nik_date`` (no such day, e.g. 30 February) and ``nik_serial`` (0000).
    Warning: ``nik_regency_unknown`` when PP.KK is not in the current Kemendagri list; NIKs keep the code of
    the regency that issued them, and regencies split (pemekaran).

    The century of the birth year is inferred: a two-digit year after this year's (``today``, default the
    current date) is 19YY, otherwise 20YY. A valid structure does not prove Dukcapil issued the NIK.
    """
    nik, error = _clean_digits(value, _NIK)
    if error:
        return _result(nik, [error])

    errors: list[Finding] = []
    warnings: list[Finding] = []
    info: dict[str, Any] = {}

    province = nik[0:2]
    if province in PROVINCES:
        regency = f"{province}.{nik[2:4]}"
        info.update(province_code=province, regency_code=regency, district_code=f"{regency}.{nik[4:6]}")
        if wilayah_name(regency) is None:
            warnings.append(
                _warning(
                    "nik_regency_unknown",
                    format_lazy(
                        _(
                            "Regency/city code {code} is not in the current Kemendagri list. Check the NIK; "
                            "it may be an old code from before the regency was split."
                        ),
                        code=regency,
                    ),
                )
            )
    else:
        errors.append(
            _error("nik_province", format_lazy(_("{code} is not an Indonesian province code."), code=province))
        )

    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= day <= 31:
        info["gender"] = "L"
    elif 1 + _NIK_WOMAN_DAY_OFFSET <= day <= 31 + _NIK_WOMAN_DAY_OFFSET:
        info["gender"] = "P"
        day -= _NIK_WOMAN_DAY_OFFSET
    else:
        errors.append(_error("nik_day", _("The birth day in the NIK must be 01–31, or 41–71 for women (day + 40).")))
    if not 1 <= month <= 12:
        errors.append(_error("nik_month", _("The birth month in the NIK must be 01–12.")))
    if "gender" in info and 1 <= month <= 12:
        current_yy = (today or dt.date.today()).year % 100
        birth_date = _real_date((1900 if yy > current_yy else 2000) + yy, month, day)
        if birth_date is None:
            errors.append(_error("nik_date", _("The birth date in the NIK does not exist.")))
        else:
            info["birth_date"] = birth_date

    if nik[12:16] == "0000":
        errors.append(_error("nik_serial", _("The serial number at the end of the NIK cannot be 0000.")))

    return _result(nik, errors, warnings, info)


def validate_nip(value: object, *, pppk: bool = False) -> IdentifierResult:
    """Validate a NIP; spaces (``"19800512 200501 1 002"``), dots and dashes are dropped.

    PNS layout ``YYYYMMDD YYYYMM G SSS``. Errors: ``nip_digits``, ``nip_length``, ``excel_number_damage``,
    then all of ``nip_birth_date`` (no such date), ``nip_appointment`` (month not 01–12),
    ``nip_appointment_too_early`` (first appointment less than 18 years after birth, by year and month),
    ``nip_gender`` (not 1 or 2) and ``nip_serial`` (000).

    With ``pppk=True`` (NI PPPK, which has a different layout after the birth date) only the length, the
    digits and the birth date are checked.
    """
    nip, error = _clean_digits(value, _NIP)
    if error:
        return _result(nip, [error])

    errors: list[Finding] = []
    info: dict[str, Any] = {}

    birth_date = _real_date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth_date is None:
        errors.append(_error("nip_birth_date", _("The birth date at the start of the NIP does not exist.")))
    else:
        info["birth_date"] = birth_date
    if pppk:
        return _result(nip, errors, info=info)

    appointment_year, appointment_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointment_month <= 12:
        errors.append(_error("nip_appointment", _("The appointment month in the NIP (digits 13–14) must be 01–12.")))
    else:
        info["appointment"] = f"{appointment_year:04d}-{appointment_month:02d}"
        if birth_date and (appointment_year, appointment_month) < (
            birth_date.year + _NIP_MIN_APPOINTMENT_AGE,
            birth_date.month,
        ):
            errors.append(
                _error(
                    "nip_appointment_too_early",
                    _("The appointment date in the NIP is less than 18 years after the birth date."),
                )
            )

    gender = {"1": "L", "2": "P"}.get(nip[14])
    if gender is None:
        errors.append(_error("nip_gender", _("The gender digit in the NIP (digit 15) must be 1 or 2.")))
    else:
        info["gender"] = gender

    if nip[15:18] == "000":
        errors.append(_error("nip_serial", _("The serial number at the end of the NIP cannot be 000.")))

    return _result(nip, errors, info=info)


def validate_nuptk(value: object) -> IdentifierResult:
    """Validate a NUPTK: 16 digits (errors ``nuptk_digits``, ``nuptk_length``, ``excel_number_damage``)."""
    nuptk, error = _clean_digits(value, _NUPTK)
    return _result(nuptk, [error] if error else [])


# --- NPSN --------------------------------------------------------------------------------------------------------


def validate_npsn(value: object) -> IdentifierResult:
    """Validate an NPSN (school number): 8 characters ``[0-9A-Z]`` after stripping and uppercasing.

    Error ``npsn_format`` (or ``excel_number_damage``); warning ``npsn_letters`` since nearly all NPSNs are digits.
    """
    damage = check_excel_number_damage(value)
    npsn = ("" if value is None else str(value)).strip().upper()
    if damage:
        return _result(npsn, [damage])
    if not _NPSN.fullmatch(npsn):
        return _result(npsn, [_error("npsn_format", _("NPSN must be 8 characters: digits or capital letters."))])
    warnings = []
    if not npsn.isdigit():
        warnings.append(_warning("npsn_letters", _("This NPSN contains letters, which is rare. Check it.")))
    return _result(npsn, [], warnings)


# --- Phone ---------------------------------------------------------------------------------------------------------


def normalize_phone(value: str | None, *, region: str = "ID") -> IdentifierResult:
    """Normalise a phone number to E.164 (``"0812-3456-7890"`` → ``"+6281234567890"``).

    Numbers without a country code are read as Indonesian (``region``); ``62…`` without the plus works too.
    Error ``phone_invalid`` when ``phonenumbers`` cannot parse it or does not consider it a valid number.
    """
    text = "" if value is None else str(value).strip()
    invalid = _error("phone_invalid", _("This is not a valid phone number."))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return _result(text, [invalid])
    if not phonenumbers.is_valid_number(number):
        return _result(text, [invalid])
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return _result(e164, [], info={"region": phonenumbers.region_code_for_number(number)})


# --- Cross-checks --------------------------------------------------------------------------------------------------


def _same_birth_day(nik_date: dt.date, other: dt.date) -> bool:
    """Compare day, month and two-digit year: the NIK's century is only inferred."""
    return (nik_date.day, nik_date.month, nik_date.year % 100) == (other.day, other.month, other.year % 100)


def cross_check_nik_birth_gender(nik: str, birth_date: dt.date | None, gender: Gender | None) -> list[Finding]:
    """Warnings when the birth date or gender encoded in the NIK disagree with the ones given.

    Codes ``nik_birth_mismatch`` and ``nik_gender_mismatch``. Only what both sides provide is compared (an
    invalid NIK is reported by :func:`validate_nik`, not here). These are warnings, not errors: the NIK keeps
    whatever Dukcapil recorded, which sometimes differs from the birth certificate, so a person decides.
    """
    info = validate_nik(nik).info
    findings: list[Finding] = []
    if birth_date and "birth_date" in info and not _same_birth_day(info["birth_date"], birth_date):
        findings.append(
            _warning("nik_birth_mismatch", _("The birth date in the NIK does not match the date of birth given."))
        )
    if gender and "gender" in info and info["gender"] != gender:
        findings.append(_warning("nik_gender_mismatch", _("The gender in the NIK does not match the gender given.")))
    return findings


def cross_check_nik_nip(nik: str, nip: str, *, pppk: bool = False) -> list[Finding]:
    """Warnings when a NIK and a NIP of the same person encode different birth dates or genders.

    Codes ``nik_nip_birth_mismatch`` and ``nik_nip_gender_mismatch`` (the latter not for NI PPPK,
    ``pppk=True``, which has no gender digit). Parts that cannot be decoded are not compared.
    """
    nik_info = validate_nik(nik).info
    nip_info = validate_nip(nip, pppk=pppk).info
    findings: list[Finding] = []
    if (
        "birth_date" in nik_info
        and "birth_date" in nip_info
        and not _same_birth_day(nik_info["birth_date"], nip_info["birth_date"])
    ):
        findings.append(_warning("nik_nip_birth_mismatch", _("The birth dates in the NIK and the NIP do not match.")))
    if "gender" in nik_info and "gender" in nip_info and nik_info["gender"] != nip_info["gender"]:
        findings.append(_warning("nik_nip_gender_mismatch", _("The genders in the NIK and the NIP do not match.")))
    return findings


# --- Masking -------------------------------------------------------------------------------------------------------


def mask_identifier(value: str | None) -> str:
    """Hide the middle of an identifier for display: ``"5208011205900001"`` → ``"5208********0001"``.

    The first 4 and last 4 characters stay (``"+6281234567890"`` → ``"+628******7890"``). A value of 8
    characters or fewer would be shown whole that way, so it is masked entirely. Empty → ``""``.
    """
    if not value:
        return ""
    hidden = len(value) - 2 * _MASK_KEEP
    if hidden <= 0:
        return "*" * len(value)
    return value[:_MASK_KEEP] + "*" * hidden + value[-_MASK_KEEP:]


def mask_nik(value: str | None) -> str:
    """A NIK for display to someone who may not see it: only its province code, ``"52**************"``.

    A NIK is PP RR CC DDMMYY SSSS. Next to a birth date, a NIP (which starts with the birth date) or a gender,
    every digit shown would narrow it down: kept this way, and with the birth date shown as its year at most,
    a masked NIK leaves more than a million candidates in every province (tests/core/test_identifiers.py).
    """
    if not value:
        return ""
    return value[:2] + "*" * (len(value) - 2)


def mask_nip(value: str | None) -> str:
    """A NIP for display to someone who may not see it: its birth year only, ``"1986**************"``.

    The NIP starts with the full birth date (YYYYMMDD) and carries the gender: shown whole, it would give
    away the middle of the NIK beside it.
    """
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 4)


def mask_nuptk(value: str | None) -> str:
    """A NUPTK for display to someone who may not see it: its last 4 digits only (its first digits follow the
    birth date, like the NIP's)."""
    if not value:
        return ""
    return "*" * max(len(value) - _MASK_KEEP, 0) + value[-_MASK_KEEP:]


def mask_birth_date(value) -> str:
    """A birth date for display to someone who may not see the NIK: its year (the age), never the day."""
    return str(value.year) if value else ""


# --- Django validators ---------------------------------------------------------------------------------------------


def _raise_first_error(result: IdentifierResult) -> None:
    if result.errors:
        first = result.errors[0]
        raise ValidationError(first.message, code=first.code)


def nik_validator(value: object) -> None:
    """Django validator for a NIK: raises ``ValidationError`` with the first error of :func:`validate_nik`."""
    _raise_first_error(validate_nik(value))


def nip_validator(value: object) -> None:
    """Django validator for a PNS NIP: the first error of :func:`validate_nip`."""
    _raise_first_error(validate_nip(value))


def nip_pppk_validator(value: object) -> None:
    """Django validator for an NI PPPK: the first error of ``validate_nip(value, pppk=True)``."""
    _raise_first_error(validate_nip(value, pppk=True))


def nuptk_validator(value: object) -> None:
    """Django validator for a NUPTK: the first error of :func:`validate_nuptk`."""
    _raise_first_error(validate_nuptk(value))


def npsn_validator(value: object) -> None:
    """Django validator for an NPSN: the first error of :func:`validate_npsn` (warnings do not raise)."""
    _raise_first_error(validate_npsn(value))


def phone_validator(value: str | None) -> None:
    """Django validator for a phone number: the error of :func:`normalize_phone`."""
    _raise_first_error(normalize_phone(value))
