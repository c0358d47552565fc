"""Feed tokens: a network's Atom feed for a feed reader, which cannot sign in.

A user keeps at most one live feed token; it rides in the feed URL (`?token=`), is shown once, is stored as
its SHA-256 like an API token (services/tokens.py makes and hashes both) and opens feeds only. The feed it
opens is exactly what that user may read: the token is turned into the user's own actor, so a network the
user is not a member of, or a revoked token, is a 404 like a feed that does not exist.
"""

from __future__ import annotations

from typing import Any

from casebook.db.tables import FeedToken
from casebook.db.transaction import write_transaction
from casebook.domain.access import ANONYMOUS, Actor
from casebook.domain.clock import now
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.services import audit
from casebook.services.actors import actor_for_user
from casebook.services.tokens import digest, new_secret

PREFIX = "cbf_"


def _user(actor: Actor) -> int:
    if not actor.authenticated or actor.user_id is None:
        raise NotFound("feed tokens belong to signed-in users")
    return actor.user_id


async def current(actor: Actor) -> dict[str, Any] | None:
    """The actor's live feed token (without its secret), if any."""
    return await FeedToken.select(FeedToken.id, FeedToken.prefix, FeedToken.created_at, FeedToken.last_used_at) \
        .where((FeedToken.user == _user(actor)) & FeedToken.revoked_at.is_null()).first()


async def create(actor: Actor) -> dict[str, Any]:
    """A new feed token for the actor; any earlier one stops working. Returns the secret, once."""
    user = _user(actor)
    if not actor.networks:
        raise InvalidInput(Problem("none of your organisations is in a network, so there is no feed to read",
                                   field="token"))
    secret, hashed = new_secret(PREFIX)
    async with write_transaction():
        await FeedToken.update({FeedToken.revoked_at: now()}).where(
            (FeedToken.user == user) & FeedToken.revoked_at.is_null())
        row = (await FeedToken.insert(FeedToken(user=user, prefix=secret[:10], token_hash=hashed))
               .returning(FeedToken.id))[0]
        await audit.record(actor, actor.active_tenant, "feed_token.create", f"feed_token:{row['id']}")
    return {"id": row["id"], "token": secret, "prefix": secret[:10]}


async def revoke(actor: Actor) -> bool:
    """Revokes the actor's live feed token; False when there was none."""
    user = _user(actor)
    async with write_transaction():
        live = await FeedToken.select(FeedToken.id).where(
            (FeedToken.user == user) & FeedToken.revoked_at.is_null()).first()
        if live is None:
            return False
        await FeedToken.update({FeedToken.revoked_at: now()}).where(FeedToken.id == live["id"])
        await audit.record(actor, actor.active_tenant, "feed_token.revoke", f"feed_token:{live['id']}")
    return True


async def reader(token: str) -> Actor:
    """The user a live feed token reads as (every membership, as when signed in); else anonymous."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return ANONYMOUS
    row = await FeedToken.select(FeedToken.id, FeedToken.user).where(
        (FeedToken.token_hash == digest(token)) & FeedToken.revoked_at.is_null()).first()
    if row is None:
        return ANONYMOUS
    await FeedToken.update({FeedToken.last_used_at: now()}).where(FeedToken.id == row["id"])
    return await actor_for_user(row["user"])
