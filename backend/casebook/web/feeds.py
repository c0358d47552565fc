"""Atom feeds of shared cases: the public library, and each network for its members."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from litestar import Request, Response, get

from casebook.api.params import ActorDep, PathStr
from casebook.domain.errors import NotFound
from casebook.services import feeds
from casebook.services.clock import now

ATOM = "http://www.w3.org/2005/Atom"


def atom(request: Request, feed_id: str, title: str, entries: list[dict[str, Any]]) -> Response:
    base = str(request.base_url).rstrip("/")
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"{base}{feed_id}"
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    updated: datetime = max((e["updated_at"] for e in entries), default=now())
    ET.SubElement(root, f"{{{ATOM}}}updated").text = updated.isoformat()
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{base}{request.url.path}")
    for entry in entries:
        url = f"{base}{entry['url']}"
        node = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}id").text = url
        ET.SubElement(node, f"{{{ATOM}}}title").text = entry["title"]
        ET.SubElement(node, f"{{{ATOM}}}updated").text = entry["updated_at"].isoformat()
        ET.SubElement(node, f"{{{ATOM}}}published").text = entry["created_at"].isoformat()
        ET.SubElement(node, f"{{{ATOM}}}link", rel="alternate", href=url)
        author = ET.SubElement(node, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = entry["tenant_name"]
        ET.SubElement(node, f"{{{ATOM}}}summary").text = entry["summary"]
        ET.SubElement(node, f"{{{ATOM}}}content", type="html").text = entry["content"]
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(content=body, media_type="application/atom+xml; charset=utf-8")


@get("/feeds/public.atom", name="feed-public")
async def public_feed(request: Request) -> Response:
    return atom(request, "/feeds/public.atom", "Casebook public library", await feeds.public_entries())


@get("/feeds/networks/{filename:str}", name="feed-network")
async def network_feed(request: Request, actor: ActorDep, filename: PathStr) -> Response:
    """/feeds/networks/<slug>.atom (a path parameter cannot carry the suffix itself)."""
    network = filename.removesuffix(".atom")
    if network == filename:
        raise NotFound("feed not found")
    found, entries = await feeds.network_entries(actor, network)
    return atom(request, f"/feeds/networks/{network}.atom", f"{found['name']}: shared cases", entries)


PAGES = [public_feed, network_feed]
