"""People: the members of an organization, invitations by email link, and accepting one."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.accounts.models import Invitation, Membership, Role, User


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CONTRIBUTOR)


class JoinForm(forms.Form):
    """A new person choosing a password when they accept an invitation."""

    name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(widget=forms.PasswordInput, min_length=10)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Members and open invitations; owners and admins invite (POST)."""
    access = resolve_tenant(request, slug, "manage" if request.method == "POST" else "read")
    org = access.organization
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = Invitation.objects.create(organization=org, email=form.cleaned_data["email"].lower(),
                                               role=form.cleaned_data["role"], invited_by=request.user)
        link = settings.SITE_URL.rstrip("/") + reverse("invitation-accept", args=[invitation.token])
        send_mail(f"You are invited to {org.name} on socready",
                  f"{request.user} invited you to join {org.name} as {invitation.get_role_display()}.\n\n"
                  f"Accept within 7 days: {link}\n", None, [invitation.email])
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect("member-list", slug=slug)
    return render(request, "accounts/members.html", {
        **access.context(), "form": form,
        "members": Membership.objects.filter(organization=org).select_related("user").order_by("user__email"),
        "invitations": [i for i in Invitation.objects.filter(organization=org, accepted_at=None) if i.is_open],
    })


@login_required
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a member (POST; owners and admins). The last owner cannot be removed."""
    access = resolve_tenant(request, slug, "manage")
    membership = get_object_or_404(Membership, pk=pk, organization=access.organization)
    if request.method != "POST":
        return redirect("member-list", slug=slug)
    owners = Membership.objects.filter(organization=access.organization, role=Role.OWNER).count()
    if membership.role == Role.OWNER and owners <= 1:
        messages.error(request, "An organization keeps at least one owner.")
    else:
        membership.delete()
        messages.success(request, f"Removed {membership.user.email}.")
    return redirect("member-list", slug=slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join through an invitation link: signed-in people join at once; new people choose a password."""
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise Http404("this invitation is not valid any more")
    existing = User.objects.filter(email=invitation.email).first()
    if request.user.is_authenticated and request.user.email != invitation.email:
        messages.error(request, f"This invitation is for {invitation.email}; sign out and open the link again.")
        return redirect("home")
    if existing is not None and not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    form = JoinForm(request.POST or None)
    if existing is not None or (request.method == "POST" and form.is_valid()):
        with transaction.atomic():
            user = existing
            if user is None:
                first, _, last = form.cleaned_data["name"].partition(" ")
                user = User.objects.create_user(email=invitation.email, password=form.cleaned_data["password"],
                                                first_name=first, last_name=last)
            Membership.objects.get_or_create(organization=invitation.organization, user=user,
                                             defaults={"role": invitation.role})
            invitation.accepted_at = timezone.now()
            invitation.save()
        if not request.user.is_authenticated:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("org-dashboard", slug=invitation.organization.slug)
    return render(request, "accounts/join.html", {"invitation": invitation, "form": form})
