"""Invitations: an admin makes a link; whoever opens it (or only the named email) joins with a role.

The link's secret is shown once and stored as SHA-256, like API tokens. An invitation is used once:
accepting marks it in the same transaction that adds the membership, guarded by `accepted_at IS NULL`,
so two people racing for one link cannot both join. Unknown, used, revoked and expired links all get
the same answer, so a link reveals nothing about the organisation unless it is valid.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from casebook.db.tables import Invitation, Membership, User
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor
from casebook.domain.clock import now
from casebook.domain.errors import Forbidden, InvalidInput, NotFound, Problem
from casebook.domain.permissions import require
from casebook.domain.vocabulary import ROLES
from casebook.services import audit
from casebook.services.users import EMAIL

PREFIX = "inv_"
MAX_DAYS = 30
NOT_VALID = "this invitation link is not valid: it is unknown, used, revoked or expired"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_invitation(actor: Actor, tenant_id: int, role: str, email: str | None = None,
                            days: int = 7) -> dict[str, Any]:
    """Returns the invitation with its secret `token`; the secret is never retrievable again."""
    require(actor, "member.manage", tenant_id)
    email = (email or "").strip().lower() or None
    problems = []
    if role not in ROLES:
        problems.append(Problem(f"must be one of {', '.join(ROLES)}", field="role"))
    if email is not None and not EMAIL.match(email):
        problems.append(Problem("is not an email address", field="email"))
    if not 1 <= days <= MAX_DAYS:
        problems.append(Problem(f"must be 1 to {MAX_DAYS} days", field="days"))
    if problems:
        raise InvalidInput(problems)
    token = PREFIX + secrets.token_urlsafe(24)
    expires = now() + timedelta(days=days)
    async with write_transaction():
        row = (await Invitation.insert(Invitation(
            tenant=tenant_id, role=role, email=email, token_hash=_digest(token), prefix=token[:10],
            created_by=actor.user_id, expires_at=expires,
        )).returning(Invitation.id))[0]
        await audit.record(actor, tenant_id, "invitation.create", f"invitation:{row['id']}", role=role,
                           email=email)
    return {"id": row["id"], "token": token, "role": role, "email": email, "expires_at": expires}


async def list_invitations(actor: Actor, tenant_id: int) -> list[dict[str, Any]]:
    require(actor, "member.manage", tenant_id)
    rows = await Invitation.select(
        Invitation.id, Invitation.role, Invitation.email, Invitation.prefix, Invitation.created_at,
        Invitation.expires_at, Invitation.accepted_at, Invitation.revoked_at,
        Invitation.accepted_by.email.as_alias("accepted_by"),
    ).where(Invitation.tenant == tenant_id).order_by(Invitation.id, ascending=False)
    moment = now()
    for row in rows:
        row["state"] = ("accepted" if row["accepted_at"] else "revoked" if row["revoked_at"]
                        else "expired" if row["expires_at"] <= moment else "pending")
    return rows


async def revoke_invitation(actor: Actor, tenant_id: int, invitation_id: int) -> None:
    require(actor, "member.manage", tenant_id)
    async with write_transaction():
        changed = await Invitation.update({Invitation.revoked_at: now()}).where(
            (Invitation.id == invitation_id) & (Invitation.tenant == tenant_id)
            & Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null()).returning(Invitation.id)
        if not changed:
            raise NotFound("no pending invitation with this id")
        await audit.record(actor, tenant_id, "invitation.revoke", f"invitation:{invitation_id}")


async def open_invitation(token: str) -> dict[str, Any]:
    """What a valid link offers: organisation, role and, if named, the email it is for."""
    if not token.startswith(PREFIX):
        raise NotFound(NOT_VALID)
    row = await Invitation.select(
        Invitation.id, Invitation.role, Invitation.email, Invitation.expires_at, Invitation.tenant,
        Invitation.tenant.slug.as_alias("tenant_slug"), Invitation.tenant.name.as_alias("tenant_name"),
    ).where((Invitation.token_hash == _digest(token)) & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()).first()
    if row is None or row["expires_at"] <= now():
        raise NotFound(NOT_VALID)
    return row


async def accept_invitation(token: str, user_id: int) -> dict[str, Any]:
    """Adds the user to the organisation with the invited role (a higher existing role is kept)."""
    invitation = await open_invitation(token)
    user = await User.select(User.email).where(User.id == user_id).first()
    if user is None:
        raise NotFound("user not found")
    if invitation["email"] and invitation["email"] != user["email"]:
        raise Forbidden(f"this invitation is for {invitation['email']}; sign in with that address to accept it")
    async with write_transaction():
        used = await Invitation.update({Invitation.accepted_at: now(), Invitation.accepted_by: user_id}).where(
            (Invitation.id == invitation["id"]) & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()).returning(Invitation.id)
        if not used:
            raise NotFound(NOT_VALID)
        existing = await Membership.select(Membership.id, Membership.role).where(
            (Membership.user == user_id) & (Membership.tenant == invitation["tenant"])).first()
        rank = {r: i for i, r in enumerate(ROLES)}
        if existing is None:
            await Membership.insert(Membership(user=user_id, tenant=invitation["tenant"], role=invitation["role"]))
        elif rank[invitation["role"]] > rank.get(existing["role"], -1):
            await Membership.update({Membership.role: invitation["role"]}).where(Membership.id == existing["id"])
        await audit.record(Actor(user_id=user_id), invitation["tenant"], "invitation.accept",
                           f"invitation:{invitation['id']}", role=invitation["role"], user=user["email"])
    return {"tenant": invitation["tenant_slug"], "tenant_id": invitation["tenant"], "role": invitation["role"]}

