"""Guessing passwords and second-factor codes is limited per account and per client address, through the
database so every server process counts the same failures; time is moved on by hand, never waited for."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.test import Client

from socready.accounts import throttle, totp
from socready.accounts.models import SignInFailure, User
from tests.integration.conftest import PASSWORD, Personas

WRONG = "not the password at all"


class FakeClock:
    """Stands in for the throttle's clock; ``advance`` moves it on."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


def _sign_in(client: Client, email: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return client.get("/o/acme/").status_code == 200


def _paused_text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode().split('data-testid="signin-paused">')[1].split("<")[0]


# --- passwords ----------------------------------------------------------------------------------------------

def test_after_five_wrong_passwords_even_the_right_one_is_refused_until_the_cool_down_ends(
        client: Client, personas: Personas, clock: FakeClock) -> None:
    for attempt in range(4):
        response = _sign_in(client, "alice@example.test", WRONG)
        assert response.status_code == 200 and "did not match" in response.content.decode(), attempt
    fifth = _sign_in(client, "alice@example.test", WRONG)
    assert fifth.status_code == 429
    assert "Try again after 09:15 UTC (in 15 minutes)" in _paused_text(fifth)
    assert fifth["Retry-After"] == str(15 * 60)

    clock.advance(minutes=14)
    refused = _sign_in(client, "alice@example.test", PASSWORD)
    assert refused.status_code == 429 and "(in 1 minute)" in _paused_text(refused)
    assert not _signed_in(client)
    assert SignInFailure.objects.count() == 5  # a refused attempt is not a guess: the password was not checked

    clock.advance(minutes=1, seconds=1)
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_spellings_that_reach_the_same_account_share_its_count(client: Client, personas: Personas,
                                                              clock: FakeClock) -> None:
    # The sign-in form folds full-width letters (NFKC), so these all reach alice's account.
    spellings = ["alice@example.test", "\uff41lice@example.test", "ALICE@example.test", "al\uff49ce@example.test"]
    for spelling in spellings:
        assert _sign_in(client, spelling, WRONG).status_code == 200
    assert _sign_in(client, "\uff41l\uff49ce@example.test", WRONG).status_code == 429
    assert _sign_in(client, "\uff41lice@example.test", PASSWORD).status_code == 429
    assert not _signed_in(client)


def test_the_pause_reads_the_same_whether_or_not_the_account_exists(personas: Personas, clock: FakeClock) -> None:
    answers = {}
    for email in ("alice@example.test", "nobody@example.test"):
        client = Client(REMOTE_ADDR=f"10.0.0.{len(answers) + 1}")
        for _ in range(5):
            _sign_in(client, email, WRONG)
        answers[email] = _sign_in(client, email, WRONG)
    existing, missing = answers.values()
    assert existing.status_code == missing.status_code == 429
    assert _paused_text(existing) == _paused_text(missing)
    assert _page(existing, "alice@example.test") == _page(missing, "nobody@example.test")


def _page(response, email: str) -> str:  # type: ignore[no-untyped-def]
    """The page with the address typed and the per-visitor CSRF token taken out."""
    text = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1TOKEN", text)


def test_every_failure_is_recorded_with_account_person_and_address(client: Client, personas: Personas,
                                                                   clock: FakeClock) -> None:
    _sign_in(client, " Alice@Example.test ", WRONG, REMOTE_ADDR="192.0.2.7")
    _sign_in(client, "nobody@example.test", WRONG, REMOTE_ADDR="192.0.2.7")
    _sign_in(client, "alice@example.test", "", REMOTE_ADDR="192.0.2.7")  # an empty field is not a guess
    rows = list(SignInFailure.objects.order_by("id").values_list("step", "account", "user", "client", "at"))
    assert rows == [("password", "alice@example.test", personas.alice.pk, "192.0.2.7", clock.now),
                    ("password", "nobody@example.test", None, "192.0.2.7", clock.now)]


def test_a_successful_sign_in_starts_the_count_again(client: Client, personas: Personas, clock: FakeClock) -> None:
    for _ in range(4):
        _sign_in(client, "alice@example.test", WRONG)
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 302
    assert SignInFailure.objects.filter(cleared_at=None).count() == 0
    assert SignInFailure.objects.count() == 4  # kept as a record
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "alice@example.test", WRONG).status_code == 200
    assert _sign_in(client, "alice@example.test", WRONG).status_code == 429


