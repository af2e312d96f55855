"""Forms of the roster area: a committee with its members (a formset), an import, the verifikator's decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Province, Regency, TrainingPhase
from participants.models import Committee, Position, School
from participants.services import roster_rules


class CommitteeSchoolForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    submit = forms.BooleanField(label=_("Submit to the verifikator now"), required=False, initial=True)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else School.objects.none()


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name with academic titles"), max_length=200)
    position = forms.ChoiceField(label=_("Position"), choices=[("", "—"), *Position.choices])
    class_taught = forms.CharField(label=_("Class or subject taught"), max_length=100, required=False)
    nik = forms.CharField(label="NIK", max_length=30, required=False)
    nip = forms.CharField(label="NIP", max_length=30, required=False)
    nuptk = forms.CharField(label="NUPTK", max_length=30, required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=6, max_num=12, validate_max=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    submit = forms.BooleanField(label=_("Submit the committees to the verifikator"), required=False, initial=True)


class ValidateForm(forms.Form):
    acknowledge = forms.BooleanField(label=_("I have read the warnings and accept them"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}))


class TahapForm(forms.Form):
    phase = forms.ModelChoiceField(label=_("Tahap"), queryset=TrainingPhase.objects.none(), required=False)

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = TrainingPhase.objects.filter(cohort=cohort)


class CommitteeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Committee.Status.choices], required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all(), required=False)
    regency = forms.ModelChoiceField(label=_("Regency/city"), queryset=Regency.objects.none(), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All")), *School.Level.choices], required=False)
    has_errors = forms.BooleanField(label=_("Has errors"), required=False)
    phase = forms.ModelChoiceField(label=_("Tahap"), queryset=TrainingPhase.objects.none(), required=False)
    no_phase = forms.BooleanField(label=_("No Tahap yet"), required=False)
    rule = forms.ChoiceField(label=_("Finding"), required=False)

    def __init__(self, *args, provinces=None, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces
        self.fields["regency"].queryset = Regency.objects.filter(province__in=self.fields["province"].queryset)
        self.fields["phase"].queryset = TrainingPhase.objects.filter(cohort=cohort)
        self.fields["rule"].choices = [("", _("All")), *((r.code, r.label) for r in roster_rules.iter_rules())]

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["province"]:
            queryset = queryset.filter(school__regency__province=data["province"])
        if data["regency"]:
            queryset = queryset.filter(school__regency=data["regency"])
        if data["level"]:
            queryset = queryset.filter(school__level=data["level"])
        if data["has_errors"]:
            queryset = queryset.filter(error_count__gt=0)
        if data["phase"]:
            queryset = queryset.filter(phase=data["phase"])
        if data["no_phase"]:
            queryset = queryset.filter(phase__isnull=True)
        if data["rule"]:
            committees = queryset.select_related("school__regency")
            queryset = queryset.filter(pk__in=roster_rules.committee_ids_with_finding(committees, code=data["rule"]))
        return queryset
