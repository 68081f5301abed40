"""Two-factor sign-in: a password alone is not enough once a person has turned it on."""

from __future__ import annotations

import time

from django.test import Client

from socready.accounts import totp
from tests.integration.conftest import PASSWORD, Personas


def test_rfc6238_reference_code() -> None:
    # RFC 6238 appendix B: SHA-1 secret "12345678901234567890" at T=59 gives 94287082 (8 digits) -> 287082.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp.code_at(secret, 59) == "287082"
    assert totp.verify(secret, "287082", now=59)
    assert not totp.verify(secret, "287083", now=59)
    assert not totp.verify(secret, "287082", now=59 + 120)


def test_turning_it_on_then_signing_in_needs_the_code(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    page = client.get("/accounts/two-factor/").content.decode()
    secret = page.split('data-testid="totp-secret">')[1].split("<")[0]
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200  # wrong code: stays off
    personas.alice.refresh_from_db()
    assert personas.alice.totp_secret == "" or totp.verify(secret, "000000")
    turned_on_at = time.time()
    response = client.post("/accounts/two-factor/", {"code": totp.code_at(secret, turned_on_at)})
    assert response.status_code == 302
    personas.alice.refresh_from_db()
    assert personas.alice.totp_secret == secret

    fresh = Client()
    response = fresh.post("/accounts/login/", {"username": "alice@example.test", "password": PASSWORD})
    assert response["Location"] == "/accounts/login/code/"
    assert fresh.get("/o/acme/").status_code == 302  # not signed in yet
    wrong = fresh.post("/accounts/login/code/", {"code": "123456" if totp.code_at(secret, time.time()) != "123456"
                                                 else "654321"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    # The code that turned it on is spent; the next one (the clock-drift allowance accepts it) signs in.
    spent = fresh.post("/accounts/login/code/", {"code": totp.code_at(secret, turned_on_at)})
    assert spent.status_code == 200 and "not right" in spent.content.decode()
    right = fresh.post("/accounts/login/code/", {"code": totp.code_at(secret, turned_on_at + totp.STEP_SECONDS)})
    assert right.status_code == 302
    assert fresh.get("/o/acme/").status_code == 200


def test_a_code_that_signed_in_once_is_refused_the_second_time(personas: Personas) -> None:
    alice = personas.alice
    alice.totp_secret = totp.new_secret()
    alice.save(update_fields=["totp_secret"])
    code = totp.code_at(alice.totp_secret, time.time())
    first, second = Client(), Client()
    for browser in (first, second):
        browser.post("/accounts/login/", {"username": "alice@example.test", "password": PASSWORD})
    assert first.post("/accounts/login/code/", {"code": code}).status_code == 302
    replay = second.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 200 and "not right" in replay.content.decode()
    assert second.get("/o/acme/").status_code == 302
    earlier = totp.code_at(alice.totp_secret, time.time() - totp.STEP_SECONDS)  # older than the one used
    assert second.post("/accounts/login/code/", {"code": earlier}).status_code == 200


def test_code_page_without_a_password_step_goes_back_to_sign_in(client: Client, personas: Personas) -> None:
    response = client.post("/accounts/login/code/", {"code": "123456"})
    assert response["Location"] == "/accounts/login/"
