"""Login plumbing: the client IP for django-axes, and optional TOTP two-factor (django-otp).

A user with a confirmed TOTP device logs in with the password first; until the token is entered the
session is authenticated but not verified (`request.user.is_verified()` is False), and
`RequireVerifiedMiddleware` sends every request of it, admin included, to the token page.

Which users may set up a device is a domain rule: `settings.TWO_FACTOR_ELIGIBLE` names the function
(events.groups), so core imports no domain module.
"""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.audit import record

# Set at login: whether this session must pass the token step, and whether the user may set up a
# device (the navbar link); kept in the session so pages pay no extra query for them.
SESSION_TOKEN_REQUIRED = "two_factor_required"  # noqa: S105  (a session key name, not a secret)
SESSION_ELIGIBLE = "two_factor_eligible"
# The secret of a device being set up, until its first code is posted.
SESSION_SETUP_KEY = "two_factor_setup_key"


def client_ip(request: HttpRequest) -> str | None:
    """The client address for lockouts: REMOTE_ADDR, or the address our own proxies saw.

    Each of TRUSTED_PROXY_COUNT proxies appends the address it received the request from to
    X-Forwarded-For, so the client is that many entries from the end; anything before it may be
    forged by the client and is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def may_use_two_factor(user) -> bool:
    return bool(import_string(settings.TWO_FACTOR_ELIGIBLE)(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@receiver(user_logged_in)
def _remember_whether_token_is_required(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TOKEN_REQUIRED] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        request.session[SESSION_ELIGIBLE] = may_use_two_factor(user)


def token_required(request: HttpRequest) -> bool:
    """True while a user with a confirmed device has not entered its token in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get(SESSION_TOKEN_REQUIRED):
        return False
    return not user.is_verified()


class RequireVerifiedMiddleware:
    """Until the token is entered, only the token page, log-out, language switch and static files open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if token_required(request):
            allowed = {reverse("two_factor_verify"), reverse("logout"), reverse("set_language")}
            if request.path not in allowed and not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('two_factor_verify')}?{query}")
        return self.get_response(request)


def device_for_setup(request: HttpRequest) -> TOTPDevice:
    """The device being set up: the user's unconfirmed one once a code was tried, else a new one not saved yet.

    Showing the set-up page writes nothing (a GET): the new device's secret waits in the session, so reloading
    the page keeps the same secret; the device is saved when its first code is posted (`device_confirm`).
    """
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is not None:
        return device
    key = request.session.get(SESSION_SETUP_KEY)
    if not key:
        key = request.session[SESSION_SETUP_KEY] = default_key()
    return TOTPDevice(user=request.user, name="TOTP", key=key, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code, drawn on the server (no third-party QR service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def device_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with its first token; the session counts as verified from then on. The device is
    saved first, confirmed or not: django-otp counts wrong codes on it (throttling)."""
    if device.pk is None:
        device.save()
    if not device.verify_token(token):
        return False
    request.session.pop(SESSION_SETUP_KEY, None)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        record(actor=request.user, action="two_factor.enabled", target=request.user)
    otp_login(request, device)
    request.session[SESSION_TOKEN_REQUIRED] = True
    return True


def _device_accepting(user, token: str) -> TOTPDevice | None:
    """The user's confirmed device if `token` is a current code of it, else None."""
    device = confirmed_device(user)
    return device if device is not None and device.verify_token(token) else None


def device_remove(*, request: HttpRequest, token: str) -> bool:
    """Remove the user's device, only with a current token from it (a stolen session is not enough)."""
    if _device_accepting(request.user, token) is None:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        record(actor=request.user, action="two_factor.disabled", target=request.user)
    request.session[SESSION_TOKEN_REQUIRED] = False
    return True


def session_verify(*, request: HttpRequest, token: str) -> bool:
    """The second login step: a token of the user's confirmed device marks the session verified."""
    device = _device_accepting(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    return True


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' lockout: an Indonesian page (HTTP 429) for our log-in and the admin's alike."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/lockout.html", context, status=429)
