"""Request body limits enforced before Django reads a body, so an oversized upload never reaches the disk.

Django spools a multipart body to temporary files as soon as anything reads ``request.POST`` (the CSRF check
does, before any view runs), and the WSGI server does not cap bodies. Two guards close that: a middleware
that refuses a declared ``Content-Length`` above the limit, and an upload handler that stops a body sent
without one (chunked) once it passes the limit. Visitors who are not signed in get a small limit: nothing
they may post (sign-in, password reset) is large.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse

ANONYMOUS_LIMIT = 1024 * 1024
MULTIPART_SLACK = 1024 * 1024  # form fields and part headers around the files


def body_limit(request: HttpRequest) -> int:
    """The largest body this request may send: small when signed out, the upload limits when signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS_LIMIT
    uploads = settings.MAX_UPLOAD_BYTES * settings.MAX_UPLOAD_FILES
    return max(uploads, settings.MAX_POPULATION_BYTES) + MULTIPART_SLACK


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than its limit, without reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("The request's Content-Length is not a number.", status=400,
                                content_type="text/plain; charset=utf-8")
        limit = body_limit(request)
        if declared > limit:
            return HttpResponse(f"The request is larger than the limit of {limit // (1024 * 1024)} MB; nothing "
                                "was saved.", status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading an upload once the body passes the request's limit (covers bodies of unknown length)."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.seen = 0
        self.limit = body_limit(request) if request is not None else ANONYMOUS_LIMIT

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.seen += len(raw_data)
        if self.seen > self.limit:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
