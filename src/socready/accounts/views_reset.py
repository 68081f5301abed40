"""Password reset with a limit on e-mails: per address asked for and per client, over a sliding hour.

Past a limit the page says the same as always ("if the address has an account, a message is on its
way"), so the limit tells nobody whether an address has an account; the message is simply not sent.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect

from socready.accounts import throttle
from socready.accounts.models import PasswordResetRequest

RESET_WINDOW = timedelta(hours=1)


def reset_allowed(account: str, client: str) -> bool:
    """Whether another reset e-mail may go to ``account`` for a request from ``client`` within the hour."""
    since = throttle.clock() - RESET_WINDOW
    recent = PasswordResetRequest.objects.filter(at__gt=since)
    if recent.filter(account=account, sent=True).count() >= settings.RESET_MAX_PER_ACCOUNT:
        return False
    return recent.filter(client=client).count() < settings.RESET_MAX_PER_ADDRESS


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending at most RESET_MAX_PER_ACCOUNT messages an hour to one address."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        account = throttle.account_key(form.cleaned_data["email"])
        client = throttle.client_address(self.request)
        allowed = reset_allowed(account, client)
        PasswordResetRequest.objects.create(at=throttle.clock(), account=account, client=client, sent=allowed)
        if allowed:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
