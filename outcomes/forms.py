"""Forms of the outcomes area: the responsibility matrix, rencana aksi, good practices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import AgencyType, Province
from outcomes.models import ActionPlanItem, ResponsibilityMatrix
from outcomes.services import MatrixRow

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]
NEW_MATRIX_ROWS = 3


class MatrixCreateForm(forms.Form):
    agency_types = forms.ModelMultipleChoiceField(
        label=_("Agency types (columns)"),
        queryset=AgencyType.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )


class MatrixAgreeForm(forms.Form):
    note = forms.CharField(
        label=_("Agreed by"),
        max_length=300,
        required=False,
        help_text=_("E.g. the delegations of the three regionals, in the plenary of 22 May."),
    )


def matrix_grid(matrix: ResponsibilityMatrix, data=None) -> tuple[list, list[dict]]:
    """The columns and the rows of the edit screen (existing rows, then empty ones), with posted values."""
    columns = list(matrix.columns.select_related("agency_type"))
    cells = {}
    for responsibility in matrix.responsibilities.prefetch_related("cells"):
        cells[responsibility.pk] = (responsibility, {c.column_id: c.text for c in responsibility.cells.all()})
    rows = []
    keys = [f"r{pk}" for pk in cells] + [f"n{i}" for i in range(NEW_MATRIX_ROWS)]
    for key in keys:
        responsibility, texts = cells.get(int(key[1:]), (None, {})) if key.startswith("r") else (None, {})
        title = responsibility.title if responsibility else ""
        if data is not None:
            title = data.get(f"title-{key}", "")
            texts = {column.pk: data.get(f"cell-{key}-{column.pk}", "") for column in columns}
        rows.append(
            {
                "key": key,
                "title": title,
                "delete": data is not None and bool(data.get(f"delete-{key}")),
                "existing": responsibility is not None,
                "cells": [(column, f"cell-{key}-{column.pk}", texts.get(column.pk, "")) for column in columns],
            }
        )
    return columns, rows


def matrix_rows_from_post(data, rows: list[dict]) -> list[MatrixRow]:
    result = []
    for row in rows:
        key = row["key"]
        result.append(
            MatrixRow(
                id=int(key[1:]) if key.startswith("r") else None,
                title=row["title"][:200],
                cells={column.pk: text[:1000] for column, _name, text in row["cells"]},
                delete=row["delete"],
            )
        )
    return result


class ActionPlanCreateForm(forms.Form):
    delegation = forms.CharField(label=_("Delegation"), max_length=200, help_text=_("A province, or an agency."))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["province"].queryset = Province.objects.filter(served_by_sites__event=event).distinct()


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class ActionPlanItemForm(forms.Form):
    activity = forms.CharField(label=_("Activity"), max_length=300)
    objective = forms.CharField(
        label=_("Objective / indicator"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_month = forms.DateField(label=_("From month"), input_formats=MONTH_FORMATS, widget=MonthInput())
    end_month = forms.DateField(label=_("To month"), input_formats=MONTH_FORMATS, widget=MonthInput())
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=200, required=False)
    responsible_agency = forms.CharField(label=_("Responsible agency"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_month"), cleaned.get("end_month")
        if start and end and end.replace(day=1) < start.replace(day=1):
            self.add_error("end_month", _("The activity cannot end before it starts."))
        return cleaned


class EditLinkForm(forms.Form):
    """The last day a new edit link works (empty: the default rule of outcomes.services)."""

    last_day = forms.DateField(
        label=_("The new link works until (last day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, first=None, last=None, **kwargs):
        super().__init__(*args, **kwargs)
        if first and last:
            self.fields["last_day"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlanItem.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class GoodPracticeForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=16,
        help_text=_("The code on your registration receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    title = forms.CharField(label=_("Title of the good practice"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    changes = forms.CharField(
        label=_("What changed at your school"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(
        label=_("Photos or document"),
        help_text=_("Up to 3 photos (JPEG or PNG, at most 5 MB each) and/or one PDF document (at most 10 MB)."),
    )
