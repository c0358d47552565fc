"""Feed entries: the most recently published cases and lessons shared with a network, or with everyone.

Feeds only ever carry published snapshots (redacted): a draft, or an edit waiting for review, never
reaches a feed reader, and a withdrawn record leaves the feed at once.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

from casebook.db.networks import network_peers
from casebook.domain.access import Actor, read_condition
from casebook.domain.errors import NotFound
from casebook.domain.markdown import render
from casebook.domain.visibility import visible_data
from casebook.services.publishing import CASES, LESSONS, Kind
from casebook.services.tenants import get_tenant

FEED_SIZE = 50


def _content(kind: Kind, data: dict[str, Any]) -> str:
    """The entry's HTML content: a lesson's title and body (sanitised Markdown); a case's title and summary."""
    body = render(data.get("body") or "") if kind is LESSONS else f"<p>{html.escape(data.get('summary') or '')}</p>"
    return f"<h1>{html.escape(data['title'])}</h1>\n{body}"


async def _entries(actor: Actor, where: Any) -> list[dict[str, Any]]:
    entries = []
    for kind in (CASES, LESSONS):
        t = kind.record
        rows = await t.select(
            t.tenant, t.tenant.slug.as_alias("tenant_slug"), t.tenant.name.as_alias("tenant_name"), t.slug,
            t.created_at, t.data, t.published_visibility, t.published_data, t.published_at,
        ).where(where(t) & t.published_visibility.is_not_null() & t.deleted_at.is_null()).order_by(
            t.published_at, ascending=False).limit(FEED_SIZE)
        for row in rows:
            # Feeds show what others see, even to the owner's members.
            data = visible_data({**row, "data": None}, _outsider(actor, row["tenant"]))
            if data is None:
                continue
            entries.append({
                "kind": kind.name, "tenant": row["tenant_slug"], "tenant_name": row["tenant_name"],
                "slug": row["slug"], "title": data["title"], "updated_at": row["published_at"],
                "created_at": row["created_at"], "summary": data.get("summary") or "",
                "content": _content(kind, data), "url": f"/{kind.path}/{row['tenant_slug']}/{row['slug']}",
            })
    return sorted(entries, key=lambda e: e["updated_at"], reverse=True)[:FEED_SIZE]


def _outsider(actor: Actor, owner: int) -> Actor:
    """The actor without its membership of `owner`, so `visible_data` returns the published snapshot."""
    return replace(actor, roles={t: r for t, r in actor.roles.items() if t != owner})


async def public_entries() -> list[dict[str, Any]]:
    return await _entries(Actor(), lambda t: t.published_visibility == "public")


async def network_entries(actor: Actor, network_slug: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Records shared with the network (by it or its members). Only the network's members may read the feed."""
    try:
        network = await get_tenant(network_slug)
    except NotFound:
        network = None
    if network is None or network["kind"] != "network" or network["id"] not in actor.networks:
        raise NotFound("network not found")
    members = sorted(await network_peers({network["id"]}))
    return network, await _entries(actor, lambda t: t.tenant.is_in(members) & read_condition(t, actor)
                                   & t.published_visibility.is_in(["network", "public"]))
