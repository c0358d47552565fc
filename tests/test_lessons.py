"""Lessons learned as records: CRUD, validation, concurrency, publishing, isolation and Markdown sanitising."""

from __future__ import annotations

import pytest

from casebook.db.tables import AuditEvent, LessonRecord, LessonRevision, Outbox
from casebook.domain.errors import InvalidInput
from casebook.domain.lessonfile import load_lesson_files
from casebook.domain.markdown import render, sanitise
from casebook.services import lessons
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests.lesson_fixtures import XSS_BODY, XSS_PAYLOADS, make_lesson, unsafe_parts

API = "/api/v1/lessons"


async def create(client, world, slug="trust-first", user="alpha_editor", visibility="private", **fields):
    body = {"tenant": "alpha", "visibility": visibility, "lesson": make_lesson(slug, **fields)}
    return await client.post(API, json=body, headers=world.auth(user))


async def publish(client, world, slug, reviewer="alpha_admin"):
    """Submit as the author, approve as a reviewer of the lesson's audience."""
    submitted = await client.post(f"{API}/alpha/{slug}/submit", json={}, headers=world.auth("alpha_editor"))
    assert submitted.status_code == 200, submitted.text
    version = (await client.get(f"{API}/alpha/{slug}", headers=world.auth("alpha_editor"))).json()["version"]
    approved = await client.post(f"{API}/alpha/{slug}/approve", json={"version": version},
                                 headers=world.auth(reviewer))
    assert approved.status_code == 200, approved.text
    return approved.json()


async def test_create_read_update_delete_restore_with_revisions(world, client):
    created = await create(client, world, cases=["alpha/alpha-private"])
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"v1"'
    body = created.json()
    assert (body["tenant"], body["slug"], body["organisation"], body["author"]) == (
        "alpha", "trust-first", "Alpha", "alpha_editor")
    assert body["publication"]["state"] == "draft" and body["visibility"] == "private"
    assert body["lesson"]["cases"] == ["alpha/alpha-private"]
    assert "<strong>trust</strong>" in body["body_html"]
    assert '<a href="https://example.org/msp" rel="noopener noreferrer">guidelines</a>' in body["body_html"]
    headers = world.auth("alpha_editor")
    changed = make_lesson("trust-first", title="Trust comes before agreements", msp_steps=[5, 3])
    updated = await client.put(f"{API}/alpha/trust-first", json={"lesson": changed},
                               headers={**headers, "If-Match": '"v1"'})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["version"], updated.json()["title"], updated.json()["lesson"]["msp_steps"]) == (
        2, "Trust comes before agreements", [3, 5])
    assert (await client.delete(f"{API}/alpha/trust-first", headers=headers)).status_code == 204
    assert (await client.get(f"{API}/alpha/trust-first", headers=headers)).status_code == 404
    again = await create(client, world)
    assert again.status_code == 409 and "restore it" in again.json()["error"]
    restored = await client.post(f"{API}/alpha/trust-first/restore", headers=headers)
    assert restored.status_code == 200 and restored.json()["version"] == 4
    revisions = (await client.get(f"{API}/alpha/trust-first/revisions", headers=headers)).json()
    assert [(r["version"], r["action"], r["author"]) for r in revisions] == [
        (4, "restore", "alpha_editor"), (3, "delete", "alpha_editor"), (2, "update", "alpha_editor"),
        (1, "create", "alpha_editor")]
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions[-4:] == ["lesson.create", "lesson.update", "lesson.delete", "lesson.restore"]
    outbox = await Outbox.select(Outbox.entity, Outbox.op).where(Outbox.entity == "lesson").order_by(Outbox.id)
    assert [r["op"] for r in outbox] == ["upsert", "upsert", "delete", "upsert"]


