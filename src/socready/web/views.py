"""Site-wide views that belong to no app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Send browsers that ask for /favicon.ico (downloads, old clients) to the site's SVG icon."""
    return HttpResponsePermanentRedirect(static("socready/favicon.svg"))
