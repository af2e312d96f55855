"""Forms of the reports area: revoking a paper, the number format of an event's papers, choosing a Kepala Sekolah
Penggerak for a piagam and its citation; the narrative of a laporan kegiatan, its documentation photos and the
signed daftar hadir scans."""

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


class NarrativeForm(forms.Form):
    """The texts of a laporan kegiatan; each may stay empty while a draft (the bundle then says it is not written)."""

    background = forms.CharField(
        label=_("Background (latar belakang)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why the event was held. Separate paragraphs with an empty line."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis (dasar hukum)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One regulation per line: the report numbers them. Empty: the legal basis of the event."),
    )
    conclusion = forms.CharField(
        label=_("Conclusion (kesimpulan)"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    recommendations = forms.CharField(
        label=_("Recommendations (saran)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("A JPEG or PNG photo, at most 5 MB. Its location and camera data are removed."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300)


class CaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=300)


class ScanForm(forms.Form):
    file = forms.FileField(
        label=_("Signed attendance sheet"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("A PDF (at most 10 MB) or a JPEG/PNG photo (at most 5 MB) of the signed sheet."),
    )
