"""The tenant-isolation matrix over the publishing states: for cases and lessons that are drafts, in review,
published, published with a pending edit, or withdrawn, every read path shows each user exactly what the
access rule allows: the owner's working copy, the last approved snapshot elsewhere, or nothing."""

from __future__ import annotations

import pytest

from casebook.domain.errors import NotFound
from casebook.services import feeds, publishing
from tests.isolation import API_USERS
from tests.publishing_world import (
    ALL,
    HIDDEN_WORD,
    KIND_PATHS,
    PRIVATE_REF,
    PUBLISHED_WORD,
    RECORDS,
    USERS,
    WITHDRAWN_WORD,
    build_publishing_world,
    reads,
    slug_of,
    title_for,
)
from tests.search_fixtures import make_backend, set_backend, use
from tests.test_feeds import titles
from tests.test_plan_pdf import pdf_text
from tests.test_web_isolation import signed_in

NOT_FOUND = {"case": {"error": "case not found", "status": 404, "code": "not_found"},
             "lesson": {"error": "lesson not found", "status": 404, "code": "not_found"}}


@pytest.fixture(scope="module")
async def pub_world(migrated):
    from tests.conftest import wipe
    await wipe()
    return await build_publishing_world()


def outsider(user: str) -> bool:
    """Holds no record of the publishing world as its owner (so never reads a working copy)."""
    return USERS.get(user, (None, None))[0] not in ("alpha", "beta", "gamma")


def leaks(user: str, owner_words: bool) -> list[str]:
    """Words the user must never see: unapproved text, withdrawn text (unless it is the owner)."""
    return [] if owner_words else [HIDDEN_WORD, WITHDRAWN_WORD]


def mine(user: str, owner: str) -> bool:
    return USERS.get(user, (None, None))[0] == owner


@pytest.mark.parametrize("user", API_USERS)
@pytest.mark.parametrize("kind", ["case", "lesson"])
async def test_api_reads_follow_the_publishing_state(pub_world, client, user, kind):
    headers = pub_world.auth(user)
    listed = await client.get(f"/api/v1/{KIND_PATHS[kind]}", params={"per_page": 100}, headers=headers)
    assert listed.status_code == 200
    titles = {i["slug"]: i["title"] for i in listed.json()["items"] if i["slug"] in ALL}
    assert titles == {slug_of(*r): title_for(user, *r) for r in RECORDS if reads(user, *r)}, (user, kind)
    for owner, audience, state in RECORDS:
        slug = slug_of(owner, audience, state)
        base = f"/api/v1/{KIND_PATHS[kind]}/{owner}/{slug}"
        got, revisions = await client.get(base, headers=headers), await client.get(f"{base}/revisions",
                                                                                   headers=headers)
        seen = reads(user, owner, audience, state)
        if seen is None:
            assert (got.status_code, revisions.status_code) == (404, 404), (user, slug)
            assert got.json() == revisions.json() == NOT_FOUND[kind]
            continue
        assert (got.status_code, revisions.status_code) == (200, 200), (user, slug)
        body = got.json()
        assert body["title"] == title_for(user, owner, audience, state)
        versions = [r["version"] for r in revisions.json()]
        if seen == "published":
            assert body["version"] == 1 and versions == [1], (user, slug)
            assert "publication" not in body or body["publication"] is None
            assert HIDDEN_WORD not in got.text and WITHDRAWN_WORD not in got.text
            assert got.headers["etag"] == '"v1"'
            if kind == "case":
                assert (await client.get(f"{base}/revisions/2", headers=headers)).status_code == 404
        if kind == "lesson":
            cited = [*PRIVATE_REF.get(owner, []), "alpha/alpha-public"]
            assert body["lesson"]["cases"] == [r for r in cited if mine(user, owner) or r == "alpha/alpha-public"]


