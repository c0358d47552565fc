"""Feed tokens: a feed reader reads a network feed as one member, shown once, stored hashed, revocable; a wrong,
revoked or non-member's token is a 404, and the feed never holds what that member may not read."""

from __future__ import annotations

import hashlib
import re

import httpx
import pytest

from casebook.db.tables import FeedToken
from casebook.domain.errors import InvalidInput
from casebook.services import cases, feed_tokens, tenants
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.test_feeds import titles
from tests.test_pages import sign_in

NET_FEED = {"Secret-alpha-network partnership", "Secret-alpha-public partnership", "Secret-gamma-network partnership"}


@pytest.fixture
async def bait(world):
    """Records that must stay out of alpha's view of the net feed: a draft meant for the network, gamma's
    private case, and a second network (beta's) with its own shared case."""
    editor = await world.actor("alpha_editor")
    await cases.create_case(editor, "alpha", make_case("alpha-draft", title="Draft-for-net partnership"), "network")
    await cases.create_case(system_actor(world.tenant_ids["gamma"]), "gamma",
                            make_case("gamma-private", title="Gamma-private partnership"), "private")
    net2 = await tenants.create_tenant("net2", "Second network", "network")
    await tenants.join_network(net2["id"], world.tenant_ids["beta"])
    return world


@pytest.fixture
async def reader_client(app):
    """A feed reader: no session, no cookies."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
        yield c


async def test_a_member_makes_a_token_once_and_a_feed_reader_reads_the_network_feed_with_it(bait, client,
                                                                                               reader_client):
    await sign_in(client, "alpha_viewer@example.org")
    page = await client.get("/feeds")
    assert "You have no feed token." in page.text and "/feeds/networks/net.atom" in page.text
    token_field = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    made = await client.post("/feeds/token", data={"_csrf_token": token_field})
    assert made.status_code == 200
    address = re.search(r'<input id="feed-net" readonly value="([^"]+)">', made.text).group(1)
    token = address.split("?token=")[1]
    assert address == f"http://testserver.local/feeds/networks/net.atom?token={token}" and token.startswith("cbf_")
    feed = await reader_client.get(f"/feeds/networks/net.atom?token={token}")
    assert feed.status_code == 200 and titles(feed.text) == NET_FEED
    # stored as its SHA-256 only; the page never shows the secret again
    rows = await FeedToken.select(FeedToken.token_hash, FeedToken.prefix, FeedToken.last_used_at)
    assert [(r["token_hash"], r["prefix"]) for r in rows] == [(hashlib.sha256(token.encode()).hexdigest(), token[:10])]
    assert rows[0]["last_used_at"] is not None
    again = await client.get("/feeds")
    assert token not in again.text and f"starts with <code>{token[:10]}…</code>" in again.text


async def test_wrong_revoked_replaced_and_other_network_tokens_get_404(bait, reader_client):
    alpha = await bait.actor("alpha_viewer")
    first = (await feed_tokens.create(alpha))["token"]
    second = (await feed_tokens.create(alpha))["token"]  # replaces the first
    assert (await reader_client.get(f"/feeds/networks/net.atom?token={first}")).status_code == 404
    assert (await reader_client.get(f"/feeds/networks/net.atom?token={second}")).status_code == 200
    for bad in ("", "cbf_nope", second + "x", second.replace("cbf_", "cbk_"), "x" * 500):
        response = await reader_client.get("/feeds/networks/net.atom", params={"token": bad})
        assert response.status_code == 404 and "Secret-" not in response.text, bad
    # alpha is not in net2: its member's token opens nothing there
    assert (await reader_client.get(f"/feeds/networks/net2.atom?token={second}")).status_code == 404
    beta = (await feed_tokens.create(await bait.actor("beta_viewer")))["token"]
    assert (await reader_client.get(f"/feeds/networks/net.atom?token={beta}")).status_code == 404
    net2 = await reader_client.get(f"/feeds/networks/net2.atom?token={beta}")
    assert titles(net2.text) == {"Secret-beta-network partnership", "Secret-beta-public partnership"}
    assert await feed_tokens.revoke(alpha) is True and await feed_tokens.revoke(alpha) is False
    assert (await reader_client.get(f"/feeds/networks/net.atom?token={second}")).status_code == 404


async def test_a_token_follows_its_user_out_of_the_organisation(bait, reader_client):
    alpha = await bait.actor("alpha_viewer")
    token = (await feed_tokens.create(alpha))["token"]
    admin = await bait.actor("alpha_admin")
    await tenants.remove_member(admin, bait.tenant_ids["alpha"], bait.user_ids["alpha_viewer"])
    assert (await reader_client.get(f"/feeds/networks/net.atom?token={token}")).status_code == 404


async def test_only_members_of_a_network_get_a_token(bait, client):
    with pytest.raises(InvalidInput):
        await feed_tokens.create(await bait.actor("outsider"))
    assert (await client.post("/feeds/token")).status_code in (303, 403)  # anonymous: sign in (or CSRF refusal)