async def test_bad_input_gets_400_naming_each_field_and_writes_nothing(world, client):
    bad = make_lesson("Not A Slug", title="x", body="b" * 20_001, tags=[f"t{i}" for i in range(21)],
                      msp_steps=[3, 13], dimensions=["social", "moral"], cases=["nope", "beta/beta-private"],
                      colour="red")
    response = await client.post(API, json={"tenant": "alpha", "visibility": "secret", "lesson": bad},
                                 headers=world.auth("alpha_editor"))
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"lesson.slug", "lesson.title", "lesson.body", "lesson.tags", "lesson.msp_steps[1]",
                      "lesson.dimensions[1]", "lesson.cases[0]", "lesson.cases[1]", "lesson.colour", "visibility"}
    # A well-formed reference to a case the author may not read is named too, without saying whether it exists.
    unreadable = await create(client, world, cases=["beta/beta-private", "beta/no-such-case"])
    assert unreadable.status_code == 400
    assert [(p["field"], p["message"]) for p in unreadable.json()["problems"]] == [
        ("lesson.cases[0]", "no case you may read is 'beta/beta-private'"),
        ("lesson.cases[1]", "no case you may read is 'beta/no-such-case'")]
    assert await LessonRecord.count() == 0 and await LessonRevision.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action.like("lesson.%")) == 0


async def test_missing_fields_and_wrong_types_are_named(world, client):
    response = await client.post(API, json={"tenant": "alpha", "lesson": {"tags": "trust", "msp_steps": ["3"]}},
                                 headers=world.auth("alpha_editor"))
    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {
        "lesson.slug", "lesson.title", "lesson.body", "lesson.tags", "lesson.msp_steps[0]"}
    missing_version = await client.put(f"{API}/alpha/x", json={"lesson": make_lesson("x")},
                                       headers=world.auth("alpha_editor"))
    assert missing_version.status_code == 404  # unknown lesson first, before any detail of the body


async def test_a_stale_write_gets_409_with_the_current_lesson(world, client):
    await create(client, world)
    headers, url = world.auth("alpha_editor"), f"{API}/alpha/trust-first"
    first = await client.put(url, json={"version": 1, "lesson": make_lesson("trust-first", title="First edit")},
                             headers=headers)
    stale = await client.put(url, json={"version": 1, "lesson": make_lesson("trust-first", title="Second edit")},
                             headers=headers)
    assert first.status_code == 200 and stale.status_code == 409
    assert stale.json()["current"]["title"] == "First edit" and stale.json()["current"]["version"] == 2
    assert (await client.get(url, headers=headers)).json()["title"] == "First edit"
    no_version = await client.put(url, json={"lesson": make_lesson("trust-first")}, headers=headers)
    assert no_version.status_code == 400 and no_version.json()["problems"][0]["field"] == "version"


async def test_roles_viewer_cannot_write_and_slug_cannot_change(world, client):
    assert (await create(client, world, user="alpha_viewer")).status_code == 403
    await create(client, world)
    renamed = await client.put(f"{API}/alpha/trust-first", json={"version": 1, "lesson": make_lesson("other")},
                               headers=world.auth("alpha_editor"))
    assert renamed.status_code == 400 and renamed.json()["problems"][0]["field"] == "lesson.slug"
    viewer_edit = await client.put(f"{API}/alpha/trust-first", headers=world.auth("alpha_viewer"),
                                   json={"version": 1, "lesson": make_lesson("trust-first")})
    assert viewer_edit.status_code == 403
    assert (await client.post(API, json={"tenant": "beta", "lesson": make_lesson("x")},
                              headers=world.auth("alpha_editor"))).status_code == 404