def expected(user: str, prefix: str = "") -> dict[str, str]:
    """slug -> title of every record of the publishing world the user reads (slugs starting with `prefix`)."""
    return {slug_of(*r): title_for(user, *r) for r in RECORDS
            if reads(user, *r) and slug_of(*r).startswith(prefix)}  # type: ignore[misc]


def no_leak(user: str, text: str, where: str) -> None:
    """An outsider's body holds no unapproved or withdrawn word, and no owner's private case reference."""
    if outsider(user):
        for word in (HIDDEN_WORD, WITHDRAWN_WORD, "alpha-private", "beta-private"):
            assert word not in text, (user, where, word)


@pytest.mark.parametrize("user", API_USERS)
async def test_exports_follow_the_publishing_state(pub_world, client, user):
    headers = pub_world.auth(user)
    as_json = await client.get("/api/v1/export", params={"format": "json"}, headers=headers)
    body = as_json.json()
    for kind in ("case", "lesson"):
        got = {r["slug"]: r[kind]["title"] for r in body[f"{kind}s"] if r["slug"] in ALL}
        assert got == expected(user), (user, kind)
    for row in body["cases"] + body["lessons"]:
        if row["slug"] in ALL and not mine(user, row["tenant"]):
            assert row["version"] == 1, (user, row["slug"])  # the approved version, not the pending edit's
    yaml_text = (await client.get("/api/v1/export", params={"format": "yaml"}, headers=headers)).text
    lessons_csv = (await client.get("/api/v1/export", params={"format": "csv", "kind": "lesson"},
                                    headers=headers)).text
    cases_csv = (await client.get("/api/v1/export", params={"format": "csv"}, headers=headers)).text
    registry = (await client.get("/api/v1/export", params={"format": "un-registry"}, headers=headers)).text
    for name, text in (("json", as_json.text), ("yaml", yaml_text), ("csv", lessons_csv + cases_csv),
                       ("un-registry", registry)):
        no_leak(user, text, name)
        for slug in ALL - set(expected(user)):
            assert slug not in text, (user, name, slug)


async def test_feeds_carry_only_published_snapshots(pub_world, client):
    shown = {r for r in RECORDS if r[2] in ("published", "pending")}
    public = (await client.get("/feeds/public.atom")).text
    assert {t for t in titles(public) if t.split()[-1] in ALL} == {
        f"{PUBLISHED_WORD} {slug_of(*r)}" for r in shown if r[1] == "public"}
    no_leak("anonymous", public, "public feed")
    for user in ("alpha_viewer", "gamma_editor", "net_admin"):  # members of net, owners or not
        _, entries = await feeds.network_entries(await pub_world.actor(user), "net")
        assert {e["title"] for e in entries if e["slug"] in ALL} == {
            f"{PUBLISHED_WORD} {slug_of(*r)}" for r in shown if r[0] in ("alpha", "gamma")}, user
        no_leak("anonymous", repr(entries), "network feed")
    for user in ("beta_admin", "outsider"):
        with pytest.raises(NotFound):
            await feeds.network_entries(await pub_world.actor(user), "net")


@pytest.fixture(scope="module")
async def indexed(pub_world, tmp_path_factory):
    """The publishing world in a real tantivy index, the search service's backend meanwhile."""
    backend = make_backend("tantivy", tmp_path_factory.mktemp("pub-index"))
    previous = await use(backend)
    yield pub_world
    set_backend(previous)


