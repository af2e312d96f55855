"""Validation, normalisation and masking of Indonesian personal and school identifiers.

Identifiers are text, never numbers: a leading zero or a 16th digit matters, and a spreadsheet number cell
silently destroys both. Every ``validate_*`` function returns an :class:`IdentifierResult` holding the
normalised value (or ``None``), the errors that reject the input, the warnings that only need a second
look, and what the identifier encodes (birth date, gender, region codes).

Covered:

* NIK (Nomor Induk Kependudukan), 16 digits ``PP KK CC DDMMYY SSSS``: province, regency, district,
  birth date (day + 40 for women), serial.
* NIP (Nomor Induk Pegawai) of a PNS, 18 digits ``YYYYMMDD YYYYMM G SSS``: birth date, first appointment,
  gender (1 male, 2 female), serial. NI PPPK (``pppk=True``) has its own rule: ``YYYYMMDD YYYY ...``, birth
  date, year of the first work agreement (PPPK exist since 2019), serial.
* NUPTK, 16 digits. NPSN, 8 characters ``[0-9A-Z]``.
* Phone numbers, normalised to E.164 (``+62…``) with ``phonenumbers``; Indonesian numbers only.
* Excel damage: a number cell keeps only 15 significant digits, so such values are reported, never repaired.
  The message depends on where the value came from: a file (``from_file=True``: format the column as Text)
  or a web form (type the digits).

One verdict per value on every channel: the web forms, the imports, the roster screens and the admin all call
:func:`validate_identifier` (or the ``validate_*`` function it dispatches to) and show its messages unchanged.
Formatting is not an error anywhere: spaces, dots, dashes and the apostrophe Excel users type in front of a
number to keep it as text (``'5208011508900001``) are dropped.
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
    "IDENTIFIER_KINDS",
    "PPPK_MARK_MESSAGE",
    "read_pppk_mark",
    "validate_identifier",
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

#: Whitespace, dots and dashes people type between the groups of a NIK/NIP/NUPTK, and the apostrophes (straight,
#: typographic, backtick) that make a spreadsheet keep a number as text.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015'\u2018\u2019`]+")
_APOSTROPHES = "'\u2018\u2019`"
_ASCII_DIGITS = re.compile(r"[0-9]+")
_NPSN = re.compile(r"[0-9A-Z]{8}")
#: "3.20101E+15", "3,20101e+15": how Excel shows, and exports, a long number.
_SCIENTIFIC = re.compile(r"[0-9][.,]?[0-9]*[eE]\+[0-9]")
#: "3201012345678900.0": a number cell read back as a float and turned into text.
_FLOAT_TEXT = re.compile(r"\s*[0-9]+\.0+\s*")

_NIK_WOMAN_DAY_OFFSET = 40
_NIP_MIN_APPOINTMENT_AGE = 18
#: PPPK were first appointed under PP 49/2018, from 2019 on: an NI PPPK cannot carry an earlier year.
_PPPK_FIRST_YEAR = 2019
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

    @property
    def verdict(self) -> Literal["accepted", "warned", "refused"]:
        """What every channel does with the value: refuse it (errors), ask for a second look (warnings), accept."""
        if self.errors:
            return "refused"
        return "warned" if self.warnings else "accepted"

    @property
    def messages(self) -> list[str]:
        """The messages of the verdict, as shown: the errors when refused, else the warnings."""
        return [finding.message for finding in (self.errors or self.warnings)]


def _error(code: str, message: str) -> Finding:
    return Finding(code=code, message=message, severity="error")


def _warning(code: str, message: str) -> Finding:
    return Finding(code=code, message=message, severity="warning")


def _result(
    value: str, errors: Sequence[Finding], warnings: Sequence[Finding] = (), info: dict[str, Any] | None = None
) -> IdentifierResult:
    # A refused value shows its errors only: a warning asks for a second look at a value that could be kept.
    return IdentifierResult(
        value=None if errors else value,
        errors=tuple(errors),
        warnings=() if errors else tuple(warnings),
        info=info or {},
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


def _looks_like_number_damage(raw: object) -> bool:
    if isinstance(raw, bool):
        return False
    return isinstance(raw, int | float | Decimal) or (
        isinstance(raw, str) and bool(_SCIENTIFIC.search(raw) or _FLOAT_TEXT.fullmatch(raw.strip(_APOSTROPHES)))
    )


def check_excel_number_damage(raw: object) -> Finding | None:
    """Report an identifier cell that went through a spreadsheet number format, or ``None`` when it did not.

    Excel keeps 15 significant digits, so a 16-digit NIK typed into a number cell loses its last digit (or
    more) before anyone sees it. Signs of this: a number instead of text (``int``, ``float``, ``Decimal``),
    scientific notation (``"3.20101E+15"``) or a float turned into text (``"3201012345678900.0"``). The
    lost digits cannot be recovered, so the value is never repaired: the person has to type it again.
    """
    if _looks_like_number_damage(raw):
        return _error("excel_number_damage", EXCEL_NUMBER_DAMAGE_MESSAGE)
    return None


def _number_damage(raw: object, *, from_file: bool, typed_message) -> Finding | None:
    """Excel's damage, said for where the value came from: in a file, format the column as Text; typed in a web
    form (pasted from a spreadsheet that showed ``5.20801E+15``), type the digits themselves."""
    if not _looks_like_number_damage(raw):
        return None
    # A number (not text) can only come from a spreadsheet's number cell, whatever the caller says.
    in_file = from_file or not isinstance(raw, str)
    return _error("excel_number_damage", EXCEL_NUMBER_DAMAGE_MESSAGE if in_file else typed_message)


# --- Digit identifiers: NIK, NIP, NUPTK ----------------------------------------------------------------------


@dataclass(frozen=True)
class _DigitsRule:
    """Length and alphabet of an all-digit identifier, with its finding codes and messages."""

    name: str
    length: int
    length_message: str  # a format_lazy template with {count}
    digits_message: str
    typed_damage_message: str  # a spreadsheet's number typed or pasted into a web form


_NIK = _DigitsRule(
    "nik",
    16,
    _("NIK must be 16 digits; this one has {count}."),
    _("NIK may contain only digits."),
    _(
        "This looks like a number copied from a spreadsheet (such as 5.20801E+15), which has lost its last "
        "digits. Type the 16 digits of the NIK as they are on the identity card (KTP)."
    ),
)
_NIP = _DigitsRule(
    "nip",
    18,
    _("NIP must be 18 digits; this one has {count}."),
    _("NIP may contain only digits."),
    _(
        "This looks like a number copied from a spreadsheet (such as 1.98005E+17), which has lost its last "
        "digits. Type the 18 digits of the NIP."
    ),
)
_NUPTK = _DigitsRule(
    "nuptk",
    16,
    _("NUPTK must be 16 digits; this one has {count}."),
    _("NUPTK may contain only digits."),
    _(
        "This looks like a number copied from a spreadsheet (such as 1.23457E+15), which has lost its last "
        "digits. Type the 16 digits of the NUPTK."
    ),
)


def _clean_digits(raw: object, rule: _DigitsRule, *, from_file: bool = False) -> tuple[str, Finding | None]:
    """Strip separators and check the alphabet and length: the normalised text and the first error, if any."""
    damage = _number_damage(raw, from_file=from_file, typed_message=rule.typed_damage_message)
    text = _SEPARATORS.sub("", "" if raw is None else str(raw))
    if damage:
        return text, damage
    if text and not _ASCII_DIGITS.fullmatch(text):
        return text, _error(f"{rule.name}_digits", rule.digits_message)
    if len(text) != rule.length:
        return text, _error(f"{rule.name}_length", format_lazy(rule.length_message, count=len(text)))
    return text, None


def validate_nik(value: object, *, today: dt.date | None = None, from_file: bool = False) -> IdentifierResult:
    """Validate a NIK by its structure ``PP KK CC DDMMYY SSSS``.

    Errors: ``nik_digits``, ``nik_length``, ``excel_number_damage`` (checked first, the rest needs 16 digits),
    then all of ``nik_province`` (not one of the 38 Kemendagri provinces), ``nik_day`` (not 01–31, or 41–71
    for women), ``nik_month``, ``nik_date`` (no such day, e.g. 30 February) and ``nik_serial`` (0000).
    Warning: ``nik_regency_unknown`` when PP.KK is not in the current Kemendagri list; NIKs keep the code of
    the regency that issued them, and regencies split (pemekaran).

    The century of the birth year is inferred: a two-digit year after this year's (``today``, default the
    current date) is 19YY, otherwise 20YY. A valid structure does not prove Dukcapil issued the NIK.
    ``from_file``: the value was read from a spreadsheet (it decides what the ``excel_number_damage`` message says).
    """
    nik, error = _clean_digits(value, _NIK, from_file=from_file)
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


def validate_nip(
    value: object, *, pppk: bool = False, from_file: bool = False, today: dt.date | None = None
) -> IdentifierResult:
    """Validate a NIP; spaces (``"19800512 200501 1 002"``), dots and dashes are dropped.

    PNS layout ``YYYYMMDD YYYYMM G SSS``. Errors: ``nip_digits``, ``nip_length``, ``excel_number_damage``,
    then all of ``nip_birth_date`` (no such date), ``nip_appointment`` (month not 01–12),
    ``nip_appointment_too_early`` (first appointment less than 18 years after birth, by year and month),
    ``nip_gender`` (not 1 or 2) and ``nip_serial`` (000). Each message of the PNS structure says what the digits
    say and that an NI PPPK is to be marked as such: the same number is valid as an NI PPPK.

    With ``pppk=True``, the NI PPPK's own rule (``YYYYMMDD YYYY NN G SSS``: birth date, year of the first work
    agreement, number of agreements, gender, serial): ``nip_birth_date``, ``nip_pppk_year`` (before 2019, when
    the first PPPK were appointed, after this year, or less than 18 years after the birth year) and
    ``nip_serial``. The PNS appointment month and gender digit do not apply.
    """
    nip, error = _clean_digits(value, _NIP, from_file=from_file)
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
        errors += _pppk_errors(nip, birth_date, today or dt.date.today())
        return _result(nip, errors, info=info)

    appointment_year, appointment_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointment_month <= 12:
        errors.append(
            _error(
                "nip_appointment",
                format_lazy(
                    _(
                        "Digits 13–14 of the NIP ({month}) are the month of appointment as a PNS and must be 01–12. "
                        "If this is an NI PPPK, mark it as PPPK."
                    ),
                    month=nip[12:14],
                ),
            )
        )
    else:
        info["appointment"] = f"{appointment_year:04d}-{appointment_month:02d}"
        if birth_date and (appointment_year, appointment_month) < (
            birth_date.year + _NIP_MIN_APPOINTMENT_AGE,
            birth_date.month,
        ):
            age = appointment_year - birth_date.year - (appointment_month < birth_date.month)
            errors.append(
                _error(
                    "nip_appointment_too_early",
                    format_lazy(
                        _(
                            "By this NIP the person became a PNS in {month}/{year}, at the age of {age}; a PNS is "
                            "appointed at 18 or older. Check digits 9–14. If this is an NI PPPK, mark it as PPPK."
                        ),
                        month=nip[12:14],
                        year=nip[8:12],
                        age=age,
                    ),
                )
            )

    gender = {"1": "L", "2": "P"}.get(nip[14])
    if gender is None:
        errors.append(
            _error(
                "nip_gender",
                format_lazy(
                    _(
                        "Digit 15 of the NIP ({digit}) is the gender and must be 1 (male) or 2 (female). "
                        "If this is an NI PPPK, mark it as PPPK."
                    ),
                    digit=nip[14],
                ),
            )
        )
    else:
        info["gender"] = gender

    if nip[15:18] == "000":
        errors.append(_error("nip_serial", _("The serial number at the end of the NIP cannot be 000.")))

    return _result(nip, errors, info=info)


def _pppk_errors(nip: str, birth_date: dt.date | None, today: dt.date) -> list[Finding]:
    """The NI PPPK's own rule after the birth date: the year of the first work agreement, the serial."""
    errors = []
    year = int(nip[8:12])
    if year < _PPPK_FIRST_YEAR:
        message = format_lazy(
            _("Digits 9–12 of an NI PPPK are the year of appointment; {year} is before 2019, when PPPK began."),
            year=nip[8:12],
        )
    elif year > today.year:
        message = format_lazy(
            _("Digits 9–12 of an NI PPPK are the year of appointment; {year} has not come yet."), year=nip[8:12]
        )
    elif birth_date and year - birth_date.year < _NIP_MIN_APPOINTMENT_AGE:
        message = format_lazy(
            _("By this NI PPPK the person was appointed in {year}, at the age of {age}: check digits 9–12."),
            year=nip[8:12],
            age=year - birth_date.year,
        )
    else:
        message = None
    if message is not None:
        errors.append(_error("nip_pppk_year", message))
    if nip[15:18] == "000":
        errors.append(_error("nip_serial", _("The serial number at the end of the NIP cannot be 000.")))
    return errors


