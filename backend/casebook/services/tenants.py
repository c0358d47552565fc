"""Tenants (organisations and networks), members and roles."""

from __future__ import annotations

import re
from typing import Any

from casebook.db import outbox
from casebook.db.tables import ApiToken, CaseRecord, LessonRecord, Membership, NetworkMember, Tenant, User
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor
from casebook.domain.clock import now
from casebook.domain.errors import Conflict, InvalidInput, NotFound, Problem
from casebook.domain.permissions import require
from casebook.domain.vocabulary import ROLES, TENANT_KINDS
from casebook.services import audit
from casebook.services.sessions import end_sessions

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


async def create_tenant(slug: str, name: str, kind: str = "organisation") -> dict[str, Any]:
    problems = []
    if not SLUG.match(slug or "") or len(slug) > 80:
        problems.append(Problem("use lowercase letters, digits and single hyphens", field="slug"))
    if not (name or "").strip():
        problems.append(Problem("is required", field="name", code="required"))
    if kind not in TENANT_KINDS:
        problems.append(Problem(f"must be one of {', '.join(TENANT_KINDS)}", field="kind"))
    if problems:
        raise InvalidInput(problems)
    async with write_transaction():
        if await Tenant.exists().where(Tenant.slug == slug):
            raise Conflict(f"an organisation with slug {slug!r} already exists", code="already_exists")
        row = (await Tenant.insert(Tenant(slug=slug, name=name.strip(), kind=kind)).returning(Tenant.id))[0]
        await audit.record(None, row["id"], "tenant.create", slug, kind=kind)
    return {"id": row["id"], "slug": slug, "name": name.strip(), "kind": kind}


async def get_tenant(slug: str) -> dict[str, Any]:
    row = await Tenant.select().where(Tenant.slug == slug).first()
    if row is None:
        raise NotFound(f"organisation {slug!r} not found")
    return row


async def tenant_by_id(tenant_id: int) -> dict[str, Any]:
    row = await Tenant.select().where(Tenant.id == tenant_id).first()
    if row is None:
        raise NotFound("organisation not found")
    return row


async def set_membership(tenant_id: int, user_id: int, role: str, actor: Actor | None = None) -> None:
    """Adds or changes a member's role: the operator's path (CLI, seed). With an actor, only `change_role`."""
    if actor is not None:
        await change_role(actor, tenant_id, user_id, role)
        return
    _check_role(role)
    async with write_transaction():
        existing = await Membership.select(Membership.id).where(
            (Membership.user == user_id) & (Membership.tenant == tenant_id)).first()
        if existing:
            await Membership.update({Membership.role: role}).where(Membership.id == existing["id"])
        else:
            await Membership.insert(Membership(user=user_id, tenant=tenant_id, role=role))
        await audit.record(actor, tenant_id, "member.set-role", f"user:{user_id}", role=role)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(Problem(f"must be one of {', '.join(ROLES)}", field="role"))


async def _member_role(tenant_id: int, user_id: int) -> str:
    """The member's role; 404 for anyone who is not a member (people join by invitation only)."""
    target = await Membership.select(Membership.role).where(
        (Membership.user == user_id) & (Membership.tenant == tenant_id)).first()
    if target is None:
        raise NotFound("member not found")
    return target["role"]


async def _keeps_an_admin(tenant_id: int, role: str) -> None:
    """Refuses taking away the last admin (by removal or by a lower role)."""
    if role == "admin" and await Membership.count().where(
            (Membership.tenant == tenant_id) & (Membership.role == "admin")) <= 1:
        raise Conflict("an organisation needs at least one admin", code="last_admin")


async def change_role(actor: Actor, tenant_id: int, user_id: int, role: str) -> None:
    """An admin changes the role of an existing member; it never adds anyone, and never leaves no admin."""
    require(actor, "member.manage", tenant_id)
    _check_role(role)
    async with write_transaction():
        current = await _member_role(tenant_id, user_id)
        if current == role:
            return
        await _keeps_an_admin(tenant_id, current)
        await Membership.update({Membership.role: role}).where(
            (Membership.user == user_id) & (Membership.tenant == tenant_id))
        await audit.record(actor, tenant_id, "member.set-role", f"user:{user_id}", role=role)


async def remove_member(actor: Actor, tenant_id: int, user_id: int) -> None:
    """Removes a member, revokes their API tokens for this organisation (a later re-adding revives none) and
    ends their sign-in sessions."""
    require(actor, "member.manage", tenant_id)
    async with write_transaction():
        await _keeps_an_admin(tenant_id, await _member_role(tenant_id, user_id))
        await Membership.delete().where((Membership.user == user_id) & (Membership.tenant == tenant_id))
        await ApiToken.update({ApiToken.revoked_at: now()}).where(
            (ApiToken.user == user_id) & (ApiToken.tenant == tenant_id) & ApiToken.revoked_at.is_null())
        await end_sessions(user_id)
        await audit.record(actor, tenant_id, "member.remove", f"user:{user_id}")


async def members(actor: Actor, tenant_id: int) -> list[dict[str, Any]]:
    require(actor, "tenant.view", tenant_id)
    return await Membership.select(
        Membership.user.id.as_alias("user_id"), Membership.user.email.as_alias("email"),
        Membership.user.name.as_alias("name"), Membership.role,
    ).where(Membership.tenant == tenant_id).order_by(Membership.user.email)


async def join_network(network_id: int, member_id: int, actor: Actor | None = None) -> None:
    network = await tenant_by_id(network_id)
    if network["kind"] != "network":
        raise InvalidInput(Problem("is not a network", field="network"))
    if actor is not None:
        require(actor, "member.manage", network_id)
    async with write_transaction():
        if not await NetworkMember.exists().where(
                (NetworkMember.network == network_id) & (NetworkMember.member == member_id)):
            await NetworkMember.insert(NetworkMember(network=network_id, member=member_id))
            await audit.record(actor, network_id, "network.join", f"tenant:{member_id}")
            await _reindex_tenant_cases(member_id)


async def _reindex_tenant_cases(tenant_id: int) -> None:
    """A tenant's network cases and lessons change audience when its networks change: their search labels
    must follow."""
    for entity, table in (("case", CaseRecord), ("lesson", LessonRecord)):
        for row in await table.select(table.id).where(table.tenant == tenant_id):
            await outbox.enqueue(entity, row["id"], "upsert")


async def tenants_of_user(user_id: int) -> list[dict[str, Any]]:
    return await Membership.select(
        Membership.tenant.id.as_alias("id"), Membership.tenant.slug.as_alias("slug"),
        Membership.tenant.name.as_alias("name"), Membership.tenant.kind.as_alias("kind"), Membership.role,
    ).where(Membership.user == user_id).order_by(Membership.tenant.name)


async def user_exists(user_id: int) -> bool:
    return await User.exists().where(User.id == user_id)