@pytest.mark.parametrize("user", API_USERS)
async def test_search_hits_facets_suggestions_and_highlights(indexed, client, user):
    headers = indexed.auth(user)
    for kind in ("case", "lesson"):
        response = await client.get("/api/v1/search", params={"q": "", "kind": kind, "per_page": 100},
                                    headers=headers)
        assert response.status_code == 200, response.text
        hits = response.json()["hits"]
        assert {h["slug"]: h["title"] for h in hits if h["slug"] in ALL} == expected(user), (user, kind)
        assert len(hits) == len({(h["tenant"], h["slug"]) for h in hits})  # the owner finds its record once
        assert response.json()["facets"]["kind"] == {kind: response.json()["total"]}
    for word in (HIDDEN_WORD, WITHDRAWN_WORD):
        found = await client.get("/api/v1/search", params={"q": word, "per_page": 100}, headers=headers)
        if outsider(user):
            assert (found.json()["total"], found.json()["hits"]) == (0, []), (user, word)
            assert all(not counts for counts in found.json()["facets"].values()), (user, word)
        no_leak(user, found.text, f"search {word}")
        suggested = await client.get("/api/v1/search/suggest", params={"q": word[:5]}, headers=headers)
        no_leak(user, suggested.text, f"suggest {word}")
    published = await client.get("/api/v1/search", params={"q": PUBLISHED_WORD.casefold(), "per_page": 100},
                                 headers=headers)
    slugs = {h["slug"] for h in published.json()["hits"]}
    assert {s for s in slugs if s in ALL} == {s for s, t in expected(user).items() if PUBLISHED_WORD in t}, user
    no_leak(user, published.text, "highlights")


@pytest.mark.parametrize("user", ["anonymous", "beta_editor", "gamma_editor", "net_admin", "alpha_viewer"])
async def test_matches_rank_only_readable_snapshots(pub_world, client, user):
    response = await client.post("/api/v1/match", json={"context": {"title": "Mining partnership", "country": "CO",
                                                                    "sectors": ["mining"]}, "top": 100},
                                 headers=pub_world.auth(user))
    assert response.status_code == 200, response.text
    found = {m["slug"]: m["title"] for m in response.json()["results"] if m["slug"] in ALL}
    assert found == expected(user), user
    no_leak(user, response.text, "match")
    for owner, audience, state in RECORDS:
        if reads(user, owner, audience, state) is None:
            by_case = await client.post("/api/v1/match", json={"case": f"{owner}/{slug_of(owner, audience, state)}"},
                                        headers=pub_world.auth(user))
            assert by_case.status_code == 404 and "pub-" not in by_case.text, (user, owner, audience, state)


@pytest.mark.parametrize("user", ["beta_editor", "gamma_editor"])
async def test_plans_cite_only_readable_snapshots(pub_world, client, user):
    """A plan made by another organisation from a pending case: its JSON, HTML and PDF hold only the approved
    text, and the lessons it cites are approved snapshots too."""
    template = "alpha/pub-alpha-public-pending"
    made = await client.post("/api/v1/plans", json={"template": template, "target": {
        "title": "Mining town", "country": "CO", "sectors": ["mining"]}}, headers=pub_world.auth(user))
    assert made.status_code == 201, made.text
    no_leak(user, made.text, "plan json")
    assert PUBLISHED_WORD in made.text
    pid = made.json()["id"]
    html = await client.get(f"/api/v1/plans/{pid}.html", headers=pub_world.auth(user))
    no_leak(user, html.text, "plan html")
    pdf = await client.get(f"/api/v1/plans/{pid}.pdf", headers=pub_world.auth(user))
    no_leak(user, pdf_text(pdf.content), "plan pdf")
    for hidden in ("alpha/pub-alpha-public-draft", "alpha/pub-alpha-public-withdrawn",
                   "alpha/pub-alpha-network-review"):
        refused = await client.post("/api/v1/plans", json={"template": hidden, "target": {
            "title": "Mining town", "country": "CO"}}, headers=pub_world.auth(user))
        assert refused.status_code in (400, 404) and "pub-alpha" not in refused.text.replace(hidden, ""), hidden
        no_leak(user, refused.text, "plan refusal")