def validate_nuptk(value: object, *, from_file: bool = False) -> IdentifierResult:
    """Validate a NUPTK: 16 digits (errors ``nuptk_digits``, ``nuptk_length``, ``excel_number_damage``)."""
    nuptk, error = _clean_digits(value, _NUPTK, from_file=from_file)
    return _result(nuptk, [error] if error else [])


# --- NPSN --------------------------------------------------------------------------------------------------------


def validate_npsn(value: object, *, from_file: bool = False) -> IdentifierResult:
    """Validate an NPSN (school number): 8 characters ``[0-9A-Z]`` after stripping and uppercasing
    (``" p9999999"`` → ``"P9999999"``; a leading apostrophe is dropped).

    Error ``npsn_format`` (or ``excel_number_damage``); warning ``npsn_letters`` since nearly all NPSNs are digits.
    """
    damage = _number_damage(
        value,
        from_file=from_file,
        typed_message=_("Type the 8 characters of the NPSN, as the school's records show it."),
    )
    npsn = ("" if value is None else str(value)).strip().lstrip(_APOSTROPHES).strip().upper()
    if damage:
        return _result(npsn, [damage])
    if not _NPSN.fullmatch(npsn):
        if len(npsn) != 8:
            message = format_lazy(
                _("NPSN must be 8 characters, digits or capital letters; this one has {count}."), count=len(npsn)
            )
        else:
            message = _("NPSN may contain only digits and letters, without spaces or other signs.")
        return _result(npsn, [_error("npsn_format", message)])
    warnings = []
    if not npsn.isdigit():
        warnings.append(
            _warning(
                "npsn_letters",
                _("This NPSN contains letters, which is rare: nearly every NPSN is 8 digits. Check it."),
            )
        )
    return _result(npsn, [], warnings)


