"""Fuzzing every form and endpoint an anonymous visitor can reach: any input gives a handled answer.

Hypothesis generates arbitrary text (unicode, NUL bytes, very long strings, Excel-damaged numbers such
as "3.20101E+15"), arbitrary subsets of the fields and stray extra fields. Every answer must be
200/302/400/403/404 (never a 500, never an exception), and a refused form is shown again with messages.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.services import ItemData, action_plan_create, action_plan_item_save
from tests.factories import user_in

pytestmark = pytest.mark.django_db

HANDLED = {200, 302, 400, 403, 404}
EXAMPLES = 60
CASES = {"count": 0}

_tricky = st.sampled_from(
    [
        "",
        " ",
        "3.20101E+15",
        "5201011205850001",
        "52010112058500010",
        "-1",
        "0",
        "99999999999999999999999",
        "\u00b2",
        "\u0661\u0662",
        "1e309",
        "NaN",
        "' OR '1'='1",
        "1; DROP TABLE participants_registration;--",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x","y")',
        "\x00",
        "a\x00b",
        "\u202e\u0645\u0631\u062d\u0628\u0627",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
        "2022-02-30",
        "31/12/1985",
        "x" * 5000,
        "../../etc/passwd",
        "%00%ff",
        "on",
        "L",
        "P",
    ]
)
_text = st.one_of(_tricky, st.text(max_size=300), st.text(alphabet=st.characters(codec="utf-8"), max_size=40))


@pytest.fixture(autouse=True)
def no_throttle_in_the_way(settings):
    """Each fuzzed form gets EXAMPLES requests from one address: above the throttles' limits, which have
    their own tests (tests/core/test_throttle.py); here every example must reach the form."""
    settings.THROTTLE_POST_LIMIT = settings.THROTTLE_LOOKUP_LIMIT = 10 * EXAMPLES


def _payload(fields: list[str]):
    """Any subset of the form's fields, each with a tricky value, plus maybe a stray field."""
    return st.dictionaries(st.sampled_from(fields + ["stray", "csrfmiddlewaretoken"]), _text, max_size=len(fields) + 2)


def _count_and_check(response, *, form: bool = False) -> None:
    CASES["count"] += 1
    assert response.status_code in HANDLED, (response.status_code, response.content[:500])
    if form and response.status_code == 200:
        body = response.content.decode()
        assert "<form" in body


def _clean(data: dict) -> dict:
    # The test client cannot send a NUL inside a multipart field name; values keep their NULs.
    return {key.replace("\x00", ""): value for key, value in data.items()}


REGISTER_FIELDS = [
    "full_name",
    "nik",
    "nip",
    "nip_is_pppk",
    "nuptk",
    "gender",
    "birth_date",
    "agency_type",
    "agency",
    "new_agency_name",
    "province",
    "position",
    "role",
    "phone",
    "email",
    "privacy_accepted",
    "language",
]


@pytest.fixture
def open_site(lokakarya):
    now = timezone.now()
    lokakarya.registration_opens_at = now - dt.timedelta(days=1)
    lokakarya.registration_closes_at = now + dt.timedelta(days=30)
    lokakarya.save(update_fields=["registration_opens_at", "registration_closes_at"])
    return lokakarya.sites.order_by("order").first()


def test_public_registration_form(open_site):
    url = reverse("participants:public_register", kwargs={"slug": open_site.event.slug, "site_id": open_site.pk})
    assert 'name="full_name"' in Client().get(url).content.decode()  # the form is open, so it is fuzzed

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=_payload(REGISTER_FIELDS))
    def run(data):
        _count_and_check(Client().post(url, _clean(data)), form=True)

    run()


def test_status_lookup(demo):
    url = reverse("participants:registration_status")

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(data=_payload(["code"]), method=st.sampled_from(["get", "post"]))
    def run(data, method):
        client = Client()
        response = client.post(url, _clean(data)) if method == "post" else client.get(url, _clean(data))
        _count_and_check(response, form=True)

    run()


