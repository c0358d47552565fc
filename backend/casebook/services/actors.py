"""Turns a user (and, for tokens, one tenant) into an Actor: memberships, networks and peers."""

from __future__ import annotations

from casebook.db.networks import network_peers, networks_of
from casebook.db.tables import Tenant, User
from casebook.domain.access import ANONYMOUS, Actor
from casebook.services.tenants import tenants_of_user


async def actor_for_user(user_id: int, only_tenant: int | None = None, active_tenant: int | None = None) -> Actor:
    user = await User.select(User.id, User.email, User.name, User.active).where(User.id == user_id).first()
    if user is None or not user["active"]:
        return ANONYMOUS
    tenants = await tenants_of_user(user_id)
    if only_tenant is not None:
        tenants = [t for t in tenants if t["id"] == only_tenant]
    roles = {t["id"]: t["role"] for t in tenants}
    networks = await networks_of(frozenset(roles))
    active = active_tenant if active_tenant in roles else (tenants[0]["id"] if tenants else None)
    return Actor(
        user_id=user_id, roles=roles, networks=frozenset(networks),
        network_peers=frozenset(await network_peers(networks)), active_tenant=active,
        email=user["email"], name=user["name"], tenant_slugs={t["id"]: t["slug"] for t in tenants},
    )


def system_actor(tenant_id: int) -> Actor:
    """The CLI acting as an admin of one tenant (the operator has the machine, so the data)."""
    return Actor(roles={tenant_id: "admin"}, active_tenant=tenant_id, system=True)


async def reader_of_everything(system: bool = False) -> Actor:
    """The CLI operator as a viewer of every tenant (the operator has the machine, so reads every tenant's
    records): what `list`, `search`, `match` and `plan` commands read as."""
    return Actor(roles={r["id"]: "viewer" for r in await Tenant.select(Tenant.id)}, system=system)
