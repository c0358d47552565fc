"""Feed entries: the most recently updated cases shared with a network, or with everyone."""

from __future__ import annotations

import json
from typing import Any

from casebook.db.tables import CaseRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.errors import NotFound
from casebook.services.tenants import get_tenant, network_peers

FEED_SIZE = 50


async def _entries(where: Any) -> list[dict[str, Any]]:
    rows = await CaseRecord.select(
        CaseRecord.tenant.slug.as_alias("tenant"), CaseRecord.tenant.name.as_alias("tenant_name"), CaseRecord.slug,
        CaseRecord.title, CaseRecord.updated_at, CaseRecord.created_at, CaseRecord.data,
    ).where(where & CaseRecord.deleted_at.is_null()).order_by(CaseRecord.updated_at, ascending=False).limit(FEED_SIZE)
    for row in rows:
        row["summary"] = json.loads(row.pop("data")).get("summary", "")
    return rows


async def public_entries() -> list[dict[str, Any]]:
    return await _entries(CaseRecord.visibility == "public")


async def network_entries(actor: Actor, network_slug: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Cases shared with the network (by it or its members). Only the network's members may read the feed."""
    try:
        network = await get_tenant(network_slug)
    except NotFound:
        network = None
    if network is None or network["kind"] != "network" or network["id"] not in actor.networks:
        raise NotFound("network not found")
    members = sorted(await network_peers({network["id"]}))
    shared = CaseRecord.tenant.is_in(members) & CaseRecord.visibility.is_in(["network", "public"])
    return network, await _entries(shared & read_condition(CaseRecord, actor))
