"""Sign-in rate limits: counted atomically, per account and address with a growing pause, and the client
address taken from X-Forwarded-For only behind a configured trusted proxy."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from casebook.domain.errors import RateLimited, Unauthenticated
from casebook.services import users
from casebook.settings import settings_from_env
from tests.factory import PASSWORD
from tests.test_pages import sign_in

VIEWER = "alpha_viewer@example.org"


async def _try(email: str, password: str, address: str) -> str:
    try:
        await users.authenticate(email, password, address)
        return "ok"
    except RateLimited:
        return "limited"
    except Unauthenticated:
        return "wrong"


async def test_forty_parallel_wrong_passwords_are_mostly_refused(world):
    results = await asyncio.gather(*(_try(VIEWER, "not the password", "10.0.0.1") for _ in range(40)))
    assert (results.count("wrong"), results.count("limited")) == (users.MAX_FAILURES_PER_PAIR, 35)


async def test_one_person_guessing_does_not_lock_out_the_office(world):
    for _ in range(users.MAX_FAILURES_PER_PAIR + 3):
        await _try("beta_viewer@example.org", "not the password", "10.0.0.1")
        await _try(VIEWER, "wrong again", "10.0.0.1")
    assert await _try("alpha_editor@example.org", PASSWORD, "10.0.0.1") == "ok"  # a colleague, same address
    assert await _try(VIEWER, PASSWORD, "10.0.0.2") == "ok"  # the victim, elsewhere
    assert await _try("beta_viewer@example.org", PASSWORD, "10.0.0.1") == "limited"  # the guessed pair pauses


async def test_the_pause_doubles_with_each_further_failure(world, monkeypatch):
    clock = [users.now()]
    monkeypatch.setattr(users, "now", lambda: clock[0])
    for _ in range(users.MAX_FAILURES_PER_PAIR):
        assert await _try(VIEWER, "wrong", "10.0.0.9") == "wrong"
    assert await _try(VIEWER, PASSWORD, "10.0.0.9") == "limited"
    clock[0] += timedelta(minutes=1, seconds=1)  # the first pause is over
    assert await _try(VIEWER, "wrong", "10.0.0.9") == "wrong"
    clock[0] += timedelta(minutes=1, seconds=1)  # not long enough now: the pause is 2 minutes
    assert await _try(VIEWER, PASSWORD, "10.0.0.9") == "limited"
    clock[0] += timedelta(minutes=1)
    assert await _try(VIEWER, PASSWORD, "10.0.0.9") == "ok"


async def test_an_account_guessed_at_from_many_addresses_is_locked(world):
    for n in range(users.MAX_FAILURES_PER_ACCOUNT):
        assert await _try(VIEWER, "wrong", f"10.1.{n // 200}.{n % 200}") == "wrong"
    assert await _try(VIEWER, PASSWORD, "10.9.9.9") == "limited"


@pytest.fixture
def proxies(monkeypatch, runtime):
    def configure(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv("CASEBOOK_TRUSTED_PROXIES", raising=False)
        else:
            monkeypatch.setenv("CASEBOOK_TRUSTED_PROXIES", value)
        monkeypatch.setattr(runtime, "settings", settings_from_env())
    yield configure
    monkeypatch.undo()


async def _forwarded_failures(client, forwarded: list[str]) -> list[int]:
    codes = []
    for address in forwarded:
        client.headers["X-Forwarded-For"] = address
        codes.append((await sign_in(client, VIEWER, "not the password")).status_code)
    return codes


async def test_x_forwarded_for_is_ignored_by_default(world, client, proxies):
    proxies(None)
    codes = await _forwarded_failures(client, [f"198.51.100.{n}" for n in range(6)])
    assert codes == [401] * 5 + [429]  # every attempt counted for the real peer, whatever the header says


async def test_x_forwarded_for_counts_behind_a_trusted_proxy(world, client, proxies):
    proxies("127.0.0.1")  # httpx's ASGI transport connects from 127.0.0.1
    codes = await _forwarded_failures(client, [f"198.51.100.{n}" for n in range(6)])
    assert codes == [401] * 6  # six clients, one failure each