async def test_publishing_gates_what_others_read(world, client):
    """A network lesson is readable by network peers only once a network admin approved it; a later edit
    goes back to draft while the approved snapshot stays what peers read."""
    await create(client, world, slug="shared", visibility="network", title="Approved title")
    gamma = world.auth("gamma_editor")
    assert (await client.get(f"{API}/alpha/shared", headers=gamma)).status_code == 404
    forbidden = await client.post(f"{API}/alpha/shared/submit", json={}, headers=world.auth("alpha_viewer"))
    assert forbidden.status_code == 403
    state = await publish(client, world, "shared", reviewer="net_admin")
    assert state["state"] == "published" and state["published_visibility"] == "network"
    seen = await client.get(f"{API}/alpha/shared", headers=gamma)
    assert seen.status_code == 200 and seen.json()["title"] == "Approved title"
    assert seen.json()["publication"] is None and seen.json()["author"] is None
    edit = make_lesson("shared", title="Unreviewed title", tags=["secret-new-tag"])
    assert (await client.put(f"{API}/alpha/shared", json={"version": 1, "lesson": edit},
                             headers=world.auth("alpha_editor"))).status_code == 200
    owner = (await client.get(f"{API}/alpha/shared", headers=world.auth("alpha_editor"))).json()
    assert (owner["title"], owner["publication"]["state"], owner["publication"]["pending"]) == (
        "Unreviewed title", "draft", True)
    assert (await client.get(f"{API}/alpha/shared", headers=gamma)).json()["title"] == "Approved title"
    by_tag = await client.get(API, params={"tag": "secret-new-tag"}, headers=gamma)
    assert by_tag.json()["total"] == 0
    assert (await client.get(f"{API}/alpha/shared", headers=world.auth("beta_admin"))).status_code == 404
    withdrawn = await client.post(f"{API}/alpha/shared/withdraw", json={}, headers=world.auth("alpha_admin"))
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert (await client.get(f"{API}/alpha/shared", headers=gamma)).status_code == 404
    bad = await client.post(f"{API}/alpha/shared/explode", json={}, headers=world.auth("alpha_admin"))
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "action"


async def test_private_and_network_lessons_do_not_leak_to_other_tenants(world, client):
    await create(client, world, slug="private-lesson", title="Secret-private lesson")
    await create(client, world, slug="net-lesson", visibility="network", title="Secret-network lesson")
    await publish(client, world, "net-lesson", reviewer="net_admin")
    await create(client, world, slug="public-lesson", visibility="public", title="Open lesson",
                 cases=["alpha/alpha-private", "alpha/alpha-public"])
    await publish(client, world, "public-lesson")
    expect = {
        "alpha_viewer": {"private-lesson", "net-lesson", "public-lesson"},
        "gamma_editor": {"net-lesson", "public-lesson"},
        "net_admin": {"net-lesson", "public-lesson"},
        "beta_admin": {"public-lesson"},
        "anonymous": {"public-lesson"},
    }
    for user, slugs in expect.items():
        listed = (await client.get(API, headers=world.auth(user))).json()
        assert {i["slug"] for i in listed["items"]} == slugs, user
        for slug in ("private-lesson", "net-lesson", "public-lesson"):
            api = await client.get(f"{API}/alpha/{slug}", headers=world.auth(user))
            assert api.status_code == (200 if slug in slugs else 404), (user, slug)
            assert "Secret-" not in api.text or slug in slugs
            revisions = await client.get(f"{API}/alpha/{slug}/revisions", headers=world.auth(user))
            assert revisions.status_code == (200 if slug in slugs else 404), (user, slug)
    # The public lesson links a private case: outsiders do not learn that case's slug.
    outside = (await client.get(f"{API}/alpha/public-lesson", headers=world.auth("beta_admin"))).json()
    assert outside["lesson"]["cases"] == ["alpha/alpha-public"]
    assert outside["linked_cases"] == [{"ref": "alpha/alpha-public", "title": "Secret-alpha-public partnership",
                                        "url": "/cases/alpha/alpha-public"}]
    # A pending edit of the linked case does not show its new title outside the owner.
    case_api = "/api/v1/cases/alpha/alpha-public"
    current = (await client.get(case_api, headers=world.auth("alpha_editor"))).json()
    edited = await client.put(case_api, headers=world.auth("alpha_editor"), json={
        "version": current["version"], "case": {**current["case"], "title": "Renamed in draft"}})
    assert edited.status_code == 200
    outside = (await client.get(f"{API}/alpha/public-lesson", headers=world.auth("beta_admin"))).json()
    assert [c["title"] for c in outside["linked_cases"]] == ["Secret-alpha-public partnership"]
    page = (await client.get("/lessons/alpha/public-lesson")).text
    assert "Secret-alpha-public partnership" in page and "Renamed in draft" not in page
    assert "alpha-private" not in (await client.get(API, headers=world.auth("beta_admin"))).text
    inside = (await client.get(f"{API}/alpha/public-lesson", headers=world.auth("alpha_viewer"))).json()
    assert inside["lesson"]["cases"] == ["alpha/alpha-private", "alpha/alpha-public"]
    # Outsiders cannot change what they can read.
    put = await client.put(f"{API}/alpha/public-lesson", json={"version": 3, "lesson": make_lesson("public-lesson")},
                           headers=world.auth("beta_admin"))
    assert put.status_code == 403
    assert (await client.delete(f"{API}/alpha/private-lesson", headers=world.auth("beta_admin"))).status_code == 404


