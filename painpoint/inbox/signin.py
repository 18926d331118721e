"""Staff sign-in: a password, then a time-based one-time code from an authenticator app.

The first sign-in sets the app up: the page shows a QR code (drawn on the server as SVG) and the secret in
text, and the account is ready once a first code is accepted. Failed attempts are counted per user name and
per address and written to the audit trail; after too many the form refuses for a while.
"""

from __future__ import annotations

import io

import pyotp
import segno
from django import forms
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from painpoint.inbox.access import (
    PENDING_KEY,
    SEEN_KEY,
    VERIFIED_KEY,
    check_code,
    record_failure,
    safe_next,
    throttled,
)
from painpoint.inbox.models import AuditEvent, StaffDevice, audit
from painpoint.lib.ratelimit import client_address

TOO_MANY = "Too many failed attempts. Please wait 15 minutes and try again, or ask your clinic admin."


class PasswordForm(forms.Form):
    username = forms.CharField(label="User name", max_length=150)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _pending_user(request: HttpRequest) -> object | None:
    pk = request.session.get(PENDING_KEY)
    if pk is None:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


@never_cache
@sensitive_post_parameters("password", "code")
def sign_in(request: HttpRequest) -> HttpResponse:
    address = client_address(request)
    user = _pending_user(request)
    if user is not None:
        return _second_step(request, user, address)
    form = PasswordForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if throttled(username, address):
            error = TOO_MANY
        else:
            found = authenticate(request, username=username, password=form.cleaned_data["password"])
            if found is None:
                record_failure(username, address)
                audit(None, AuditEvent.SIGN_IN_FAILED, detail="wrong user name or password")
                error = "That user name and password do not match."
            else:
                request.session.cycle_key()
                request.session[PENDING_KEY] = found.pk
                return redirect(request.get_full_path())
    context = {
        "form": form,
        "error": error,
        "expired": request.GET.get("expired") == "1",
        "stage": "password",
    }
    return render(request, "inbox/sign_in.html", context)


def _second_step(request: HttpRequest, user: object, address: str) -> HttpResponse:
    device, _ = StaffDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    setting_up = device.confirmed_at is None
    form = CodeForm(request.POST or None)
    error = ""
    username = user.get_username()  # type: ignore[attr-defined]
    if request.method == "POST" and request.POST.get("cancel"):
        request.session.pop(PENDING_KEY, None)
        return redirect("inbox:sign-in")
    if request.method == "POST" and form.is_valid():
        if throttled(username, address):
            error = TOO_MANY
        elif check_code(device, form.cleaned_data["code"]):
            if setting_up:
                device.confirmed_at = timezone.now()
                device.save(update_fields=["confirmed_at"])
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
            request.session[VERIFIED_KEY] = user.pk  # type: ignore[attr-defined]
            request.session[SEEN_KEY] = timezone.now().timestamp()
            audit(user, AuditEvent.SIGN_IN)
            return redirect(safe_next(request, "/staff/"))
        else:
            record_failure(username, address)
            audit(user, AuditEvent.SIGN_IN_FAILED, detail="wrong one-time code")
            error = "That code is not right. Codes change every 30 seconds; try the newest one."
    context = {"form": form, "error": error, "stage": "code", "setting_up": setting_up}
    if setting_up:
        uri = pyotp.TOTP(device.secret).provisioning_uri(name=username, issuer_name="Painpoint")
        buffer = io.BytesIO()
        segno.make(uri, error="m").save(
            buffer, kind="svg", scale=5, xmldecl=False, svgns=True, title="QR code"
        )
        context.update(
            qr_svg=buffer.getvalue(), secret=" ".join(device.secret[i : i + 4] for i in range(0, 32, 4))
        )
    return render(request, "inbox/sign_in.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit(request.user, AuditEvent.SIGN_OUT)
    logout(request)
    return redirect("inbox:sign-in")
