"""Forms of the check-in screen: they read what the phone sends (JSON or a form) and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import Attendance


class CheckinForm(forms.Form):
    """One check-in from the screen: the registration code (typed, found by search, or read from the QR code)."""

    code = forms.CharField(label=_("Registration code"), max_length=32)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            (Attendance.Method.QR, Attendance.Method.QR.label),
            (Attendance.Method.SEARCH, Attendance.Method.SEARCH.label),
        ],
        required=False,
    )
    allow_other_site = forms.BooleanField(label=_("Check in although registered at another site"), required=False)
    allow_inactive = forms.BooleanField(
        label=_("Check in although the registration is rejected or withdrawn"), required=False
    )

    def clean_method(self) -> str:
        return self.cleaned_data["method"] or Attendance.Method.SEARCH

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class SearchForm(forms.Form):
    """Search by name, registration code or a full NIK/NIP/NUPTK (sent by POST: identifiers never go in URLs)."""

    q = forms.CharField(label=_("Name, code or NIK/NIP"), max_length=100, min_length=2)


class PaperSheetForm(forms.Form):
    """The ticks of a paper attendance sheet: the site's expected participants not yet checked in."""

    registrations = forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = queryset


class HeldDropForm(forms.Form):
    """Why a held offline check-in is dropped: kept in the audit log."""

    reason = forms.CharField(label=_("Reason for dropping"), max_length=500)