@pytest.mark.parametrize("user", ["alpha_viewer", "beta_admin", "gamma_editor", "net_admin", "outsider"])
async def test_pages_follow_the_publishing_state(pub_world, client, user):
    await signed_in(client, f"{user}@example.org")
    for kind in ("case", "lesson"):
        listing = await client.get(f"/{KIND_PATHS[kind]}" if kind == "lesson" else "/", params={"q": ""})
        assert listing.status_code == 200
        no_leak(user, listing.text, f"{kind} listing")
        for owner, audience, state in RECORDS:
            slug = slug_of(owner, audience, state)
            page = await client.get(f"/{KIND_PATHS[kind]}/{owner}/{slug}")
            title = title_for(user, owner, audience, state)
            if title is None:
                assert page.status_code == 404 and slug not in page.text, (user, kind, slug)
            else:
                assert page.status_code == 200 and title in page.text, (user, kind, slug)
                no_leak(user, page.text, f"page {slug}")


REVIEWS = {"alpha_admin": {"pub-alpha-public-review"}, "beta_admin": {"pub-beta-public-review"},
           "net_admin": {"pub-alpha-network-review", "pub-gamma-network-review"}}


@pytest.mark.parametrize("user", ["alpha_admin", "alpha_editor", "beta_admin", "gamma_editor", "net_admin",
                                  "outsider"])
async def test_the_review_queue_holds_what_the_user_may_review(pub_world, client, user):
    queue = await publishing.review_queue(await pub_world.actor(user))
    assert {(q["kind"], q["slug"]) for q in queue} == {(k, s) for k in ("case", "lesson")
                                                       for s in REVIEWS.get(user, set())}, user
    await signed_in(client, f"{user}@example.org")
    page = await client.get("/review")
    assert page.status_code == 200
    assert {s for s in ALL if s in page.text} == REVIEWS.get(user, set()), user
    for owner, audience, state in RECORDS:
        slug = slug_of(owner, audience, state)
        for kind in ("case", "lesson"):
            record = await client.get(f"/review/{kind}/{owner}/{slug}")
            # Outside the owner a reviewer opens only what was submitted (issue 11, Low 11).
            reviewer = slug in REVIEWS.get(user, set()) or (audience == "public" and user == f"{owner}_admin")
            if mine(user, owner) or reviewer:
                assert record.status_code == 200, (user, kind, slug)
            else:
                assert record.status_code == 404 and slug not in record.text, (user, kind, slug)


def reviewer(user: str, owner: str, audience: str) -> bool:
    if audience == "public":
        return user == f"{owner}_admin"
    return user == "net_admin" and owner in ("alpha", "gamma")


def allowed(user: str, action: str, owner: str, audience: str) -> bool:
    role = USERS.get(user, (None, None))[1] if mine(user, owner) else None
    if action == "submit":
        return role in ("editor", "admin")
    if action == "withdraw":
        return role == "admin" or reviewer(user, owner, audience)
    return reviewer(user, owner, audience)


@pytest.mark.parametrize("user", API_USERS)
async def test_transitions_answer_by_the_rule_and_change_nothing(pub_world, client, user):
    """Every action on every record with a stale version: 401/404/403 before the state is even looked at,
    else 409; a 404 says nothing more than for a record that does not exist."""
    for owner, audience, state in RECORDS:
        slug = slug_of(owner, audience, state)
        for kind in ("case", "lesson"):
            for action in ("submit", "approve", "return", "withdraw"):
                response = await client.post(f"/api/v1/{KIND_PATHS[kind]}/{owner}/{slug}/{action}",
                                             json={"version": 999, "comment": "why"}, headers=pub_world.auth(user))
                if user == "anonymous":
                    want = 401
                elif not (reads(user, owner, audience, state) or reviewer(user, owner, audience)):
                    want = 404
                elif not allowed(user, action, owner, audience):
                    want = 403
                else:
                    want = 409
                assert response.status_code == want, (user, kind, slug, action, response.text)
                if want == 404:
                    assert response.json() == NOT_FOUND[kind]
                if want in (403, 409):
                    no_leak(user, response.text, f"{action} {slug}")
