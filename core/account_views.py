"""Account pages: log-in with the optional token step, two-factor set-up and removal, password change."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import two_factor


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code is 6 digits."))
        return token


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    """Django's log-in; a user with a confirmed device goes on to the token step."""

    def get_success_url(self):
        url = super().get_success_url()
        if self.request.session.get(two_factor.SESSION_TOKEN_REQUIRED):
            return f"{reverse('two_factor_verify')}?{urlencode({'next': url})}"
        return url


@login_required
def two_factor_verify(request):
    """The second log-in step."""
    if not two_factor.token_required(request):
        return redirect(_safe_next(request, reverse("events:event_list")))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.session_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request, reverse("events:event_list")))
        form.add_error("token", _("The code is wrong or has expired. Enter the current code from the app."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def two_factor_setup(request):
    """Set up a TOTP device: scan the QR code (or type the secret), confirm with a first code."""
    if not two_factor.may_use_two_factor(request.user):
        raise PermissionDenied
    device = two_factor.confirmed_device(request.user)
    if device is not None:
        return render(request, "registration/two_factor_setup.html", {"device": device, "form": TokenForm()})
    pending = two_factor.device_for_setup(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.device_confirm(request=request, device=pending, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor login is active. From now on you log in with a code from the app."))
            return redirect("two_factor_setup")
        form.add_error("token", _("The code is wrong or has expired. Enter the current code from the app."))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_data_uri(pending),
            # Base32 in groups of 4, easier to type into an app by hand.
            "secret": " ".join(_groups_of_four(_base32(pending))),
        },
    )


def _base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


def _groups_of_four(text: str) -> list[str]:
    return [text[i : i + 4] for i in range(0, len(text), 4)]


@login_required
@require_POST
def two_factor_remove(request):
    if not two_factor.may_use_two_factor(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST)
    if form.is_valid() and two_factor.device_remove(request=request, token=form.cleaned_data["token"]):
        messages.success(request, _("Two-factor login is turned off."))
    else:
        messages.error(request, _("The device was not removed: enter the current code from the app."))
    return redirect("two_factor_setup")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; it keeps this session and ends every other one of the user."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
