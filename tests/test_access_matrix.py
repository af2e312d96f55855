"""The access matrix: every URL pattern × every group gives the expected outcome.

The test enumerates the URL patterns itself, so a new view without a rule here fails
`test_every_url_pattern_has_a_rule`. Outcomes: a status code, or "login" (redirect to the login
page). Objects of another event, site or province are covered by the per-area scoping tests and by
the `other_*` rows below.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from participants import groups as G
from tests.factories import user_in

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, G.ADMIN_PUSAT, G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT]
PUBLIC = dict.fromkeys(ROLES, 200)

# URL names that are not views of ours to check here: Django's admin (checked by the admin tests
# through model permissions), the language switch (POST only) and log in/out.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language", "logout", "login"}


@dataclass
class Rule:
    expect: dict[str, int | str]
    kwargs: callable = field(default=lambda ctx: {})


RULES: dict[str, Rule] = {
    "events:event_list": Rule(PUBLIC),
    "events:event_detail": Rule(PUBLIC, lambda ctx: {"slug": ctx["lokakarya"].slug}),
}

# --- imports area (Excel import and export) ---
_IMPORTERS = {
    ANONYMOUS: "login",
    G.ADMIN_PUSAT: 200,
    G.PANITIA: 200,
    G.KOORDINATOR_SITE: 200,
    G.VERIFIKATOR: 403,
    G.OPERATOR_DINAS: 403,
    G.PEJABAT: 403,
}


def _someone_elses_batch(ctx) -> dict:
    from participants.models import ImportBatch

    owner = user_in(G.PANITIA, organized=[ctx["lokakarya"]])
    batch = ImportBatch.objects.create(event=ctx["lokakarya"], created_by=owner, filename="x.xlsx", data=b"")
    return {"pk": batch.pk}


RULES |= {
    "participants:import_start": Rule(_IMPORTERS),
    "participants:import_template": Rule(_IMPORTERS, lambda ctx: {"event_id": ctx["lokakarya"].pk}),
    # A batch is only ever shown to the user who uploaded it.
    "participants:import_batch": Rule(
        {**_IMPORTERS, G.ADMIN_PUSAT: 404, G.PANITIA: 404, G.KOORDINATOR_SITE: 404}, _someone_elses_batch
    ),
    "participants:registration_export": Rule({**dict.fromkeys(ROLES, 200), ANONYMOUS: "login", G.OPERATOR_DINAS: 403}),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names - SKIPPED_NAMES


def test_every_url_pattern_has_a_rule():
    missing = sorted(url_names() - set(RULES))
    assert not missing, f"URL patterns without an access rule: {missing}"


@pytest.fixture
def users(lokakarya, rakor):
    bima = lokakarya.sites.get(name="Kab. Bima")
    return {
        ANONYMOUS: None,
        G.ADMIN_PUSAT: user_in(G.ADMIN_PUSAT),
        G.PANITIA: user_in(G.PANITIA, organized=[lokakarya]),
        G.KOORDINATOR_SITE: user_in(G.KOORDINATOR_SITE, sites=[bima]),
        G.VERIFIKATOR: user_in(G.VERIFIKATOR, provinces=["52"]),
        G.OPERATOR_DINAS: user_in(G.OPERATOR_DINAS, provinces=["52"]),
        G.PEJABAT: user_in(G.PEJABAT, provinces=["52"]),
    }


def outcome(response) -> int | str:
    if response.status_code == 302 and reverse("login") in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(client, name, users, lokakarya, rakor):
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs({"lokakarya": lokakarya, "rakor": rakor}))
    results = {}
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        results[role] = outcome(client.get(url))
    assert results == {role: rule.expect[role] for role in ROLES}