def test_agency_options(demo):
    url = reverse("participants:agency_options")

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(data=_payload(["agency_type", "province", "agency", "q"]))
    def run(data):
        _count_and_check(Client().get(url, _clean(data)))

    run()


def test_language_switch_and_login(demo):
    @settings(max_examples=EXAMPLES, deadline=None)
    @given(
        target=st.sampled_from([reverse("set_language"), reverse("login")]),
        data=_payload(["language", "next", "username", "password"]),
    )
    def run(target, data):
        _count_and_check(Client().post(target, _clean(data)))

    run()


def test_public_pages_with_arbitrary_query_strings(lokakarya):
    urls = [
        reverse("events:event_list"),
        reverse("events:event_detail", kwargs={"slug": lokakarya.slug}),
        reverse("outcomes:practice_gallery", kwargs={"slug": lokakarya.slug}),
        reverse("participants:public_confirmation"),
        reverse("login"),
    ]

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(url=st.sampled_from(urls), data=_payload(["page", "q", "site", "province", "status", "next", "lang"]))
    def run(url, data):
        _count_and_check(Client().get(url, _clean(data)))

    run()


def test_good_practice_submission(lokakarya, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug})

    @settings_(max_examples=EXAMPLES, deadline=None)
    @given(data=_payload(["code", "title", "summary", "changes", "privacy_accepted"]), file=st.binary(max_size=2000))
    def run(data, file):
        from django.core.files.uploadedfile import SimpleUploadedFile

        payload = {**_clean(data), "files": SimpleUploadedFile("foto.jpg", file)}
        _count_and_check(Client().post(url, payload), form=True)

    run()


def test_action_plan_by_link(lokakarya):
    plan = action_plan_create(event=lokakarya, delegation="Kab. Contoh", actor=user_in("Admin pusat"))
    url = reverse("outcomes:plan_edit_by_link", kwargs={"token": plan.edit_token})
    fields = [
        "activity",
        "start_month",
        "end_month",
        "objective",
        "person_in_charge",
        "responsible_agency",
        "item",
        "action",
        "status",
        "delete",
    ]

    month = dt.date(2022, 9, 1)
    item = action_plan_item_save(
        plan=plan, actor=None, via_link=True, data=ItemData(activity="Sosialisasi", start_month=month, end_month=month)
    )

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(
        data=_payload(fields),
        action=st.sampled_from(["add", "change", "follow_up", "delete", None]),
        item_pk=st.one_of(st.just(str(item.pk)), _text),
    )
    def run(data, action, item_pk):
        data = _clean(data)
        if action:  # most cases reach the forms; the others fuzz the action and item fields themselves
            data.update(action=action, item=item_pk)
        _count_and_check(Client().post(url, data))

    run()


settings_ = settings


def test_zz_report_the_number_of_cases():
    """Printed with -s; the number the issue's evidence asks for."""
    print(f"\nfuzz cases run: {CASES['count']}")


@pytest.mark.parametrize("value", ["99999999999999999999999", "\u00b2", "\u0661\u0662", "9223372036854775808"])
def test_ids_too_large_or_not_ascii_are_no_500(open_site, value):
    """Found by this fuzz test: a 23-digit agency_type raised OverflowError on SQLite (a 500)."""
    client = Client()
    options = client.get(reverse("participants:agency_options"), {"agency_type": value, "province": value})
    assert options.status_code == 200 and options.content.decode() == '<option value="">---------</option>'
    url = reverse("participants:public_register", kwargs={"slug": open_site.event.slug, "site_id": open_site.pk})
    response = client.post(url, {"agency_type": value, "province": value, "agency": value, "full_name": "Budi"})
    assert response.status_code == 200 and 'name="full_name"' in response.content.decode()
    assert client.get(reverse("events:event_list"), {"site": value}).status_code == 200


def test_is_id():
    from core.params import MAX_ID, is_id

    assert is_id("12") and is_id(12) and is_id(str(MAX_ID))
    assert not any(is_id(v) for v in ("", None, "-1", "1.0", "\u00b2", "\u0661", str(MAX_ID + 1), " 1"))
