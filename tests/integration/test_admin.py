"""Staff can browse the admin; the audit trail there is read-only."""

from __future__ import annotations

from django.test import Client

from socready.accounts.models import User
from tests.integration.conftest import Personas


def test_staff_sees_admin_pages_and_cannot_edit_audit_events(client: Client, personas: Personas) -> None:
    staff = User.objects.create_superuser(email="staff@example.test", password="a staff passphrase")
    client.force_login(staff)
    for url in ("/admin/", "/admin/accounts/user/", "/admin/accounts/organization/", "/admin/programs/control/",
                "/admin/audit/auditevent/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/audit/auditevent/add/").status_code == 403


def test_members_who_are_not_staff_cannot_use_the_admin(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
