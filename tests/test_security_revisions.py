"""Revision history outside the owner (issue 11, High 3 and Medium 9).

Outside the owner organisation a reader sees only revisions approved for an audience it belongs to, never a
withdrawn one (not even after a later version is published), and no revision names its author.
"""

from __future__ import annotations

import pytest

from casebook.services import cases, lessons, publishing
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson
from tests.test_web_plans import signed_in

NETWORK_WORD = "Netherquill"  # only in the version approved for the network
WITHDRAWN_WORD = "Ashvanish"  # only in the version later withdrawn
KINDS = {"case": (publishing.CASES, cases.create_case, cases.update_case),
         "lesson": (publishing.LESSONS, lessons.create_lesson, lessons.update_lesson)}


def doc(kind: str, slug: str, word: str) -> dict:
    if kind == "case":
        return make_case(slug, title=f"{word} partnership", summary=f"{word} summary.")
    return make_lesson(slug, title=f"{word} lesson", body=f"{word} body.")


async def _submit_approve(world, kind: str, slug: str, reviewer: str, version: int) -> None:
    pub = KINDS[kind][0]
    await publishing.transition(await world.actor("alpha_editor"), pub, "alpha", slug, "submit")
    await publishing.transition(await world.actor(reviewer), pub, "alpha", slug, "approve", expected_version=version)


async def network_then_public(world, kind: str) -> str:
    """v1 approved for the network, v2 (new text) approved for everyone."""
    pub, create, update = KINDS[kind]
    slug = f"{kind}-widening"
    editor = await world.actor("alpha_editor")
    await create(editor, "alpha", doc(kind, slug, NETWORK_WORD), "network")
    await _submit_approve(world, kind, slug, "net_admin", 1)
    await update(editor, "alpha", slug, doc(kind, slug, "Everyone"), 1, "public")
    await _submit_approve(world, kind, slug, "alpha_admin", 2)
    return slug


async def withdrawn_then_republished(world, kind: str) -> str:
    """v1 published to everyone, withdrawn; v2 (new text) published again."""
    pub, create, update = KINDS[kind]
    slug = f"{kind}-retracted"
    editor = await world.actor("alpha_editor")
    await create(editor, "alpha", doc(kind, slug, WITHDRAWN_WORD), "public")
    await _submit_approve(world, kind, slug, "alpha_admin", 1)
    await publishing.transition(await world.actor("alpha_admin"), pub, "alpha", slug, "withdraw")
    await update(editor, "alpha", slug, doc(kind, slug, "Corrected"), 1)
    await _submit_approve(world, kind, slug, "alpha_admin", 2)
    return slug


# Who sees which versions of each story: the owner every one, the network member what the network was
# shown, everyone else what the public was shown; nobody outside the owner a withdrawn version.
SEEN = {
    "network_then_public": {"alpha_viewer": [2, 1], "gamma_editor": [2, 1], "beta_viewer": [2], "anonymous": [2]},
    "withdrawn_then_republished": {"alpha_viewer": [2, 1], "gamma_editor": [2], "beta_viewer": [2],
                                   "anonymous": [2]},
}
STORIES = {"network_then_public": (network_then_public, NETWORK_WORD),
           "withdrawn_then_republished": (withdrawn_then_republished, WITHDRAWN_WORD)}


@pytest.mark.parametrize("story", sorted(STORIES))
@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_history_outside_the_owner_shows_only_what_the_reader_was_approved_for(world, client, kind, story):
    build, word = STORIES[story]
    slug = await build(world, kind)
    base = f"/api/v1/{kind}s/alpha/{slug}"
    for user, versions in SEEN[story].items():
        listed = await client.get(f"{base}/revisions", headers=world.auth(user))
        assert listed.status_code == 200, (user, listed.text)
        body = listed.json()
        assert [r["version"] for r in body] == versions, user
        authors = {r["author"] for r in body}
        assert authors == ({"alpha_editor"} if user == "alpha_viewer" else {None}), user
        assert "example.org" not in listed.text
        if kind == "case":
            one = await client.get(f"{base}/revisions/1", headers=world.auth(user))
            assert one.status_code == (200 if 1 in versions else 404), user
            assert (word in one.text) == (1 in versions), user
            client.cookies.clear()
            if user != "anonymous":
                await signed_in(client, user)
            page = await client.get(f"/cases/alpha/{slug}/history?from=1&to=2")
            assert page.status_code == (200 if 1 in versions else 400), user  # 400: "version 1 was never published"
            assert (word in page.text) == (1 in versions), user


@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_pages_never_show_a_version_the_reader_was_not_approved_for(world, client, kind):
    slug = await withdrawn_then_republished(world, kind)
    widening = await network_then_public(world, kind)
    for path, word in ((f"/{kind}s/alpha/{slug}", WITHDRAWN_WORD), (f"/{kind}s/alpha/{widening}", NETWORK_WORD)):
        page = await client.get(path)
        assert page.status_code == 200
        assert word not in page.text and "alpha_editor" not in page.text, path
    if kind == "case":
        full = await client.get(f"/cases/alpha/{slug}/history")
        assert full.status_code == 200 and WITHDRAWN_WORD not in full.text


async def test_a_withdrawn_version_stays_in_the_owners_history(world, client):
    slug = await withdrawn_then_republished(world, "case")
    body = (await client.get(f"/api/v1/cases/alpha/{slug}/revisions/1", headers=world.auth("alpha_viewer"))).json()
    assert (body["case"]["title"], body["author"]) == (f"{WITHDRAWN_WORD} partnership", "alpha_editor")


async def test_the_migration_backfill_marks_revisions_withdrawn_before(world):
    """m0010's back-fill, run on rows written before the flag existed: currently withdrawn, and republished."""
    from casebook.db.migrations.m0010_revision_withdrawn import KINDS as TABLES
    from casebook.db.migrations.m0010_revision_withdrawn import _backfill
    from casebook.db.tables import CaseRevision, LessonRevision
    await withdrawn_then_republished(world, "case")
    editor = await world.actor("alpha_editor")
    await lessons.create_lesson(editor, "alpha", doc("lesson", "lesson-down", WITHDRAWN_WORD), "public")
    await _submit_approve(world, "lesson", "lesson-down", "alpha_admin", 1)
    await publishing.transition(await world.actor("alpha_admin"), publishing.LESSONS, "alpha", "lesson-down",
                                "withdraw")
    for table in (CaseRevision, LessonRevision):
        await table.update({table.withdrawn: False}, force=True)
    engine = CaseRevision._meta.db
    for revision, record, fk in TABLES:
        for statement in _backfill(revision, record, fk)[1:]:  # the column exists already
            await engine.run_ddl(statement)
    cases_flagged = await CaseRevision.select(CaseRevision.version, CaseRevision.withdrawn).where(
        CaseRevision.case.slug == "case-retracted").order_by(CaseRevision.version)
    assert [(r["version"], bool(r["withdrawn"])) for r in cases_flagged] == [(1, True), (2, False)]
    lesson_flagged = await LessonRevision.select(LessonRevision.withdrawn)
    assert [bool(r["withdrawn"]) for r in lesson_flagged] == [True]
