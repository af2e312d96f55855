"""Forms of the reports area: revoking a paper, the number format of an event's papers, choosing a Kepala Sekolah
Penggerak for a piagam and its citation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import NumberSeries


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=300, strip=True)


class NumberFormatForm(forms.Form):
    kind = forms.ChoiceField(choices=NumberSeries.Kind.choices, widget=forms.HiddenInput)
    number_format = forms.CharField(
        label=_("Number format"),
        max_length=100,
        help_text=_("{seq:04} the sequence (0001), {year} the year, {organizer} the organizer's short name."),
    )


class CitationForm(forms.Form):
    citation = forms.CharField(
        label=_("Citation"),
        max_length=300,
        strip=True,
        help_text=_("What the piagam thanks the person for, e.g. 'dedikasi dan kepemimpinannya sebagai …'."),
    )


class AppreciationSelectForm(CitationForm):
    candidate = forms.CharField(widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.key: candidate for candidate in candidates}

    def clean_candidate(self):
        candidate = self.candidates.get(self.cleaned_data["candidate"])
        if candidate is None:
            raise forms.ValidationError(
                _("This person cannot be chosen (already chosen, or not a Kepala Sekolah of the event).")
            )
        return candidate
