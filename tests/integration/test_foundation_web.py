"""The web foundation: sign-in, the criteria page with its filter, tenancy at the URL."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.integration.conftest import PASSWORD, Personas


def test_criteria_page_requires_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("catalog-criteria"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_sign_in_by_email_then_see_all_61_criteria(client: Client, personas: Personas) -> None:
    response = client.post(reverse("login"), {"username": "alice@example.test", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("catalog-criteria")).content.decode()
    assert page.count('id="criterion-') == 61
    assert "CC6.1" in page and "P8.1" in page


def test_wrong_password_is_refused(client: Client, personas: Personas) -> None:
    response = client.post(reverse("login"), {"username": "alice@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_category_filter_and_search(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    page = client.get(reverse("catalog-criteria"), {"category": "Confidentiality"}).content.decode()
    assert page.count('id="criterion-') == 2
    partial = client.get(reverse("catalog-criteria"), {"q": "backup"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body  # htmx gets only the table
    assert 'id="criterion-A1.2"' in body


def test_outsider_gets_404_for_another_organization(client: Client, personas: Personas) -> None:
    client.force_login(personas.charlie)
    assert client.get(reverse("org-dashboard", args=["acme"])).status_code == 404
    assert client.get(reverse("org-dashboard", args=["other"])).status_code == 200
    assert client.get(reverse("org-dashboard", args=["no-such-org"])).status_code == 404


def test_organization_switcher_only_goes_to_own_organizations(client: Client, personas: Personas) -> None:
    client.force_login(personas.charlie)
    response = client.get(reverse("switch-organization"), {"slug": "acme"})
    assert response["Location"] == reverse("home")
    response = client.get(reverse("switch-organization"), {"slug": "other"})
    assert response["Location"] == reverse("org-dashboard", args=["other"])
