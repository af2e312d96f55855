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
    # Public registrations kept for the organizer to judge (a NIK under another name, a second registration).
    review = django_filters.ChoiceFilter(
        label=_("To review"),
        choices=[choice for choice in Registration.Review.choices if choice[0]],
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="province", queryset=Province.objects.all()
    )
    agency_type = django_filters.ModelChoiceFilter(
        label=_("Agency type"), field_name="agency__type", queryset=AgencyType.objects.all()
    )
    # Who was present in a session (day): the list behind the dashboard's attendance figures.
    session = SessionFilter(
        label=_("Present in session"), field_name="attendances__session", queryset=Session.objects.none()
    )

    class Meta:
        model = Registration
        fields = ["q", "site", "role", "status", "review", "province", "agency_type", "session"]

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
        # The registration's own data: what was entered for it, never what another event holds.
        if compact.isdigit():
            # A number is an identifier, matched whole through the indexed columns; no name holds digits, and a
            # "name contains" test would read every registration of the scope.
            condition = Q(nip=compact) | Q(nuptk=compact) | Q(code=compact)  # a code may be digits only
            if validate_nik(compact).value:
                condition |= identifier_q("nik", compact)
            return queryset.filter(condition)
        return queryset.filter(Q(full_name__icontains=value) | Q(code=value.upper()))
