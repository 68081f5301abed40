"""Remembers who is making the current request so the audit trail can name them."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_actor: ContextVar[object | None] = ContextVar("current_actor", default=None)


class CurrentActorMiddleware:
    """Sets the request's user as the actor of every change made while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_actor.set(request.user if request.user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(token)
