"""People: the members of an organization, invitations by email link, and accepting one.

Who may give, change or take away which role is decided in ``roles`` and applied by ``services``; these
views only turn a refusal into a message and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from socready.accounts import roles, services
from socready.accounts.access import TenantAccess, resolve_tenant
from socready.accounts.models import Invitation, Membership, Role, User
from socready.accounts.roles import RoleRefused


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CONTRIBUTOR)

    def __init__(self, *args: Any, actor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_role = actor_role
        # Offer only the roles this person may give; a hand-made POST of another one gets a clear error.
        allowed = roles.grantable_roles(actor_role)
        self.fields["role"].widget.choices = [c for c in Role.choices if c[0] in allowed]

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        try:
            roles.check_grant(self.actor_role, role)
        except RoleRefused as refused:
            raise forms.ValidationError(f"You cannot invite with this role: {refused}.") from None
        return role


class JoinForm(forms.Form):
    """A new person choosing a password when they accept an invitation."""

    name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(widget=forms.PasswordInput, min_length=10)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


def _people_page(request: HttpRequest, access: TenantAccess, form: InviteForm, status: int = 200) -> HttpResponse:
    org = access.organization
    actor_role = access.membership.role
    members = list(Membership.objects.filter(organization=org).select_related("user").order_by("user__email"))
    return render(request, "accounts/members.html", {
        **access.context(), "form": form, "members": members,
        # The people page offers a change or removal only where the rules would allow it.
        "manageable": {m.pk for m in members if roles.may_change(actor_role, m.role)},
        "grantable": [c for c in Role.choices if c[0] in roles.grantable_roles(actor_role)],
        "invitations": [i for i in Invitation.objects.filter(organization=org, accepted_at=None) if i.is_open],
    }, status=status)


def _refused(request: HttpRequest, access: TenantAccess, refused: RoleRefused) -> HttpResponse:
    messages.error(request, f"Nothing was changed: {refused}.")
    return _people_page(request, access, InviteForm(actor_role=access.membership.role), status=403)


@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Members and open invitations; owners and admins invite (POST) with a role no higher than their own."""
    access = resolve_tenant(request, slug, "manage" if request.method == "POST" else "read")
    org = access.organization
    form = InviteForm(request.POST or None, actor_role=access.membership.role)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(access.membership, form.cleaned_data["email"], form.cleaned_data["role"])
        except RoleRefused as refused:
            return _refused(request, access, refused)
        link = settings.SITE_URL.rstrip("/") + reverse("invitation-accept", args=[invitation.token])
        send_mail(f"You are invited to {org.name} on socready",
                  f"{request.user} invited you to join {org.name} as {invitation.get_role_display()}.\n\n"
                  f"Accept within 7 days: {link}\n", None, [invitation.email])
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect("member-list", slug=slug)
    return _people_page(request, access, form)


def _change_member(request: HttpRequest, slug: str, pk: int,
                   change: Callable[[TenantAccess], Membership], done: Callable[[Membership], str]) -> HttpResponse:
    """Apply one change to a member of this organization (POST only), or show why it was refused."""
    access = resolve_tenant(request, slug, "manage")
    if not Membership.objects.filter(pk=pk, organization=access.organization).exists():
        raise Http404("no such member")
    if request.method != "POST":
        return redirect("member-list", slug=slug)
    try:
        membership = change(access)
    except RoleRefused as refused:
        return _refused(request, access, refused)
    messages.success(request, done(membership))
    return redirect("member-list", slug=slug)


@login_required
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Give a member another role (POST; owners and admins, never above their own role)."""
    return _change_member(
        request, slug, pk, lambda access: services.change_role(access.membership, pk, request.POST.get("role", "")),
        lambda m: f"{m.user.email} is now {m.get_role_display()}.")


@login_required
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a member (POST; owners and admins). Admins cannot remove owners; the last owner stays."""
    return _change_member(request, slug, pk, lambda access: services.remove_member(access.membership, pk),
                          lambda m: f"Removed {m.user.email}.")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join through an invitation link: signed-in people join at once; new people choose a password."""
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise Http404("this invitation is not valid any more")
    existing = User.objects.filter(email=invitation.email).first()
    if request.user.is_authenticated and request.user.email != invitation.email:
        messages.error(request, f"This invitation is for {invitation.email}; sign out and open the link again.")
        return redirect("home")
    reason = services.invitation_refusal(invitation)
    if reason is not None:
        return _invitation_refused(request, invitation, reason)
    if existing is not None and not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    form = JoinForm(request.POST or None)
    if existing is not None or (request.method == "POST" and form.is_valid()):
        try:
            with transaction.atomic():
                user = existing
                if user is None:
                    first, _, last = form.cleaned_data["name"].partition(" ")
                    user = User.objects.create_user(email=invitation.email, password=form.cleaned_data["password"],
                                                    first_name=first, last_name=last)
                services.accept_invitation(invitation, user)
        except RoleRefused as refused:  # the sender lost the right to give this role a moment ago
            return _invitation_refused(request, invitation, str(refused))
        if not request.user.is_authenticated:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("org-dashboard", slug=invitation.organization.slug)
    return render(request, "accounts/join.html", {"invitation": invitation, "form": form})


def _invitation_refused(request: HttpRequest, invitation: Invitation, reason: str) -> HttpResponse:
    return render(request, "accounts/join.html", {"invitation": invitation, "refused": reason}, status=403)
