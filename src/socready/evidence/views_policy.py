"""The organization's sampling policy page: everyone reads it, owners and admins change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socready.accounts.access import Need, resolve_tenant
from socready.core.sampling.draw import DEFAULT_POLICY
from socready.evidence.sampling_policy import PolicyForm, policy_for, save_policy


@login_required
def sampling_policy(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the sample sizes new samples will use; a manager may change them or go back to the defaults."""
    need: Need = "manage" if request.method == "POST" else "read"
    access = resolve_tenant(request, slug, need=need)
    org = access.organization
    if request.method == "POST" and request.POST.get("reset"):
        save_policy(org, None)
        messages.success(request, "Sampling policy reset to the defaults.")
        return redirect("sampling-policy", slug=slug)
    policy = policy_for(org)
    form = PolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        save_policy(org, form.to_policy())
        messages.success(request, "Sampling policy saved. It applies to samples drawn from now on.")
        return redirect("sampling-policy", slug=slug)
    return render(request, "evidence/sampling_policy.html", {
        **access.context(), "form": form, "customised": policy != DEFAULT_POLICY,
    })
