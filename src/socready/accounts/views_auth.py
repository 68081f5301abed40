"""Sign-in with an optional second factor, and turning the second factor on and off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from socready.accounts import totp
from socready.accounts.models import User

PENDING_USER = "socready_2fa_user"
PENDING_NEXT = "socready_2fa_next"
SETUP_SECRET = "socready_2fa_setup"  # noqa: S105 - a session key name, not a secret
BACKEND = "django.contrib.auth.backends.ModelBackend"


class CodeForm(forms.Form):
    code = forms.CharField(max_length=10, label="Code from your authenticator app",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class TwoStepLoginView(LoginView):
    """Password first; people with a second factor then give a code before they are signed in."""

    redirect_authenticated_user = True

    def form_valid(self, form: forms.Form) -> HttpResponse:
        user = form.get_user()  # type: ignore[attr-defined]
        if not user.totp_secret:
            return super().form_valid(form)
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_NEXT] = self.get_success_url()
        return redirect("login-2fa")


def login_second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the person who just gave a correct password."""
    user = User.objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()
    if user is None:
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.verify(user.totp_secret, form.cleaned_data["code"]):
            target = request.session.get(PENDING_NEXT) or "/"
            login(request, user, backend=BACKEND)  # rotates the session, dropping the pending keys
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return HttpResponseRedirect(target)
        form.add_error("code", "That code is not right; codes change every 30 seconds.")
    return render(request, "registration/login_2fa.html", {"form": form})


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm a code) or off (confirm a code)."""
    user: User = request.user  # type: ignore[assignment]
    form = CodeForm(request.POST or None)
    if user.totp_secret:
        if request.method == "POST" and form.is_valid():
            if totp.verify(user.totp_secret, form.cleaned_data["code"]):
                user.totp_secret = ""
                user.save(update_fields=["totp_secret"])
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("two-factor")
            form.add_error("code", "That code is not right.")
        return render(request, "registration/two_factor.html", {"form": form, "enabled": True})
    secret = request.session.get(SETUP_SECRET) or totp.new_secret()
    request.session[SETUP_SECRET] = secret
    if request.method == "POST" and form.is_valid():
        if totp.verify(secret, form.cleaned_data["code"]):
            user.totp_secret = secret
            user.save(update_fields=["totp_secret"])
            del request.session[SETUP_SECRET]
            messages.success(request, "Two-factor sign-in is on.")
            return redirect("two-factor")
        form.add_error("code", "That code is not right; check the clock of your device.")
    return render(request, "registration/two_factor.html", {
        "form": form, "enabled": False, "secret": secret, "uri": totp.provisioning_uri(secret, user.email)})
