"""Atom feeds of shared cases: the public library, and each network for its members (signed in, or a feed
reader with a member's feed token), and the page that lists them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, OptQueryStr, PathStr
from casebook.domain.access import Actor
from casebook.domain.clock import now
from casebook.domain.errors import NotFound
from casebook.services import feed_tokens, feeds
from casebook.services.tenants import tenant_by_id
from casebook.web.context import page_context
from casebook.web.site import site_url

ATOM = "http://www.w3.org/2005/Atom"


def atom(request: Request, feed_id: str, title: str, entries: list[dict[str, Any]]) -> Response:
    base = site_url(request)
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
async def network_feed(request: Request, actor: ActorDep, filename: PathStr, token: OptQueryStr = None) -> Response:
    """/feeds/networks/<slug>.atom (a path parameter cannot carry the suffix itself). A feed reader cannot sign
    in: `?token=` reads as the user whose feed token it is; a wrong or revoked token reads as nobody (404)."""
    network = filename.removesuffix(".atom")
    if network == filename:
        raise NotFound("feed not found")
    reader = await feed_tokens.reader(token) if token is not None else actor
    found, entries = await feeds.network_entries(reader, network)
    return atom(request, f"/feeds/networks/{network}.atom", f"{found['name']}: shared cases", entries)


async def _networks(actor: Actor) -> list[dict[str, Any]]:
    return sorted([await tenant_by_id(n) for n in actor.networks], key=lambda t: t["name"])


async def _page(request: Request, actor: Actor, new_token: str | None = None, said: str | None = None) -> Template:
    base = site_url(request)
    return Template("feeds.html", context=page_context(
        actor, base=base, networks=await _networks(actor) if actor.authenticated else [],
        token=await feed_tokens.current(actor) if actor.authenticated else None, new_token=new_token, said=said))


@get("/feeds", name="feeds")
async def feeds_page(request: Request, actor: ActorDep) -> Template:
    """The feeds a reader may subscribe to; members of a network get a feed token for their feed reader."""
    return await _page(request, actor)


@post("/feeds/token", name="feed-token-create")
async def create_feed_token(request: Request, actor: ActorDep) -> Template | Redirect:
    if not actor.authenticated:
        return Redirect(path="/login?next=/feeds", status_code=303)
    made = await feed_tokens.create(actor)
    return await _page(request, actor, new_token=made["token"])


@post("/feeds/token/revoke", name="feed-token-revoke")
async def revoke_feed_token(request: Request, actor: ActorDep) -> Template | Redirect:
    if not actor.authenticated:
        return Redirect(path="/login?next=/feeds", status_code=303)
    revoked = await feed_tokens.revoke(actor)
    return await _page(request, actor, said="Your feed token is revoked: feed readers using it get nothing now."
                       if revoked else "You had no feed token.")


PAGES = [public_feed, network_feed, feeds_page, create_feed_token, revoke_feed_token]
