"""API tokens: random secrets shown once, stored as SHA-256, scoped to one user in one tenant."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from casebook.db.tables import ApiToken, Membership
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor
from casebook.domain.clock import now
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.domain.permissions import can, require
from casebook.services import audit

PREFIX = "cbk_"
TOUCH_EVERY = timedelta(minutes=1)
"""`last_used_at` is a coarse "last seen": written at most this often per token."""

log = logging.getLogger("casebook")
_touches: set[asyncio.Task[None]] = set()


def digest(token: str) -> str:
    """What is stored in a token's place: its SHA-256 (API tokens and feed tokens alike)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret(prefix: str) -> tuple[str, str]:
    """A random secret that starts with `prefix` (so a leaked one is recognisable), and its digest."""
    secret = prefix + secrets.token_urlsafe(32)
    return secret, digest(secret)


async def create_token(user_id: int, tenant_id: int, name: str, actor: Actor | None = None) -> dict[str, Any]:
    """Returns the token's id and its secret; the secret is never retrievable again."""
    if not (name or "").strip() or len(name) > 100:
        raise InvalidInput(Problem("give the token a name of 1 to 100 characters", field="name"))
    if actor is not None:
        require(actor, "tenant.view", tenant_id)
        if actor.user_id != user_id:
            raise InvalidInput(Problem("you can only create tokens for yourself", field="user"))
    if not await Membership.exists().where((Membership.user == user_id) & (Membership.tenant == tenant_id)):
        raise InvalidInput(Problem("the user is not a member of this organisation", field="tenant"))
    secret, hashed = new_secret(PREFIX)
    async with write_transaction():
        row = (await ApiToken.insert(ApiToken(
            user=user_id, tenant=tenant_id, name=name.strip(), prefix=secret[:10], token_hash=hashed,
        )).returning(ApiToken.id))[0]
        await audit.record(actor, tenant_id, "token.create", f"token:{row['id']}", name=name.strip())
    return {"id": row["id"], "name": name.strip(), "token": secret, "prefix": secret[:10]}


async def resolve_token(token: str) -> tuple[int, int] | None:
    """(user id, tenant id) for a live token, else None."""
    if not token.startswith(PREFIX):
        return None
    row = await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.tenant, ApiToken.last_used_at).where(
        (ApiToken.token_hash == digest(token)) & ApiToken.revoked_at.is_null()).first()
    if row is None:
        return None
    if row["last_used_at"] is None or row["last_used_at"] < now() - TOUCH_EVERY:
        task = asyncio.create_task(_touch(row["id"]))
        _touches.add(task)
        task.add_done_callback(_touches.discard)
    return row["user"], row["tenant"]


async def _touch(token_id: int) -> None:
    """Records the use after the request, best effort: a read must not wait for (or fail on) a write lock.
    Its own transaction, so a wait for the lock never holds up the reads sharing SQLite's read connection."""
    due = ApiToken.last_used_at.is_null() | (ApiToken.last_used_at < now() - TOUCH_EVERY)
    try:
        async with write_transaction():
            await ApiToken.update({ApiToken.last_used_at: now()}).where((ApiToken.id == token_id) & due)
    except Exception as exc:  # a busy database only delays the "last used" date
        log.warning("could not record the use of token %s: %s", token_id, exc)


async def settle_touches() -> None:
    """Waits for this event loop's pending `last_used_at` writes (tests, and shutdown)."""
    loop = asyncio.get_running_loop()
    while pending := [task for task in _touches if task.get_loop() is loop]:
        await asyncio.gather(*pending, return_exceptions=True)


async def list_tokens(actor: Actor, tenant_id: int) -> list[dict[str, Any]]:
    """An admin sees every token of the tenant; other members see their own."""
    require(actor, "tenant.view", tenant_id)
    query = ApiToken.select(
        ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at, ApiToken.last_used_at,
        ApiToken.revoked_at, ApiToken.user.email.as_alias("email"),
    ).where(ApiToken.tenant == tenant_id)
    if not can(actor, "token.manage", tenant_id):
        query = query.where(ApiToken.user == actor.user_id)
    return await query.order_by(ApiToken.id, ascending=False)


async def revoke_token(actor: Actor, tenant_id: int, token_id: int) -> None:
    require(actor, "tenant.view", tenant_id)
    row = await ApiToken.select(ApiToken.user).where(
        (ApiToken.id == token_id) & (ApiToken.tenant == tenant_id)).first()
    if row is None or (row["user"] != actor.user_id and not can(actor, "token.manage", tenant_id)):
        raise NotFound("token not found")
    async with write_transaction():
        await ApiToken.update({ApiToken.revoked_at: now()}).where(ApiToken.id == token_id)
        await audit.record(actor, tenant_id, "token.revoke", f"token:{token_id}")
