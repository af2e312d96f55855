"""Forms of the roster area: a committee with its members (a formset), an import, the verifikator's decisions."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Province, Regency, TrainingPhase
from participants.models import School
from rosters import rules as roster_rules
from rosters.models import Committee, CommitteeDecision, Position
from rosters.selectors import queue_scope


class CommitteeSchoolForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    submit = forms.BooleanField(label=_("Submit to the verifikator now"), required=False, initial=True)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else School.objects.none()


class MemberForm(forms.Form):
    """One member. To a user who may not see them, a saved member's identifiers come masked; `kept` maps the
    member (`ref`, its id) to {field: (masked value shown, stored value)}: sent back as shown, the stored value
    is kept (a masked value never reaches the rules, and the user never sees the number)."""

    MASKED_FIELDS = ("nik", "nip", "nuptk")

    ref = forms.CharField(required=False, widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Full name with academic titles"), max_length=200)
    position = forms.ChoiceField(label=_("Position"), choices=[("", "—"), *Position.choices])
    class_taught = forms.CharField(label=_("Class or subject taught"), max_length=100, required=False)
    nik = forms.CharField(label="NIK", max_length=30, required=False)
    nip = forms.CharField(label="NIP", max_length=30, required=False)
    nip_is_pppk = forms.BooleanField(label=_("This is an NI PPPK (contract civil servant)"), required=False)
    nuptk = forms.CharField(label="NUPTK", max_length=30, required=False)

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept or {}

    def clean(self):
        cleaned = super().clean()
        kept = self.kept.get(cleaned.get("ref") or "", {})
        for name, (shown, stored) in kept.items():
            if shown and cleaned.get(name) == shown:
                cleaned[name] = stored
        return cleaned

    def member_values(self) -> dict:
        """What the rules and the save read (the form's bookkeeping left out)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("ref", "DELETE")}


MemberFormSet = forms.formset_factory(MemberForm, extra=6, max_num=12, validate_max=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    submit = forms.BooleanField(label=_("Submit the committees to the verifikator"), required=False, initial=True)


class ValidateForm(forms.Form):
    acknowledge = forms.BooleanField(label=_("I have read the warnings and accept them"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}))
    to = forms.ChoiceField(
        label=_("Return to"), choices=CommitteeDecision.ReturnTo.choices, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, level=None, **kwargs):
        super().__init__(*args, **kwargs)
        if level is not None:
            allowed = level.returns_to
            self.fields["to"].choices = [(v, label) for v, label in CommitteeDecision.ReturnTo.choices if v in allowed]
            self.fields["to"].initial = allowed[-1] if allowed else None


class TahapForm(forms.Form):
    phase = forms.ModelChoiceField(label=_("Tahap"), queryset=TrainingPhase.objects.none(), required=False)

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = TrainingPhase.objects.filter(cohort=cohort)


class CommitteeFilter(django_filters.FilterSet):
    """The filters of the committee list; the list page and its Excel downloads share this one definition
    (django-filter, like the registration list)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Committee.Status.choices, empty_label=_("All"))
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="school__regency__province", queryset=Province.objects.all()
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency/city"), field_name="school__regency", queryset=Regency.objects.none()
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), field_name="school__level", choices=School.Level.choices, empty_label=_("All")
    )
    has_errors = django_filters.BooleanFilter(
        label=_("Has errors"), method="filter_has_errors", widget=forms.CheckboxInput
    )
    phase = django_filters.ModelChoiceFilter(label=_("Tahap"), queryset=TrainingPhase.objects.none())
    no_phase = django_filters.BooleanFilter(
        label=_("No Tahap yet"), method="filter_no_phase", widget=forms.CheckboxInput
    )
    rule = django_filters.ChoiceFilter(label=_("Finding"), method="filter_rule", empty_label=_("All"))
    waiting_at = django_filters.ChoiceFilter(
        label=_("Waiting at level"), method="filter_waiting_at", empty_label=_("All")
    )
    queue = django_filters.BooleanFilter(
        label=_("Waiting for my decision"), method="filter_queue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Committee
        fields = ["status", "province", "regency", "level", "has_errors", "phase", "no_phase", "rule"]

    def __init__(self, data=None, *args, provinces=None, cohort=None, chain=None, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.chain = chain or []
        self.user = user
        self.filters["waiting_at"].extra["choices"] = [(str(level.order), str(level)) for level in self.chain]
        if provinces is not None:
            self.filters["province"].queryset = provinces
        self.filters["regency"].queryset = Regency.objects.filter(province__in=self.filters["province"].queryset)
        self.filters["phase"].queryset = TrainingPhase.objects.filter(cohort=cohort)
        self.filters["rule"].extra["choices"] = [(r.code, r.label) for r in roster_rules.iter_rules()]

    def filter_has_errors(self, queryset, name, value):
        return queryset.filter(error_count__gt=0) if value else queryset

    def filter_no_phase(self, queryset, name, value):
        return queryset.filter(phase__isnull=True) if value else queryset

    def filter_waiting_at(self, queryset, name, value):
        return queryset.filter(status=Committee.Status.SUBMITTED, level=int(value)) if value else queryset

    def filter_queue(self, queryset, name, value):
        """The committees waiting at a level where this user decides (its scope at that level)."""
        if not value or self.user is None:
            return queryset
        return queryset.filter(queue_scope(self.user, self.chain))

    def filter_rule(self, queryset, name, value):
        """Committees with a finding of rule `value`, computed now by the rule engine (constant queries)."""
        committees = queryset.select_related("school__regency")
        return queryset.filter(pk__in=roster_rules.committee_ids_with_finding(committees, code=value))
