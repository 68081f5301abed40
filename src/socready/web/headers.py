"""Security headers on every response: a Content-Security-Policy without inline scripts, a Permissions-Policy,
and ``Cache-Control: no-store`` on whatever a signed-in person sees or downloads.

Pages hold one organization's evidence and audit details; a shared computer's browser cache, or a proxy,
must not keep them. Scripts come only from our static files (templates carry no inline script and no
``on...=`` attribute; a test reads every template), so an injected ``<script>`` would not run.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # Templates still set a few style attributes (bar widths, the htmx indicator); styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth", "hid",
    "midi", "magnetometer", "gyroscope", "accelerometer", "display-capture", "interest-cohort",
))


class SecurityHeadersMiddleware:
    """Add the CSP and Permissions-Policy everywhere, and no-store to signed-in pages and downloads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or response.has_header("Content-Disposition"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"  # for HTTP/1.0 caches on the way
        return response