# --- Phone ---------------------------------------------------------------------------------------------------------

_PHONE_EXPECTED = _("Type it as 08… or +62…, for example 0812 3456 7890.")
_PHONE_MAX_NATIONAL_DIGITS = 12  # after the 0 or +62: 8xx mobile numbers have 9–12 digits
_PHONE_MIN_MOBILE_DIGITS = 9


def _phone_error(code: str, message) -> IdentifierResult:
    return _result("", [_error(code, format_lazy("{} {}", message, _PHONE_EXPECTED))])


def normalize_phone(value: str | None, *, region: str = "ID", from_file: bool = False) -> IdentifierResult:
    """Validate an Indonesian phone number and normalise it to E.164 (``"0812-3456-7890"`` → ``"+6281234567890"``).

    Numbers without a country code are read as Indonesian (``region``); ``62…`` without the plus works too, and
    a leading apostrophe (a spreadsheet's text mark) is dropped. Errors, each saying why and what form is
    expected: ``phone_too_short``, ``phone_too_long``, ``phone_not_indonesian`` (another country's code),
    ``phone_invalid`` (letters, or digits that make no Indonesian number). ``from_file`` is accepted for the
    symmetry of :func:`validate_identifier`: a phone number fits in a number cell, so a file's number is read.
    """
    text = "" if value is None else str(value).strip().lstrip(_APOSTROPHES)
    digits = sum(character.isdigit() for character in text)
    too_short = format_lazy(_("This phone number is too short ({count} digits)."), count=digits)
    too_long = format_lazy(_("This phone number is too long ({count} digits)."), count=digits)
    not_indonesian = _("This is not an Indonesian phone number.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        kind = phonenumbers.NumberParseException
        if error.error_type == kind.TOO_LONG:
            return _phone_error("phone_too_long", too_long)
        if error.error_type in (kind.TOO_SHORT_NSN, kind.TOO_SHORT_AFTER_IDD):
            return _phone_error("phone_too_short", too_short)
        if error.error_type == kind.INVALID_COUNTRY_CODE:
            return _phone_error("phone_not_indonesian", not_indonesian)
        return _phone_error("phone_invalid", _("This is not a phone number: use digits only."))
    if number.country_code != phonenumbers.country_code_for_region(region):
        return _phone_error("phone_not_indonesian", not_indonesian)
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        national = str(number.national_number)
        Reason = phonenumbers.ValidationResult
        if reason in (Reason.TOO_SHORT, Reason.IS_POSSIBLE_LOCAL_ONLY) or (
            national.startswith("8") and len(national) < _PHONE_MIN_MOBILE_DIGITS
        ):
            return _phone_error("phone_too_short", too_short)
        if reason == Reason.TOO_LONG or len(national) > _PHONE_MAX_NATIONAL_DIGITS:
            return _phone_error("phone_too_long", too_long)
        return _phone_error("phone_invalid", _("These digits do not make an Indonesian phone number."))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return _result(e164, [], info={"region": phonenumbers.region_code_for_number(number)})


# --- The PPPK mark ----------------------------------------------------------------------------------------------

#: How a spreadsheet cell says "yes, the NIP is an NI PPPK" / "no": compared case-folded and trimmed.
PPPK_YES = frozenset({"ya", "y", "yes", "1", "x", "v", "true", "benar", "pppk", "✓", "✔"})
PPPK_NO = frozenset({"", "tidak", "t", "no", "n", "0", "false", "salah", "-", "pns"})
PPPK_MARK_MESSAGE = _("Write Ya when the NIP is an NI PPPK, or leave the cell empty.")


def read_pppk_mark(value: object) -> bool | None:
    """The PPPK column of an import: True for ``ya``/``y``/``1``/``x``/``true``…, False for empty or ``tidak``…,
    None for anything else (the import says :data:`PPPK_MARK_MESSAGE`). The same reading in every import."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = " ".join(str(value).split()).casefold()
    if text in PPPK_YES:
        return True
    if text in PPPK_NO:
        return False
    return None


# --- One entry point -----------------------------------------------------------------------------------------------

#: The identifiers :func:`validate_identifier` knows, by the names the models and forms give them.
IDENTIFIER_KINDS = ("nik", "nip", "nuptk", "npsn", "phone")


def validate_identifier(
    kind: str, value: object, *, pppk: bool = False, from_file: bool = False, today: dt.date | None = None
) -> IdentifierResult:
    """The one verdict on an identifier of `kind` (one of :data:`IDENTIFIER_KINDS`), for every channel.

    ``pppk`` marks a NIP as an NI PPPK (ignored for the other kinds); ``from_file`` says the value was read from a
    spreadsheet, which only changes what the message of Excel's number damage asks the user to do.
    """
    if kind == "nik":
        return validate_nik(value, today=today, from_file=from_file)
    if kind == "nip":
        return validate_nip(value, pppk=pppk, from_file=from_file, today=today)
    if kind == "nuptk":
        return validate_nuptk(value, from_file=from_file)
    if kind == "npsn":
        return validate_npsn(value, from_file=from_file)
    if kind == "phone":
        return normalize_phone(None if value is None else str(value), from_file=from_file)
    raise ValueError(f"Unknown identifier kind {kind!r}")


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
