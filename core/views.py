"""The audit-log view: read-only, searchable, for Admin pusat (who holds core.view_auditentry) only."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry
from core.selectors import audit_entries

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("By (user name)"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    content_type = forms.ModelChoiceField(label=_("Object type"), queryset=ContentType.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Reason contains"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = AuditEntry.objects.values("content_type_id").distinct()
        self.fields["content_type"].queryset = ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


@login_required
def audit_list(request):
    if not request.user.has_perm("core.view_auditentry"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor": data["actor"],
            "action": data["action"],
            "content_type_id": data["content_type"].pk if data["content_type"] else None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "text": data["text"],
        }
    page = Paginator(audit_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
