"""Users: creation, passwords and password sign-in with rate limiting."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from casebook.db.tables import LoginFailure, User
from casebook.db.transaction import write_transaction
from casebook.domain.clock import now
from casebook.domain.errors import Conflict, InvalidInput, Problem, RateLimited, Unauthenticated
from casebook.services.passwords import hash_password, verify_password
from casebook.services.sessions import end_sessions

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_PAIR = 5
"""Failures of one account from one address before sign-in pauses for that pair."""
BACKOFF_START = timedelta(minutes=1)
"""The first pause; it doubles with every further failure, up to WINDOW."""
MAX_FAILURES_PER_ACCOUNT = 50
"""Failures of one account from all other addresses together before it is locked for WINDOW."""


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


async def create_user(email: str, name: str, password: str) -> dict[str, Any]:
    email = _normal_email(email)
    problems = []
    if not EMAIL.match(email):
        problems.append(Problem("is not an email address", field="email"))
    if not (name or "").strip():
        problems.append(Problem("is required", field="name", code="required"))
    if len(password or "") < MIN_PASSWORD:
        problems.append(Problem(f"must have at least {MIN_PASSWORD} characters", field="password"))
    if problems:
        raise InvalidInput(problems)
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(f"a user with email {email} already exists", code="already_exists")
        row = (await User.insert(User(email=email, name=name.strip(), password_hash=hash_password(password)))
               .returning(User.id))[0]
    return {"id": row["id"], "email": email, "name": name.strip()}


async def set_password(user_id: int, password: str) -> None:
    """A new password ends every session signed in with the old one."""
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(Problem(f"must have at least {MIN_PASSWORD} characters", field="password"))
    async with write_transaction():
        await User.update({User.password_hash: hash_password(password)}).where(User.id == user_id)
        await end_sessions(user_id)


async def user_by_email(email: str) -> dict[str, Any] | None:
    return await User.select(User.id, User.email, User.name).where(User.email == _normal_email(email)).first()


async def authenticate(email: str, password: str, address: str = "unknown") -> int:
    """Returns the user id, or raises RateLimited or Unauthenticated.

    Every attempt is counted before the password is checked, in one serialised transaction, so parallel
    guesses cannot all slip past the count. Failures lock one account from one address, with a pause that
    doubles with each further failure, so one person cannot lock out everyone behind the same address;
    an account guessed at from many addresses is locked once it reaches MAX_FAILURES_PER_ACCOUNT.
    """
    email = _normal_email(email)
    pair, account = f"pair:{email}|{address}", f"account:{email}"
    attempt = await _count_attempt(pair, account)
    user = await User.select(User.id, User.password_hash, User.active).where(User.email == email).first()
    ok = verify_password(user["password_hash"] if user else None, password or "")
    if user is None or not ok or not user["active"]:
        raise Unauthenticated("email or password is wrong")
    await LoginFailure.delete().where(LoginFailure.key.is_in([pair, account]) | LoginFailure.id.is_in(attempt))
    return user["id"]


async def _count_attempt(pair: str, account: str) -> list[int]:
    """Records this attempt as a failure (cleared on success) unless the limits refuse it; returns its rows."""
    current = now()
    async with write_transaction():
        await _lock_key(account)  # PostgreSQL: one counter per account at a time (SQLite has one writer)
        await LoginFailure.delete().where(LoginFailure.at < current - 2 * WINDOW)
        recent = await LoginFailure.select(LoginFailure.key, LoginFailure.at).where(
            LoginFailure.key.is_in([pair, account]) & (LoginFailure.at > current - WINDOW)).order_by(LoginFailure.at)
        pair_times = [r["at"] for r in recent if r["key"] == pair]
        if len(pair_times) >= MAX_FAILURES_PER_PAIR:
            pause = min(WINDOW, BACKOFF_START * 2 ** (len(pair_times) - MAX_FAILURES_PER_PAIR))
            if current < pair_times[-1] + pause:
                raise RateLimited(f"too many failed sign-ins; wait {_minutes(pair_times[-1] + pause - current)}"
                                  " and try again")
        if len(recent) - len(pair_times) >= MAX_FAILURES_PER_ACCOUNT:
            raise RateLimited("too many failed sign-ins; wait 15 minutes and try again")
        rows = await LoginFailure.insert(LoginFailure(key=pair, at=current), LoginFailure(key=account, at=current)
                                         ).returning(LoginFailure.id)
    return [row["id"] for row in rows]


def _minutes(delta: timedelta) -> str:
    minutes = max(1, -(-int(delta.total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def _lock_key(key: str) -> None:
    if isinstance(LoginFailure._meta.db, PostgresEngine):
        await LoginFailure.raw("SELECT pg_advisory_xact_lock(hashtext({}))", key)
