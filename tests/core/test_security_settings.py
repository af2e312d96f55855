"""Settings of the security probe (issue 12, finding 15 a and b), seen from a request: a client cannot claim
https without a trusted proxy; the language cookie is HttpOnly and SameSite=Lax (Secure in production:
tests/core/test_deploy_settings.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_client_cannot_claim_https_without_a_trusted_proxy(client, settings, lokakarya):
    # The suite runs with TRUSTED_PROXY_COUNT unset: the header is not trusted.
    assert settings.TRUSTED_PROXY_COUNT == 0 and settings.SECURE_PROXY_SSL_HEADER is None
    settings.SECURE_SSL_REDIRECT = True
    url = reverse("events:event_detail", args=[lokakarya.slug])
    forged = client.get(url, HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301 and forged["Location"].startswith("https://")

    # Behind a proxy (TRUSTED_PROXY_COUNT > 0 sets the header): the proxy's word is taken.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(url, HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_the_language_cookie_is_http_only_and_same_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
