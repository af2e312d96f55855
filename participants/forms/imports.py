"""The upload form of the Excel import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.xlsx import MAX_UPLOAD_BYTES


class ImportUploadForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The filled-in template of the event, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload an Excel .xlsx file. Save the file as 'Excel Workbook (.xlsx)' and upload it again.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