async def test_lesson_pages_respect_isolation(world, client):
    await create(client, world, slug="private-lesson", title="Secret-private lesson")
    await create(client, world, slug="public-lesson", visibility="public", title="Open lesson",
                 cases=["alpha/alpha-private", "alpha/alpha-public"])
    await publish(client, world, "public-lesson")
    beta = await login(client, "beta_admin")
    assert (await client.get("/lessons/alpha/private-lesson", headers=beta)).status_code == 404
    assert (await client.get("/lessons/alpha/private-lesson/edit", headers=beta)).status_code == 404
    listing = await client.get("/lessons", headers=beta)
    assert listing.status_code == 200 and "Open lesson" in listing.text and "Secret-private" not in listing.text
    page = await client.get("/lessons/alpha/public-lesson", headers=beta)
    assert page.status_code == 200 and "alpha-private" not in page.text
    assert '<a href="/cases/alpha/alpha-public">' in page.text
    case_page = await client.get("/cases/alpha/alpha-public", headers=beta)
    assert 'hx-get="/lessons/linked?case=alpha/alpha-public"' in case_page.text
    linked = await client.get("/lessons/linked", params={"case": "alpha/alpha-public"}, headers=beta)
    assert '<a href="/lessons/alpha/public-lesson">Open lesson</a>' in linked.text
    # The public lesson also cites alpha's private case: beta must not learn that from the case filter.
    hidden = await client.get("/lessons/linked", params={"case": "alpha/alpha-private"}, headers=beta)
    assert hidden.status_code == 200 and "public-lesson" not in hidden.text
    alpha = await login(client, "alpha_viewer")
    own = await client.get("/lessons/linked", params={"case": "alpha/alpha-private"}, headers=alpha)
    assert "/lessons/alpha/public-lesson" in own.text and "Secret-private" not in own.text


async def login(client, user):
    from tests.factory import PASSWORD
    client.cookies.clear()
    form = await client.get("/login")
    token = client.cookies.get("casebook_csrf")
    response = await client.post("/login", data={"email": f"{user}@example.org", "password": PASSWORD, "next": "/",
                                                 "_csrf_token": token})
    assert response.status_code == 303, (form.status_code, response.text)
    return {"x-csrftoken": token}


