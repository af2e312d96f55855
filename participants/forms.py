"""Forms of the participants area: the public self-registration, the organizer's form, corrections, the
person admin, decisions, the Excel import's upload, and the filters of the registration list.

Forms validate and normalise what a person typed (identifiers through `core.identifiers`, phone to E.164)
and turn it into a `PersonData`; the rules of registering (duplicates, quotas) stay in the services.
Warnings (a NIK that disagrees with the birth date, an unknown regency code) are shown next to their
field, and the form is only accepted once the user ticks that the data is correct. The filters of the
registration list are one django-filter FilterSet, which the list page and its Excel export share.
"""

from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.utils.choices import CallableChoiceIterator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.identifiers import (
    cross_check_nik_birth_gender,
    cross_check_nik_nip,
    mask_birth_date,
    normalize_phone,
    validate_identifier,
    validate_nik,
    validate_nip,
    validate_npsn,
    validate_nuptk,
)
from core.imports import UPLOAD_ACCEPT, ImportFileError, check_upload_name
from core.params import is_id
from core.xlsx import MAX_UPLOAD_BYTES
from events.models import Agency, AgencyType, EventSite, Province, Role
from events.models.programs import valid_on_q
from participants.models import PERSONAL_DATA_FIELDS, CorrectionRequest, Person, Registration, School
from participants.selectors import shown_personal_data
from participants.services import NewAgency, PersonData, RegistrationError, person_identifiers_check

IDENTIFIER_FIELDS = ("nik", "nip", "nuptk")


class KnownRowsChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that, once given `known` (pk → row, e.g. events.selectors.registration_place), validates
    the choice against those rows in memory instead of querying; without it, Django's ModelChoiceField."""

    known: dict | None = None

    def to_python(self, value):
        if self.known is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        row = self.known.get(int(value)) if is_id(value) else None
        if row is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class IdentifierFieldsMixin:
    """The one cleaning of NIK, NIP (PNS, or NI PPPK when `nip_is_pppk` is ticked), NUPTK and phone of every
    form that edits a person (registration forms, corrections, the person admin): errors refuse the value,
    warnings go to `self.warn()` (forms without warnings ignore them).

    `kept` maps a field to (the masked value shown, the stored value): a form that shows an identifier masked
    gets that masked text back when the user left it alone, and keeps the stored value.
    """

    kept: dict[str, tuple[str, str]] = {}

    def warn(self, field: str, message) -> None:
        self.warnings.setdefault(field, []).append(message)

    def _unchanged(self, name: str) -> str | None:
        shown, stored = self.kept.get(name, ("", ""))
        return stored if shown and self.cleaned_data.get(name, "") == shown else None

    def _identifier(self, name: str, validate) -> str:
        raw = self.cleaned_data.get(name, "")
        if not raw:
            return ""
        if (stored := self._unchanged(name)) is not None:
            return stored
        result = validate(raw)
        if result.errors:
            raise forms.ValidationError([finding.message for finding in result.errors])
        for finding in result.warnings:
            self.warn(name, finding.message)
        return result.value

    def clean_nik(self) -> str:
        return self._identifier("nik", validate_nik)

    def clean_nip(self) -> str:
        # The checkbox comes after the NIP: read it as its own field will (cleaned_data has no value for it yet).
        field = self.fields.get("nip_is_pppk")
        pppk = bool(field and field.widget.value_from_datadict(self.data, self.files, self.add_prefix("nip_is_pppk")))
        return self._identifier("nip", lambda value: validate_nip(value, pppk=pppk))

    def clean_nuptk(self) -> str:
        return self._identifier("nuptk", validate_nuptk)

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        if (stored := self._unchanged("phone")) is not None:
            return stored
        result = normalize_phone(raw)
        if result.errors:
            raise forms.ValidationError([finding.message for finding in result.errors])
        return result.value


