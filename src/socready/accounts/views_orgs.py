"""Creating an organization and switching between the ones a user belongs to."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from socready.accounts.access import organizations_of, signed_in_user
from socready.accounts.models import Membership, Organization, Role


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=60, required=False,
                           help_text="Short name used in the address; made from the name if left empty.")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        slug = slugify(str(data.get("slug") or data.get("name") or ""))[:60]
        if not slug:
            raise forms.ValidationError("Choose a name with at least one letter or digit.")
        if Organization.objects.filter(slug=slug).exists():
            self.add_error("slug", "That address is taken; choose another.")
        data["slug"] = slug
        return data


@login_required
def create_organization(request: HttpRequest) -> HttpResponse:
    """Create an organization; its creator becomes the owner."""
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            org = Organization.objects.create(name=form.cleaned_data["name"], slug=form.cleaned_data["slug"])
            Membership.objects.create(organization=org, user=signed_in_user(request), role=Role.OWNER)
        return redirect("org-dashboard", slug=org.slug)
    return render(request, "socready/org_create.html", {"form": form})


@login_required
def switch_organization(request: HttpRequest) -> HttpResponse:
    """Go to another of the user's organizations (the switcher in the top bar)."""
    slug = request.GET.get("slug", "")
    if any(org.slug == slug for org in organizations_of(request.user)):
        return redirect("org-dashboard", slug=slug)
    return redirect("home")
