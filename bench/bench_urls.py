"""Two views for the registration benchmark, served under the same gunicorn and middleware.

- ``register``: what the public self-registration does with a POST: a form with the same fields,
  then ``registration_create`` (quota row lock, person lookup, duplicate guard, audit entry).
- ``bare``: one INSERT and nothing else, the floor that the registration path is compared to.

CSRF is off: these URLs exist only in bench/settings_bench.py, served on 127.0.0.1 by the benchmark.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.identifiers import nik_validator, normalize_phone, validate_nik
from core.models import AuditEntry
from events.models import EventSite, Province, Role
from participants.models import Registration
from participants.services import PersonData, RegistrationError, registration_create

BENCH_EVENT_SLUG = "bench-pendaftaran-mandiri"


class SelfRegistrationForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=EventSite.objects.filter(event__slug=BENCH_EVENT_SLUG).select_related("event")
    )
    role = forms.ModelChoiceField(queryset=Role.objects.filter(program__events__slug=BENCH_EVENT_SLUG))
    full_name = forms.CharField(max_length=200)
    nik = forms.CharField(max_length=20, validators=[nik_validator])
    gender = forms.ChoiceField(choices=[("", ""), ("L", "L"), ("P", "P")], required=False)
    position = forms.CharField(max_length=200, required=False)
    province = forms.ModelChoiceField(queryset=Province.objects.all(), to_field_name="code", required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(required=False)
    consent = forms.BooleanField()

    def clean_nik(self):
        return validate_nik(self.cleaned_data["nik"]).value

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""
        result = normalize_phone(phone)
        if not result.ok:
            raise forms.ValidationError(result.errors[0].message)
        return result.value


@csrf_exempt
@require_POST
def register(request):
    form = SelfRegistrationForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    data = form.cleaned_data
    person = PersonData(
        full_name=data["full_name"],
        nik=data["nik"],
        gender=data["gender"],
        position=data["position"],
        province=data["province"],
        phone=data["phone"],
        email=data["email"],
    )
    try:
        registration = registration_create(
            site=data["site"], role=data["role"], person_data=person, source=Registration.Source.SELF
        )
    except RegistrationError as error:
        return HttpResponse(str(error.message), status=409, content_type="text/plain")
    return HttpResponse(registration.code, status=201, content_type="text/plain")


@csrf_exempt
@require_POST
def bare(request):
    entry = AuditEntry.objects.create(
        action="bench.bare", content_type=ContentType.objects.get_for_model(AuditEntry), object_id="0"
    )
    return HttpResponse(str(entry.pk), status=201, content_type="text/plain")


urlpatterns = [
    path("bench/register/", register, name="bench_register"),
    path("bench/bare/", bare, name="bench_bare"),
]
