"""The one place a view turns the organization slug in its URL into an organization the user may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import update_wrapper
from typing import Concatenate, Literal, ParamSpec, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from socready.accounts.models import Membership, Organization, User


@dataclass(frozen=True)
class TenantAccess:
    """The organization a request works in and the requesting user's membership there."""

    organization: Organization
    membership: Membership

    @property
    def user(self) -> User:
        """The signed-in user making the request (loaded with the membership, so no extra query)."""
        return self.membership.user

    @property
    def can_write(self) -> bool:
        return self.membership.can_write

    @property
    def can_manage(self) -> bool:
        return self.membership.can_manage

    def context(self) -> dict[str, object]:
        """What every tenant page's template needs: the organization, the membership and write rights."""
        return {"organization": self.organization, "membership": self.membership, "can_write": self.can_write,
                "can_manage": self.can_manage}


Need = Literal["read", "write", "manage", "review"]
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def resolve_tenant(request: HttpRequest, slug: str, need: Need | None = None) -> TenantAccess:
    """Return the access for ``slug``; outsiders get 404, members lacking the needed role get 403.

    ``need`` defaults to read for safe methods and write for anything else. "review" is the one kind of
    change an auditor may make (comment on, accept or flag an evidence request). A 404 (not 403) for
    outsiders means a URL never reveals whether an organization exists.
    """
    if need is None:
        need = "read" if request.method in SAFE_METHODS else "write"
    if not request.user.is_authenticated:
        raise Http404("no such organization")
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(organization__slug=slug, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404("no such organization")
    if need == "manage" and not membership.can_manage:
        raise PermissionDenied("only owners and admins may do this")
    if need == "write" and not membership.can_write:
        raise PermissionDenied("this role is read-only")
    return TenantAccess(organization=membership.organization, membership=membership)


P = ParamSpec("P")
R = TypeVar("R")
TenantHandler: TypeAlias = Callable[Concatenate[HttpRequest, TenantAccess, P], R]
UrlHandler: TypeAlias = Callable[Concatenate[HttpRequest, P], R]


def tenant_view(need: Need | None = None) -> Callable[[TenantHandler[P, R]], UrlHandler[P, R]]:
    """Resolve the organization in the URL (its ``slug``) before the view, which gets the access second.

    For views that also carry Django's method decorators (``require_GET``, ``require_POST``, ...): put this
    one outside them, so an outsider still gets 404 and a read-only role 403 whatever the method, and only
    a member who may act learns which methods the URL takes.
    """

    def decorate(view: TenantHandler[P, R]) -> UrlHandler[P, R]:
        def resolved(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return view(request, resolve_tenant(request, str(kwargs["slug"]), need), *args, **kwargs)

        update_wrapper(resolved, view)
        return resolved

    return decorate


def signed_in_user(request: HttpRequest) -> User:
    """Return the request's user, for views behind ``login_required``; anyone else gets a 403."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    return user


def organizations_of(user: User | AnonymousUser) -> list[Organization]:
    """Return the organizations a signed-in user belongs to."""
    if not isinstance(user, User):
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("name"))
