"""With DEBUG off, 403, 404 and 500 answers are pages of the site that say what happened and where to go."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.test import Client, override_settings
from django.urls import include, path

from tests.integration.conftest import Personas


def _broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something inside the view failed")


# The real URLs plus one view that fails, for the 500 page (served from this module by ROOT_URLCONF).
urlpatterns = [
    path("broken/", _broken_view),
    path("", include("socready.web.urls")),
]


def _is_site_page(html: str) -> bool:
    return 'class="topbar"' in html and "/static/socready/app.css" in html and "socready/favicon.svg" in html


@override_settings(DEBUG=False)
def test_a_missing_page_is_a_site_page_with_a_way_back(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = client.get("/o/acme/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and _is_site_page(html)
    assert "Page not found" in html and "/o/acme/no-such-page/" in html and 'href="/"' in html


@override_settings(DEBUG=False)
def test_another_organizations_page_reads_as_not_found_without_saying_whether_it_exists(
        client: Client, personas: Personas) -> None:
    client.force_login(personas.charlie)
    response = client.get("/o/acme/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert "Acme" not in response.content.decode()


@override_settings(DEBUG=False)
def test_a_refused_change_is_a_site_page_that_names_the_reason(client: Client, personas: Personas) -> None:
    client.force_login(personas.dana)  # the auditor
    response = client.post("/o/acme/controls/adopt/", {"mode": "all"})
    html = response.content.decode()
    assert response.status_code == 403 and _is_site_page(html)
    assert "Your role does not allow this" in html and "this role is read-only" in html
    assert "dana@example.test" in html  # the signed-in header, so the person knows who they are


@override_settings(DEBUG=False)
def test_a_form_with_a_stale_security_token_gets_an_explaining_page(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice)
    response = client.post("/o/acme/controls/adopt/", {"mode": "all"})
    html = response.content.decode()
    assert response.status_code == 403 and 'class="topbar"' in html
    assert "The form could not be accepted" in html and "Nothing was changed" in html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_is_a_static_site_page(personas: Personas) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(personas.alice)
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500 and _is_site_page(html)
    assert "Something went wrong on our side" in html and 'href="/"' in html
    assert "something inside the view failed" not in html  # no internals shown


def test_the_server_error_page_renders_without_a_request_or_database() -> None:
    # No db fixture: any query while rendering would fail this test.
    html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_site_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/socready/favicon.svg"
    assert client.get(response["Location"]).status_code == 200
