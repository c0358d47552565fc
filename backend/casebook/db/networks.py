"""Network membership as stored: which networks tenants belong to, and who belongs to them.

Plain reads of the tenancy tables, below the engines: search labels a record for its owner's networks
and services build an actor's network peers from the same two queries.
"""

from __future__ import annotations

from casebook.db.tables import NetworkMember, Tenant


async def networks_of(tenant_ids: set[int] | frozenset[int]) -> set[int]:
    """The networks these tenants belong to, plus those of them that are networks."""
    if not tenant_ids:
        return set()
    ids = sorted(tenant_ids)
    joined = await NetworkMember.select(NetworkMember.network).where(NetworkMember.member.is_in(ids))
    own = await Tenant.select(Tenant.id).where(Tenant.id.is_in(ids) & (Tenant.kind == "network"))
    return {r["network"] for r in joined} | {r["id"] for r in own}


async def network_peers(networks: set[int]) -> set[int]:
    if not networks:
        return set()
    rows = await NetworkMember.select(NetworkMember.member).where(NetworkMember.network.is_in(sorted(networks)))
    return set(networks) | {r["member"] for r in rows}
