"""The drifts between cases and lessons, fixed in the one record module (casebook.services.records): a lesson
import records what a case import records, lessons have a single-revision read, lesson lists filter and page
in SQL on what the reader sees, and both kinds import with the same `replace` option."""

from __future__ import annotations

import pytest

from casebook.db.tables import AuditEvent, LessonFacet, LessonRevision
from casebook.domain.errors import InvalidInput
from casebook.services import lessons, library
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson

API = "/api/v1/lessons"


async def _actions(tenant_id: int) -> list[tuple[str, str]]:
    rows = await AuditEvent.select(AuditEvent.action, AuditEvent.target).where(
        AuditEvent.tenant == tenant_id).order_by(AuditEvent.id)
    return [(r["action"], r["target"]) for r in rows]


async def test_an_operator_import_of_a_public_record_records_the_approval_for_both_kinds(world):
    alpha = world.tenant_ids["alpha"]
    operator = system_actor(alpha)
    await library.import_documents(operator, "alpha", [("c.yaml", make_case("imported-case"))], "public")
    await lessons.import_lessons(operator, "alpha", [("l.yaml", make_lesson("imported-lesson"))], "public")
    assert (await _actions(alpha))[-4:] == [
        ("case.import", "alpha/imported-case"), ("case.approve", "alpha/imported-case"),
        ("lesson.import", "alpha/imported-lesson"), ("lesson.approve", "alpha/imported-lesson")]
    revision = await LessonRevision.select(LessonRevision.version, LessonRevision.published_at).first()
    assert revision["version"] == 1 and revision["published_at"] is not None


async def test_one_lesson_revision_reads_like_a_case_revision(world, client):
    editor, outsider = world.auth("alpha_editor"), world.auth("beta_viewer")
    body = {"tenant": "alpha", "visibility": "public",
            "lesson": make_lesson("one-rev", cases=["alpha/alpha-public", "alpha/alpha-private"])}
    assert (await client.post(API, json=body, headers=editor)).status_code == 201
    first = await client.get(f"{API}/alpha/one-rev/revisions/1", headers=editor)
    assert first.status_code == 200, first.text
    assert (first.json()["version"], first.json()["action"], first.json()["author"]) == (1, "create", "alpha_editor")
    assert first.json()["lesson"]["cases"] == ["alpha/alpha-public", "alpha/alpha-private"]
    # Outside the owner: nothing until approved, then no author and no private case.
    assert (await client.get(f"{API}/alpha/one-rev/revisions/1", headers=outsider)).status_code == 404
    assert (await client.post(f"{API}/alpha/one-rev/submit", json={}, headers=editor)).status_code == 200
    approved = await client.post(f"{API}/alpha/one-rev/approve", json={"version": 1},
                                 headers=world.auth("alpha_admin"))
    assert approved.status_code == 200, approved.text
    seen = await client.get(f"{API}/alpha/one-rev/revisions/1", headers=outsider)
    assert seen.status_code == 200, seen.text
    assert seen.json()["author"] is None and seen.json()["lesson"]["cases"] == ["alpha/alpha-public"]
    missing = await client.get(f"{API}/alpha/one-rev/revisions/7", headers=editor)
    assert missing.status_code == 404 and missing.json()["error"] == "revision 7 not found"


async def test_lesson_lists_filter_and_page_in_sql_on_what_the_reader_sees(world, client):
    operator = system_actor(world.tenant_ids["alpha"])
    docs = [(f"{s}.yaml", make_lesson(s, title=t, tags=["Trust"] if s != "c" else ["other"]))
            for s, t in (("a", "Zeta lesson"), ("b", "alpha lesson"), ("c", "Mid lesson"))]
    await lessons.import_lessons(operator, "alpha", docs, "public")
    # A draft edit of "a" tags it "secret"; only its owner may find it by that tag.
    editor = world.auth("alpha_editor")
    changed = make_lesson("a", title="Zeta lesson", tags=["secret"])
    assert (await client.put(f"{API}/alpha/a", json={"lesson": changed, "version": 1},
                             headers=editor)).status_code == 200
    assert await LessonFacet.count().where((LessonFacet.facet == "p:tags") & (LessonFacet.value == "trust")) == 1
    outsider = world.auth("beta_viewer")
    page = (await client.get(f"{API}?tag=trust&per_page=1", headers=outsider)).json()
    assert (page["total"], [i["slug"] for i in page["items"]]) == (2, ["b"])
    second = (await client.get(f"{API}?tag=TRUST&per_page=1&page=2", headers=outsider)).json()
    assert (second["total"], [i["slug"] for i in second["items"]]) == (2, ["a"])
    assert (await client.get(f"{API}?tag=secret", headers=outsider)).json()["total"] == 0
    owner = (await client.get(f"{API}?tag=secret", headers=editor)).json()
    assert [i["slug"] for i in owner["items"]] == ["a"]


async def test_both_kinds_import_with_one_replace_option(world):
    operator = system_actor(world.tenant_ids["alpha"])
    first = await lessons.import_lessons(operator, "alpha", [("x.yaml", make_lesson("again"))], "network")
    assert first == {"created": 1, "updated": 0, "unchanged": 0}
    with pytest.raises(InvalidInput) as clash:
        await lessons.import_lessons(operator, "alpha", [("x.yaml", make_lesson("again", title="Again, edited"))])
    assert [(p.file, p.field, p.message) for p in clash.value.problems] == [
        ("x.yaml", "slug", "a lesson with slug 'again' already exists in alpha (use --replace to update it)")]
    edited = [("x.yaml", make_lesson("again", title="Again, edited"))]
    replaced = await lessons.import_lessons(operator, "alpha", edited, "network", replace=True)
    assert replaced == {"created": 0, "updated": 1, "unchanged": 0}
    same = await lessons.import_lessons(operator, "alpha", edited, "network", replace=True)
    assert same == {"created": 0, "updated": 0, "unchanged": 1}
    got = await lessons.get_lesson(operator, "alpha", "again")
    assert (got["version"], got["title"], got["publication"]["state"]) == (2, "Again, edited", "published")
