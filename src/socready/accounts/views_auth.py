"""Sign-in with an optional second factor and limits on guessing, and turning the second factor on and off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from socready.accounts import throttle, totp
from socready.accounts.access import signed_in_user
from socready.accounts.models import SignInStep, User

PENDING_USER = "socready_2fa_user"
PENDING_NEXT = "socready_2fa_next"
SETUP_SECRET = "socready_2fa_setup"  # noqa: S105 - a session key name, not a secret
BACKEND = "django.contrib.auth.backends.ModelBackend"


class CodeForm(forms.Form):
    code = forms.CharField(max_length=10, label="Code from your authenticator app",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def _paused(request: HttpRequest, template: str | Sequence[str], context: dict[str, object],
            pause: throttle.Pause) -> HttpResponse:
    """The page again with the pause explained, as 429 Too Many Requests with a Retry-After header."""
    response = render(request, template, {**context, "paused": pause.message()}, status=429)
    response["Retry-After"] = str(pause.seconds_left())
    return response


class TwoStepLoginView(LoginView):
    """Password first; people with a second factor then give a code before they are signed in.

    Wrong passwords are counted per account and per client address; past the limit every attempt is refused
    for a while, before the password is even checked (see ``throttle``).
    """

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = throttle.account_key(request.POST.get("username", ""))
        pause = throttle.current_pause(account, throttle.client_address(request))
        if pause is not None:
            # An unbound form: showing a bound one would check the password after all.
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")})
            return _paused(request, self.get_template_names(), self.get_context_data(form=form), pause)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username, password = self.request.POST.get("username", ""), self.request.POST.get("password", "")
        if username.strip() and password:  # an empty field is a slip, not a guess
            account = throttle.account_key(username)
            pause = throttle.record_failure(SignInStep.PASSWORD, account, throttle.client_address(self.request),
                                            user=User.objects.filter(email=account).first())
            if pause is not None:
                return _paused(self.request, self.get_template_names(), self.get_context_data(form=form), pause)
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not user.totp_secret:
            throttle.record_success(throttle.account_key(user.email))
            return super().form_valid(form)
        # The count is cleared only once the code is right too, or a known password would reset it between
        # guesses of the code.
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_NEXT] = self.get_success_url()
        return redirect("login-2fa")


def login_second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the person who just gave a correct password; wrong codes count like wrong passwords."""
    pending = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending is not None else None
    if user is None:
        return redirect("login")
    template = "registration/login_2fa.html"
    account, client = throttle.account_key(user.email), throttle.client_address(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        pause = throttle.current_pause(account, client)
        if pause is not None:
            return _paused(request, template, {"form": CodeForm()}, pause)
    if request.method == "POST" and form.is_valid():
        if user.use_totp_code(form.cleaned_data["code"]):
            throttle.record_success(account)
            target = request.session.get(PENDING_NEXT) or "/"
            login(request, user, backend=BACKEND)  # rotates the session, dropping the pending keys
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return HttpResponseRedirect(target)
        pause = throttle.record_failure(SignInStep.CODE, account, client, user=user)
        if pause is not None:
            return _paused(request, template, {"form": CodeForm()}, pause)
        form.add_error("code", "That code is not right; codes change every 30 seconds.")
    return render(request, template, {"form": form})


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in goes through the same page as everyone's, so its guessing limits and second factor apply.

    Django's admin has its own password form, which would check neither.
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    target = target or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    if request.user.is_active and request.user.is_staff:
        return HttpResponseRedirect(target)
    raise PermissionDenied("this account may not use the admin")


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm a code) or off (confirm a code)."""
    user = signed_in_user(request)
    form = CodeForm(request.POST or None)
    if user.totp_secret:
        # Turning it off proves the second factor, so the guesses count as at sign-in: a borrowed session
        # must not be able to try every code.
        account, client = throttle.account_key(user.email), throttle.client_address(request)
        pause = throttle.current_pause(account, client) if request.method == "POST" else None
        if pause is None and request.method == "POST" and form.is_valid():
            if user.use_totp_code(form.cleaned_data["code"]):
                throttle.record_success(account)
                user.totp_secret = ""
                user.save(update_fields=["totp_secret"])
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("two-factor")
            pause = throttle.record_failure(SignInStep.CODE, account, client, user=user)
            form.add_error("code", "That code is not right.")
        if pause is not None:
            return _paused(request, "registration/two_factor.html", {"form": CodeForm(), "enabled": True}, pause)
        return render(request, "registration/two_factor.html", {"form": form, "enabled": True})
    secret = request.session.get(SETUP_SECRET) or totp.new_secret()
    request.session[SETUP_SECRET] = secret
    if request.method == "POST" and form.is_valid():
        step = totp.matched_step(secret, form.cleaned_data["code"])
        if step is not None:
            # The confirming code counts as used: it cannot sign in a moment later.
            user.totp_secret, user.totp_last_step = secret, step
            user.save(update_fields=["totp_secret", "totp_last_step"])
            del request.session[SETUP_SECRET]
            messages.success(request, "Two-factor sign-in is on.")
            return redirect("two-factor")
        form.add_error("code", "That code is not right; check the clock of your device.")
    return render(request, "registration/two_factor.html", {
        "form": form, "enabled": False, "secret": secret, "uri": totp.provisioning_uri(secret, user.email)})
