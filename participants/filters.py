"""Filters of the registration list; the list page and its Excel export share this one definition."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_nik
from events.models import AgencyType, EventSite, Province, Role, Session
from participants.models import Registration, identifier_q


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.site.name} · {obj.name}"  # "Hari 1" alone is ambiguous across sites


class SessionFilter(django_filters.ModelChoiceFilter):
    field_class = SessionChoiceField


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    site = django_filters.ModelChoiceFilter(label=_("Site"), queryset=EventSite.objects.none())
    role = django_filters.ModelChoiceFilter(label=_("Role"), queryset=Role.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Registration.Status.choices)
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="person__province", queryset=Province.objects.all()
    )
    agency_type = django_filters.ModelChoiceFilter(
        label=_("Agency type"), field_name="person__agency__type", queryset=AgencyType.objects.all()
    )
    # Who was present in a session (day): the list behind the dashboard's attendance figures.
    session = SessionFilter(
        label=_("Present in session"), field_name="attendances__session", queryset=Session.objects.none()
    )

    class Meta:
        model = Registration
        fields = ["q", "site", "role", "status", "province", "agency_type", "session"]

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites.select_related("event")
            self.filters["role"].queryset = Role.objects.filter(
                program__in=sites.values("event__program")
            ).select_related("program")
            self.filters["session"].queryset = Session.objects.filter(site__in=sites).select_related("site")

    def search(self, queryset, name, value):
        """Name (contains), or an exact code / NIK / NIP / NUPTK: identifiers are matched whole."""
        value = value.strip()
        if not value:
            return queryset
        compact = value.replace(" ", "")
        condition = Q(person__full_name__icontains=value) | Q(code=value.upper())
        if compact.isdigit():
            condition |= Q(person__nip=compact) | Q(person__nuptk=compact)
            if validate_nik(compact).value:
                condition |= identifier_q("nik", compact, prefix="person__")
        return queryset.filter(condition)
