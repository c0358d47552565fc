"""Atom feeds: the public feed lists public cases only; a network feed is for the network's members only."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from tests.test_pages import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(body: str) -> set[str]:
    return {e.find(f"{ATOM}title").text for e in ET.fromstring(body).findall(f"{ATOM}entry")}


async def test_public_feed_lists_public_cases(world, client):
    response = await client.get("/feeds/public.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    assert titles(response.text) == {"Secret-alpha-public partnership", "Secret-beta-public partnership"}


async def test_network_feed_is_for_members_and_shows_what_they_share(world, client):
    assert (await client.get("/feeds/networks/net.atom")).status_code == 404
    await sign_in(client, "beta_viewer@example.org")
    assert (await client.get("/feeds/networks/net.atom")).status_code == 404
    await sign_in(client, "gamma_editor@example.org")
    feed = await client.get("/feeds/networks/net.atom")
    assert feed.status_code == 200
    assert titles(feed.text) == {"Secret-alpha-network partnership", "Secret-alpha-public partnership",
                                 "Secret-gamma-network partnership"}
    assert (await client.get("/feeds/networks/alpha.atom")).status_code == 404