async def test_filters_by_tag_step_dimension_and_case(world, client):
    await create(client, world, slug="one", tags=["Trust"], msp_steps=[3], dimensions=["conceptual"],
                 cases=["alpha/alpha-public"])
    await create(client, world, slug="two", tags=["budget"], msp_steps=[6, 11], dimensions=["political"])
    headers = world.auth("alpha_viewer")

    async def slugs(**params):
        response = await client.get(API, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [i["slug"] for i in response.json()["items"]]
    assert await slugs() == ["one", "two"]
    assert await slugs(tag="trust") == ["one"]
    assert await slugs(step="11") == ["two"]
    assert await slugs(dimension="political") == ["two"]
    assert await slugs(case="alpha/alpha-public") == ["one"]
    assert await slugs(per_page="1", page="2") == ["two"]
    bad = await client.get(API, params={"step": "13", "dimension": "moral", "case": "x"}, headers=headers)
    assert bad.status_code == 400
    assert {p["field"] for p in bad.json()["problems"]} == {"step", "dimension", "case"}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_each_xss_payload_renders_harmless(payload):
    html = render(f"Before.\n\n{payload}\n\nAfter.")
    assert unsafe_parts(html) == [], html
    low = html.lower()
    assert "<script" not in low and "<iframe" not in low and "<svg" not in low and "<img" not in low


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil.example></iframe>",
    "<svg onload=alert(1)>", '<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>', '<p style="x:expression(alert(1))" onclick="alert(1)">x</p>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', "<object data=javascript:alert(1)>",
])
def test_the_allow_list_alone_stops_raw_html(html):
    """Second layer: even if the Markdown parser let HTML through, nh3 keeps only the allow-list."""
    assert unsafe_parts(sanitise(html)) == []


def test_markdown_keeps_safe_formatting():
    html = render("# Head\n\n**b** _i_ ~~s~~ `c`\n\n1. one\n2. two\n\n> quote\n\n"
                  "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n<https://example.org> and <me@example.org> and [rel](/cases/a/b)")
    for part in ("<h1>Head</h1>", "<strong>b</strong>", "<em>i</em>", "<s>s</s>", "<code>c</code>", "<ol>",
                 "<blockquote>", '<th style="text-align:left">a</th>',
                 '<a href="https://example.org" rel="noopener noreferrer">',
                 '<a href="mailto:me@example.org" rel="noopener noreferrer">',
                 '<a href="/cases/a/b" rel="noopener noreferrer">rel</a>'):
        assert part in html


async def test_xss_body_through_the_api_is_stored_as_typed_and_rendered_safe(world, client):
    created = await create(client, world, slug="payloads", body=XSS_BODY)
    assert created.status_code == 201
    assert created.json()["lesson"]["body"] == XSS_BODY.strip()
    assert unsafe_parts(created.json()["body_html"]) == []


def test_the_seed_lessons_are_valid_and_cite_their_sources():
    loaded = load_lesson_files([CASES_DIR / "lessons"])
    assert len(loaded) == 16
    for path, data in loaded:
        assert data.get("sources"), path
        assert "# source:" in path.read_text(), path
        assert data.get("msp_steps") and data.get("dimensions"), path


async def test_import_is_all_or_nothing_and_the_system_actor_publishes(world, client):
    owner = system_actor(world.tenant_ids["alpha"])
    good, bad = make_lesson("imported-one"), make_lesson("imported-two", msp_steps=[99])
    with pytest.raises(InvalidInput) as failed:
        await lessons.import_lessons(owner, "alpha", [("a.yaml", good), ("b.yaml", bad)], "public")
    assert [(p.file, p.field) for p in failed.value.problems] == [("b.yaml", "lesson.msp_steps[0]")]
    assert await LessonRecord.count() == 0
    result = await lessons.import_lessons(owner, "alpha", [("a.yaml", good)], "public")
    assert result == {"created": 1, "updated": 0, "unchanged": 0}
    seen = await client.get(f"{API}/alpha/imported-one", headers=world.auth("beta_viewer"))
    assert seen.status_code == 200 and seen.json()["visibility"] == "public"