def test_failures_older_than_the_window_stop_counting(client: Client, personas: Personas, clock: FakeClock) -> None:
    for _ in range(4):
        _sign_in(client, "alice@example.test", WRONG)
    clock.advance(minutes=16)
    for _ in range(4):
        assert _sign_in(client, "alice@example.test", WRONG).status_code == 200
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 302


def test_after_a_cool_down_the_count_starts_again(client: Client, personas: Personas, clock: FakeClock) -> None:
    for _ in range(5):
        _sign_in(client, "alice@example.test", WRONG)
    clock.advance(minutes=15, seconds=1)
    for _ in range(4):
        assert _sign_in(client, "alice@example.test", WRONG).status_code == 200
    assert _sign_in(client, "alice@example.test", WRONG).status_code == 429


def test_limits_window_and_cool_down_come_from_settings(client: Client, personas: Personas, clock: FakeClock,
                                                        settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNIN_MAX_FAILURES = 2
    settings.SIGNIN_COOLDOWN_MINUTES = 60
    settings.SIGNIN_WINDOW_MINUTES = 1
    _sign_in(client, "alice@example.test", WRONG)
    clock.advance(minutes=2)  # outside the one-minute window
    assert _sign_in(client, "alice@example.test", WRONG).status_code == 200
    paused = _sign_in(client, "alice@example.test", WRONG)
    assert paused.status_code == 429 and "(in 60 minutes)" in _paused_text(paused)
    clock.advance(minutes=59)
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 429


def test_a_limit_of_zero_turns_it_off(client: Client, personas: Personas, clock: FakeClock,
                                      settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNIN_MAX_FAILURES = 0
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 0
    for _ in range(30):
        assert _sign_in(client, "alice@example.test", WRONG).status_code == 200
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 302


def test_the_count_lives_in_the_database_not_in_one_process(client: Client, personas: Personas,
                                                            clock: FakeClock) -> None:
    """Failures another server process recorded count here: this process never saw them."""
    for _ in range(5):
        throttle.record_failure("password", "alice@example.test", "198.51.100.9")
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 429


# --- client addresses ---------------------------------------------------------------------------------------

def test_many_accounts_tried_from_one_address_pause_that_address_only(personas: Personas, clock: FakeClock,
                                                                      settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 3
    guesser, colleague = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="203.0.113.6")
    for email in ("a@example.test", "b@example.test"):
        assert _sign_in(guesser, email, WRONG).status_code == 200
    assert _sign_in(guesser, "c@example.test", WRONG).status_code == 429
    assert _sign_in(guesser, "bob@example.test", PASSWORD).status_code == 429  # a fresh account does not help
    assert _sign_in(colleague, "bob@example.test", PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address(personas: Personas, clock: FakeClock,
                                                                   settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 3
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    _sign_in(guesser, "alice@example.test", WRONG)
    _sign_in(guesser, "alice@example.test", WRONG)
    assert _sign_in(guesser, "bob@example.test", PASSWORD).status_code == 302
    guesser.logout()
    assert _sign_in(guesser, "alice@example.test", WRONG).status_code == 429


def test_behind_trusted_proxies_the_forwarded_address_is_counted(personas: Personas, clock: FakeClock,
                                                                 settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    # The client wrote a made-up first entry; only the one the proxy appended is believed.
    _sign_in(proxy, "a@example.test", WRONG, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.20")
    _sign_in(proxy, "b@example.test", WRONG, HTTP_X_FORWARDED_FOR="2001:db8::1")
    assert list(SignInFailure.objects.order_by("id").values_list("client", flat=True)) == [
        "198.51.100.20", "2001:db8::1"]
    settings.TRUSTED_PROXIES = 0
    _sign_in(proxy, "c@example.test", WRONG, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert SignInFailure.objects.order_by("-id").first().client == "10.0.0.1"  # type: ignore[union-attr]


# --- second-factor codes ------------------------------------------------------------------------------------

SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def _wrong_code() -> str:
    right = {totp.code_at(SECRET, time.time() + step * 30) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


@pytest.fixture
def alice_with_code(personas: Personas) -> User:
    personas.alice.totp_secret = SECRET
    personas.alice.save(update_fields=["totp_secret"])
    return personas.alice


def test_wrong_codes_pause_the_second_step_and_the_right_code_waits(client: Client, alice_with_code: User,
                                                                    clock: FakeClock) -> None:
    assert _sign_in(client, "alice@example.test", PASSWORD)["Location"] == "/accounts/login/code/"
    for _ in range(4):
        response = client.post("/accounts/login/code/", {"code": _wrong_code()})
        assert response.status_code == 200 and "not right" in response.content.decode()
    paused = client.post("/accounts/login/code/", {"code": _wrong_code()})
    assert paused.status_code == 429 and "Try again after 09:15 UTC" in _paused_text(paused)
    assert client.post("/accounts/login/code/", {"code": totp.code_at(SECRET, time.time())}).status_code == 429
    assert not _signed_in(client)
    assert set(SignInFailure.objects.values_list("step", "user")) == {("code", alice_with_code.pk)}

    clock.advance(minutes=15, seconds=1)
    assert client.post("/accounts/login/code/", {"code": totp.code_at(SECRET, time.time())}).status_code == 302
    assert _signed_in(client)
    assert not SignInFailure.objects.filter(cleared_at=None).exists()


def test_giving_the_right_password_again_does_not_reset_the_code_count(client: Client, alice_with_code: User,
                                                                      clock: FakeClock) -> None:
    _sign_in(client, "alice@example.test", PASSWORD)
    for _ in range(4):
        client.post("/accounts/login/code/", {"code": _wrong_code()})
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 302  # back to the code step
    assert client.post("/accounts/login/code/", {"code": _wrong_code()}).status_code == 429


def test_a_paused_account_cannot_even_reach_the_code_step(client: Client, alice_with_code: User,
                                                          clock: FakeClock) -> None:
    for _ in range(5):
        _sign_in(client, "alice@example.test", WRONG)
    assert _sign_in(client, "alice@example.test", PASSWORD).status_code == 429
    assert client.post("/accounts/login/code/", {"code": totp.code_at(SECRET, time.time())})["Location"] == \
        "/accounts/login/"


def test_turning_the_second_factor_off_is_limited_too(client: Client, alice_with_code: User,
                                                      clock: FakeClock) -> None:
    client.force_login(alice_with_code)
    for _ in range(4):
        assert client.post("/accounts/two-factor/", {"code": _wrong_code()}).status_code == 200
    assert client.post("/accounts/two-factor/", {"code": _wrong_code()}).status_code == 429
    assert client.post("/accounts/two-factor/", {"code": totp.code_at(SECRET, time.time())}).status_code == 429
    alice_with_code.refresh_from_db()
    assert alice_with_code.totp_secret == SECRET


# --- the admin's own sign-in form is not a way round ---------------------------------------------------------

def test_the_admin_signs_in_through_the_limited_page(client: Client, personas: Personas, clock: FakeClock) -> None:
    User.objects.create_superuser(email="staff@example.test", password="a staff passphrase")
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=/admin/"
    response = client.post("/admin/login/?next=/admin/", {"username": "staff@example.test",
                                                          "password": "a staff passphrase"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # still not signed in
    assert _sign_in(client, "staff@example.test", "a staff passphrase", QUERY_STRING="next=/admin/").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"
    assert client.get("/admin/accounts/signinfailure/").status_code == 200


def test_a_member_who_is_not_staff_is_refused_by_the_admin_sign_in(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
