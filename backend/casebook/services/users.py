"""Users: creation and password sign-in with rate limiting."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from casebook.db.tables import LoginFailure, User
from casebook.db.transaction import write_transaction
from casebook.domain.errors import Conflict, InvalidInput, Problem, RateLimited, Unauthenticated
from casebook.services.clock import now
from casebook.services.passwords import hash_password, verify_password

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


async def create_user(email: str, name: str, password: str) -> dict[str, Any]:
    email = _normal_email(email)
    problems = []
    if not EMAIL.match(email):
        problems.append(Problem("is not an email address", field="email"))
    if not (name or "").strip():
        problems.append(Problem("is required", field="name"))
    if len(password or "") < MIN_PASSWORD:
        problems.append(Problem(f"must have at least {MIN_PASSWORD} characters", field="password"))
    if problems:
        raise InvalidInput(problems)
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(f"a user with email {email} already exists")
        row = (await User.insert(User(email=email, name=name.strip(), password_hash=hash_password(password)))
               .returning(User.id))[0]
    return {"id": row["id"], "email": email, "name": name.strip()}


async def user_by_email(email: str) -> dict[str, Any] | None:
    return await User.select(User.id, User.email, User.name).where(User.email == _normal_email(email)).first()


async def authenticate(email: str, password: str, address: str = "unknown") -> int:
    """Returns the user id, or raises. Failures count per account and per client address."""
    email = _normal_email(email)
    since = now() - WINDOW
    keys = {"account": f"account:{email}", "address": f"address:{address}"}
    limits = {"account": MAX_FAILURES_PER_ACCOUNT, "address": MAX_FAILURES_PER_ADDRESS}
    for kind, key in keys.items():
        failures = await LoginFailure.count().where((LoginFailure.key == key) & (LoginFailure.at > since))
        if failures >= limits[kind]:
            raise RateLimited("too many failed sign-ins; wait 15 minutes and try again")
    user = await User.select(User.id, User.password_hash, User.active).where(User.email == email).first()
    ok = verify_password(user["password_hash"] if user else None, password or "")
    if not ok or not user["active"]:
        async with write_transaction():
            await LoginFailure.insert(*(LoginFailure(key=k) for k in keys.values()))
            await LoginFailure.delete().where(LoginFailure.at < now() - 2 * WINDOW)
        raise Unauthenticated("email or password is wrong")
    await LoginFailure.delete().where(LoginFailure.key == keys["account"])
    return user["id"]