async def test_the_editor_pages_create_preview_conflict_and_publish(world, client):
    headers = await login(client, "alpha_editor")
    token = headers["x-csrftoken"]
    form = {"_csrf_token": token, "tenant": "alpha", "slug": "paged", "visibility": "network", "title": "x",
            "body": "Hello", "tags": "trust, <b>", "msp_steps": ["3", "4"], "dimensions": ["social"],
            "cases": "alpha/alpha-public\nbeta/beta-private"}
    bad = await client.post("/lessons/new", data=form)
    assert bad.status_code == 400
    assert 'id="f-title-err"' in bad.text and 'id="f-tags-err"' in bad.text and 'id="f-cases-err"' in bad.text
    assert "no case you may read is &#39;beta/beta-private&#39;" in bad.text
    assert await LessonRecord.count() == 0
    good = {**form, "title": "Made on the page", "tags": "trust", "cases": "alpha/alpha-public",
            "body": "**Bold** <script>alert(1)</script>"}
    created = await client.post("/lessons/new", data=good)
    assert created.status_code == 303 and created.headers["location"] == "/lessons/alpha/paged"
    page = await client.get("/lessons/alpha/paged")
    assert "<strong>Bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text and 'value="submit"' in page.text
    preview = await client.post("/lessons/preview", data={"body": "_hi_ <img src=x onerror=alert(1)>"},
                                headers={**headers, "hx-request": "true"})
    assert preview.status_code == 200 and "<em>hi</em> &lt;img src=x onerror=alert(1)&gt;" in preview.text

    edit = {**good, "version": "1", "title": "Edited first"}
    assert (await client.post("/lessons/alpha/paged/edit", data=edit)).status_code == 303
    stale = await client.post("/lessons/alpha/paged/edit", data={**edit, "title": "Edited second"})
    assert stale.status_code == 409 and "Someone else saved this lesson first" in stale.text
    assert "Edited second" in stale.text and 'name="version" value="2"' in stale.text

    submitted = await client.post("/lessons/alpha/paged/publication",
                                  data={"_csrf_token": token, "action": "submit", "version": "2"})
    assert submitted.status_code == 303
    approve = await client.post("/lessons/alpha/paged/publication",
                                data={"_csrf_token": token, "action": "approve", "version": "2"})
    assert approve.status_code == 403 and "needs an admin of that network" in approve.text
    net = await login(client, "net_admin")
    approved = await client.post("/lessons/alpha/paged/publication",
                                 data={"_csrf_token": net["x-csrftoken"], "action": "approve", "version": "2"})
    assert approved.status_code == 303
    assert (await lessons.get_lesson(await world.actor("alpha_editor"), "alpha", "paged"))["publication"][
        "state"] == "published"
    reader = await client.get("/lessons/alpha/paged")
    assert reader.status_code == 200 and "Edited first" in reader.text and 'id="publishing-h"' not in reader.text


def test_cli_lists_the_seed_lessons_with_their_linked_cases(tmp_path):
    """`casebook lessons list` reads as the operator; linked cases carry the titles readers see."""
    import json
    import os
    import subprocess
    import sys
    env = dict(os.environ, CASEBOOK_HOME=str(tmp_path / "home"), CASEBOOK_DEMO_PASSWORD="demo password 123")
    env.pop("CASEBOOK_DATABASE_URL", None)  # its own process on its own SQLite file
    cli = [sys.executable, "-c", "from casebook.cli.main import cli; cli()"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    out = subprocess.run([*cli, "lessons", "list", "--json"], env=env, capture_output=True, text=True, check=True)
    listed = {item["slug"]: item for item in json.loads(out.stdout)}
    assert len(listed) == 16 and all(item["tenant"] == "library" for item in listed.values())
    assert listed["diverse-funding-sustains-scaling"]["linked_cases"] == [{
        "ref": "library/vietnam-enda-waste", "url": "/cases/library/vietnam-enda-waste",
        "title": "ENDA Vietnam: scaling up solid waste management and support for independent waste collectors"}]
    table = subprocess.run([*cli, "lessons", "list"], env=env, capture_output=True, text=True, check=True)
    assert "library/diverse-funding-sustains-scaling\tpublic\tpublished" in table.stdout