class PersonFieldsForm(IdentifierFieldsMixin, forms.Form):
    """The person's fields shared by every registration form; `asks` says which identifiers the event asks."""

    full_name = forms.CharField(
        label=_("Full name with academic titles"),
        max_length=200,
        help_text=_("As it should be printed on the attendance sheet and the certificate."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    nik = forms.CharField(
        label="NIK",
        required=False,
        max_length=40,
        help_text=_("16 digits, from the identity card (KTP)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nip = forms.CharField(
        label="NIP",
        required=False,
        max_length=40,
        help_text=_("18 digits, for civil servants; spaces are allowed."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nip_is_pppk = forms.BooleanField(label=_("This is an NI PPPK (contract civil servant)"), required=False)
    nuptk = forms.CharField(
        label="NUPTK",
        required=False,
        max_length=40,
        help_text=_("16 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    position = forms.CharField(label=_("Position (jabatan)"), max_length=200, required=False)
    province = KnownRowsChoiceField(label=_("Province of origin"), queryset=Province.objects.all())
    agency_type = forms.ModelChoiceField(label=_("Agency type"), queryset=AgencyType.objects.all(), required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=None,  # set by __init__ for the chosen type and province (no queryset to copy for every form)
        required=False,
        help_text=_("Choose the type and the province first; the list shows their agencies."),
    )
    new_agency_name = forms.CharField(
        label=_("Agency not in the list? Its name"),
        max_length=200,
        required=False,
        help_text=_("Filled only when the agency is not in the list: it is added with the type and province above."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("The confirmation is sent here."))
    confirm_warnings = forms.BooleanField(label=_("I have checked the warnings: the data is correct"), required=False)

    def __init__(self, *args, asks=IDENTIFIER_FIELDS, agency_options_url: str = "", kept=None, on_dates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The event date(s) the agencies are offered for: only the types and agencies of that date (an
        # agency renamed since is offered under its name of then; one founded later is not offered).
        self.on_dates = sorted(set(on_dates))
        self.warnings: dict[str, list[str]] = {}
        self.kept = kept or {}
        self.asked_identifiers = [name for name in IDENTIFIER_FIELDS if name in asks]
        for name in IDENTIFIER_FIELDS:
            if name not in asks:
                del self.fields[name]
        if "nip" not in self.fields:
            del self.fields["nip_is_pppk"]
        self.fields["agency_type"].label_from_instance = lambda agency_type: agency_type.name
        # Any type validates (so a type of another date gets its own message in clean()); the select offers
        # the types of the event's date.
        on = self.on_dates
        self.fields["agency_type"].widget.choices = CallableChoiceIterator(  # read when the select is drawn
            lambda: [("", "---------"), *((t.pk, t.name) for t in agency_types_offered(on_dates=on))]
        )
        self.fields["agency"].queryset = self._agency_options()
        if agency_options_url:
            if self.on_dates:
                agency_options_url += "?" + urlencode([("on", day.isoformat()) for day in self.on_dates])
            htmx = {
                "data-hx-get": agency_options_url,
                "data-hx-target": f"#{self._auto_id('agency')}",
                "data-hx-include": "[name=agency_type],[name=province],[name=agency]",
                "data-hx-trigger": "change",
            }
            self.fields["agency_type"].widget.attrs.update(htmx)
            self.fields["province"].widget.attrs.update(htmx)

    def _auto_id(self, name: str) -> str:
        """The id attribute of a field's input (BoundField.auto_id's rule, without building the bound field)."""
        html_name = self.add_prefix(name)
        if self.auto_id and "%s" in str(self.auto_id):
            return self.auto_id % html_name
        return html_name if self.auto_id else ""

    def _agency_options(self):
        """Agencies of the chosen type and province (both read from the submitted or initial values)."""
        agency_type = self._raw("agency_type")
        province = self._raw("province")
        if not agency_type and not province:
            return Agency.objects.none()
        # The kept queryset itself: the field's setter takes a copy of it.
        return _agency_options_query(agency_type, province, tuple(self.on_dates))

    def agency_date(self, cleaned: dict):
        """The date the chosen agency and type must be valid on: the event's (None: not checked)."""
        return self.on_dates[0] if len(self.on_dates) == 1 else None

    def _check_agency_date(self, cleaned: dict) -> None:
        day = self.agency_date(cleaned)
        if day is None:
            return
        agency_type, agency = cleaned.get("agency_type"), cleaned.get("agency")
        if agency_type is not None and not agency_type.is_valid_on(day):
            self.add_error(
                "agency_type",
                _("%(type)s did not exist on %(date)s, the date of the event: choose the type of that date.")
                % {"type": agency_type.name, "date": date_format(day, "j F Y")},
            )
        if agency is not None and not agency.is_valid_on(day):
            self.add_error(
                "agency",
                _("%(agency)s did not bear this name on %(date)s, the date of the event: choose its name of then.")
                % {"agency": agency.name, "date": date_format(day, "j F Y")},
            )

    def _raw(self, name: str) -> str:
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        return str(value) if value and is_id(value) else ""

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self):
        cleaned = super().clean()
        given = [name for name in self.asked_identifiers if cleaned.get(name)]
        already_wrong = any(name in self.errors for name in self.asked_identifiers)
        if self.asked_identifiers and not given and not already_wrong:
            self.add_error(
                self.asked_identifiers[0],
                _("Fill in at least one of: %(names)s.")
                % {"names": ", ".join(name.upper() for name in self.asked_identifiers)},
            )
        nik = cleaned.get("nik")
        if nik:
            for finding in cross_check_nik_birth_gender(nik, cleaned.get("birth_date"), cleaned.get("gender") or None):
                field = "birth_date" if finding.code == "nik_birth_mismatch" else "gender"
                self.warn(field, finding.message)
            if cleaned.get("nip"):
                for finding in cross_check_nik_nip(nik, cleaned["nip"], pppk=bool(cleaned.get("nip_is_pppk"))):
                    self.warn("nip", finding.message)
        if cleaned.get("new_agency_name") and not cleaned.get("agency") and not cleaned.get("agency_type"):
            self.add_error("agency_type", _("Choose the type of the new agency."))
        self._check_agency_date(cleaned)
        if self.warnings and not cleaned.get("confirm_warnings") and not self.errors:
            self.add_error(
                None,
                _(
                    "Please check the warnings marked below. If the data is correct, tick the box at the end "
                    "of the form and send it again."
                ),
            )
        return cleaned

    @property
    def has_warnings(self) -> bool:
        return bool(self.warnings)

    # --- results ---

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            full_name=data["full_name"],
            gender=data.get("gender", ""),
            birth_date=data.get("birth_date"),
            nik=data.get("nik", ""),
            nip=data.get("nip", ""),
            nip_is_pppk=bool(data.get("nip") and data.get("nip_is_pppk")),
            nuptk=data.get("nuptk", ""),
            position=data.get("position", ""),
            agency=data.get("agency"),
            province=data.get("province"),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )

    def new_agency(self) -> NewAgency | None:
        data = self.cleaned_data
        if data.get("agency") or not data.get("new_agency_name"):
            return None
        return NewAgency(agency_type=data["agency_type"], name=data["new_agency_name"], province=data.get("province"))

    def add_registration_error(self, error: RegistrationError) -> None:
        """Show a refusal of the service next to the field it concerns (or above the form)."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


def valid_on_any(days) -> Q:
    """Rows valid on at least one of `days` (every row when there is none)."""
    condition = Q() if not days else Q(pk__in=[])
    for day in days:
        condition |= valid_on_q(day)
    return condition


def agency_options(*, agency_type: str = "", province: str = "", on_dates=()):
    """Agencies offered in the form's select, for a type and/or a province id, valid on the event date(s)."""
    return _agency_options_query(agency_type, province, tuple(on_dates)).all()


def agency_types_offered(*, on_dates=()):
    """The agency types offered in the form's select: those valid on the event date(s)."""
    return _agency_types_query(tuple(on_dates)).all()


# Every registration form builds these querysets, and building their conditions (the validity dates) cost more
# than a registration's inserts: each process builds one per set of arguments and hands out clones (`.all()`), never
# the kept one, which is therefore never evaluated and holds no rows. The arguments are ids and dates.
@lru_cache(maxsize=512)
def _agency_options_query(agency_type: str, province: str, on_dates: tuple):
    agencies = Agency.objects.select_related("type").filter(valid_on_any(on_dates)).order_by("name")
    if agency_type:
        agencies = agencies.filter(type_id=agency_type)
    if province:
        agencies = agencies.filter(province_id=province)
    return agencies


@lru_cache(maxsize=256)
def _program_roles_query(program_id: int):
    return Role.objects.filter(program_id=program_id).order_by("order")


@lru_cache(maxsize=64)
def _agency_types_query(on_dates: tuple):
    return AgencyType.objects.filter(valid_on_any(on_dates)).order_by("name")


class WaitlistOfferMixin(forms.Form):
    """A registration form that offers the waiting list when the role's quota is full: the refusal sets
    `offer_waitlist`, the page then shows the "join the waiting list" button, which sends the same data again with
    `join_waitlist` (nothing typed is lost). The field has no widget of its own on the page (the button is it)."""

    join_waitlist = forms.BooleanField(label=_("Join the waiting list"), required=False)
    offer_waitlist = False

    def add_registration_error(self, error: RegistrationError) -> None:
        if error.code == "quota_full":
            self.offer_waitlist = True
        super().add_registration_error(error)


class PublicRegistrationForm(WaitlistOfferMixin, PersonFieldsForm):
    """Self-registration on the public link of one site; the privacy notice must be accepted."""

    role = KnownRowsChoiceField(label=_("Role (unsur)"), queryset=None)  # the event's roles: set by __init__
    privacy_accepted = forms.BooleanField(
        label=_("I have read the privacy notice above and agree that my data is processed for this purpose."),
        error_messages={"required": _("You must accept the privacy notice to register.")},
    )

    field_order = ["role", "full_name"]

    def __init__(self, *args, site: EventSite, roles: dict | None = None, provinces: dict | None = None, **kwargs):
        """`roles` (the roles of the event's program) and `provinces`, by pk, when the caller has them in memory."""
        event = site.event
        kwargs.setdefault("asks", [name for name in IDENTIFIER_FIELDS if getattr(event, f"asks_{name}")])
        kwargs.setdefault("on_dates", [event.start_date])
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = _program_roles_query(event.program_id)  # the setter takes a copy
        self.fields["role"].known = roles
        self.fields["province"].known = provinces
        self.order_fields(["role", *[name for name in self.fields if name not in ("role", "privacy_accepted")]])


class OrganizerRegistrationForm(WaitlistOfferMixin, PersonFieldsForm):
    """A panitia or koordinator registers someone at one of its sites."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=EventSite.objects.none())
    role = forms.ModelChoiceField(label=_("Role (unsur)"), queryset=Role.objects.none())

    def __init__(self, *args, sites, **kwargs):
        sites = sites.select_related("event__program").order_by("-event__start_date", "order")
        site_list = list(sites)
        asks = [name for name in IDENTIFIER_FIELDS if any(getattr(site.event, f"asks_{name}") for site in site_list)]
        kwargs.setdefault("asks", asks)
        kwargs.setdefault("on_dates", [site.event.start_date for site in site_list])
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = lambda site: f"{site.event.title} — {site.name}"
        self.fields["role"].queryset = (
            Role.objects.filter(program_id__in={site.event.program_id for site in site_list})
            .select_related("program")
            .order_by("program__code", "order")
        )
        if len({site.event.program_id for site in site_list}) > 1:
            self.fields["role"].label_from_instance = lambda role: f"{role.program.code}: {role.name}"
        self.order_fields(["site", "role"])

    def clean(self):
        cleaned = super().clean()
        site, role = cleaned.get("site"), cleaned.get("role")
        if site and role and role.program_id != site.event.program_id:
            self.add_error("role", _("This role does not belong to the event of the chosen site."))
        return cleaned

    def agency_date(self, cleaned: dict):
        site = cleaned.get("site")
        return site.event.start_date if site else None


class PersonEditForm(PersonFieldsForm):
    """Corrections of what a registration holds about its person, by the organizer (e.g. after a rejection).

    To a user who may not see them, NIK, NIP, NUPTK and phone are shown masked and the birth date is not shown
    (its year in the help text): left as shown (the birth date left empty), they keep their stored value.
    """

    MASKED_FIELDS = ("nik", "nip", "nuptk", "phone")

    def __init__(self, *args, kept_birth_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_birth_date = kept_birth_date
        if kept_birth_date is not None and "birth_date" in self.fields:
            self.fields["birth_date"].help_text = _(
                "Recorded (year shown): %(year)s. Leave it empty to keep the recorded date."
            ) % {"year": mask_birth_date(kept_birth_date)}

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        return value if value is not None or self.kept_birth_date is None else self.kept_birth_date

    @classmethod
    def initial_for(cls, holder, *, unmasked: bool) -> dict:
        shown = shown_personal_data(holder, unmasked=unmasked)
        return {
            "full_name": holder.full_name,
            "gender": holder.gender,
            "birth_date": holder.birth_date if unmasked else None,
            "nik": shown["nik"],
            "nip": shown["nip"],
            "nip_is_pppk": holder.nip_is_pppk,
            "nuptk": shown["nuptk"],
            "position": holder.position,
            "province": holder.province_id,
            "agency_type": holder.agency.type_id if holder.agency_id else None,
            "agency": holder.agency_id,
            "phone": shown["phone"],
            "email": holder.email,
        }

    @classmethod
    def kept_for(cls, holder, *, unmasked: bool) -> dict[str, tuple[str, str]]:
        if unmasked:
            return {}
        shown = shown_personal_data(holder, unmasked=False)
        return {name: (shown[name], getattr(holder, name)) for name in cls.MASKED_FIELDS if getattr(holder, name)}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The participant sees this reason on the status page: say what must be corrected."),
        error_messages={"required": _("Give the reason for the rejection.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the rejection."))
        return reason


class WithdrawForm(forms.Form):
    """The participant's confirmation of a withdrawal; the reason is optional (kept in the audit entry)."""

    reason = forms.CharField(
        label=_("Why do you withdraw? (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class ReasonForm(forms.Form):
    """The organizer's reason for promoting someone from the waiting list, or taking them out of it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The 10-character code on your confirmation page or e-mail."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class BulkSelectionForm(forms.Form):
    """The registrations ticked on the list; the view keeps only those the user may see."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].valid_value = is_id


STATUS = Registration.Status


class PersonAdminForm(IdentifierFieldsMixin, forms.ModelForm):
    """The person's change form of the admin: identifiers validated as in every other form (errors refuse;
    warnings are shown after saving, `PersonAdmin.save_model`), then the same rules as the services (one
    identifier at least, none held by another person). Saving goes through the services, audited."""

    # Typed as people type them (spaces, dots, +62): normalised by the cleaning, then within the columns' lengths.
    nik = forms.CharField(label="NIK", required=False, max_length=40)
    nip = forms.CharField(label="NIP", required=False, max_length=40)
    nip_is_pppk = forms.BooleanField(label=_("This is an NI PPPK (contract civil servant)"), required=False)
    nuptk = forms.CharField(label="NUPTK", required=False, max_length=40)
    phone = forms.CharField(label=_("phone"), required=False, max_length=30)

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "nik",
            "nip",
            "nip_is_pppk",
            "nuptk",
            "position",
            "agency",
            "school",
            "province",
            "phone",
            "email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: dict[str, list[str]] = {}

    def person_data(self) -> PersonData:
        """What the person will hold: the form's values over the stored ones (fields hidden from the user stay)."""
        instance = self.instance
        return PersonData(
            **{name: self.cleaned_data.get(name, getattr(instance, name)) for name in PersonData.__dataclass_fields__}
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                person_identifiers_check(
                    person_data=self.person_data(), exclude=self.instance if self.instance.pk else None
                )
            except RegistrationError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


class SchoolAdminForm(forms.ModelForm):
    """A school in the admin: its NPSN validated and normalised like in the roster import (upper case; a letter
    is a warning, shown after saving)."""

    npsn = forms.CharField(label="NPSN", max_length=20)

    class Meta:
        model = School
        fields = ["npsn", "name", "level", "ownership", "regency", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: dict[str, list[str]] = {}

    def clean_npsn(self) -> str:
        result = validate_npsn(self.cleaned_data["npsn"])
        if result.errors:
            raise forms.ValidationError([finding.message for finding in result.errors])
        if result.warnings:
            self.warnings["npsn"] = [finding.message for finding in result.warnings]
        return result.value


class ImportUploadForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Excel or CSV file (.xlsx, .xls, .csv)"),
        allow_empty_file=True,  # a 0-byte file gets the import's own message
        help_text=_("The filled-in template of the event, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_name(upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from error
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


# --- the participant's own data: correction requests ---


class CorrectionForm(forms.ModelForm):
    """A participant's request to correct a field of its registration. A correct NIK, NIP, NUPTK or phone gets
    the same verdict and message as on every other channel (core.identifiers), and is kept in its clean form."""

    IDENTIFIERS = {"nik", "nip", "nuptk", "phone"}

    class Meta:
        model = CorrectionRequest
        fields = ["field", "correct_value", "note"]

    def __init__(self, *args, registration: Registration | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration

    def clean(self):
        cleaned = super().clean()
        field, value = cleaned.get("field"), cleaned.get("correct_value")
        if field in self.IDENTIFIERS and value:
            pppk = bool(self.registration and self.registration.nip_is_pppk)
            result = validate_identifier(field, value, pppk=pppk)
            if result.errors:
                self.add_error("correct_value", [finding.message for finding in result.errors])
            else:
                cleaned["correct_value"] = result.value
        return cleaned


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(CorrectionRequest.Status.DONE, _("Corrected")), (CorrectionRequest.Status.REFUSED, _("Refused"))]
    )
    reason = forms.CharField(label=_("reason"), required=False, max_length=500)


class DistinctPeopleForm(forms.Form):
    """Why two listed records are two people (optional, for the audit log): "twins", "namesakes, other parents"."""

    reason = forms.CharField(label=_("Why they are two people (for the audit log)"), required=False, max_length=300)


class PersonMergeForm(forms.Form):
    """Which record's value each differing field of a merge keeps ("keep": the kept record's, "drop": the other's).

    One radio pair per field whose values differ; a field empty on the kept record takes the other's by default.
    """

    reason = forms.CharField(label=_("Reason (for the audit log)"), required=False, max_length=300)

    def __init__(self, *args, keep: Person, drop: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.differing = []
        for name in PERSONAL_DATA_FIELDS:
            column = f"{name}_id" if name in ("agency", "school", "province") else name
            mine, theirs = getattr(keep, column), getattr(drop, column)
            if mine == theirs:
                continue
            self.differing.append(name)
            self.fields[f"take_{name}"] = forms.ChoiceField(
                label=Person._meta.get_field(name).verbose_name,
                choices=[("keep", _("kept record")), ("drop", _("other record"))],
                widget=forms.RadioSelect,
                initial="drop" if mine in ("", None) else "keep",
                required=False,  # not chosen: the default (the kept record's value, unless it has none)
            )

    def taken(self) -> list[str]:
        """The fields whose value comes from the other record."""
        chosen = {
            name: self.cleaned_data.get(f"take_{name}") or self.fields[f"take_{name}"].initial
            for name in self.differing
        }
        return [name for name in self.differing if chosen[name] == "drop"]
