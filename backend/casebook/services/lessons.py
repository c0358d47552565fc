"""Lessons learned: the lesson configuration of the record module (casebook.services.records) and the
lesson's extras: Markdown rendered beside its source, links to cases (shown only where the reader may
read the case), and list filters by tag, MSP step, scaling dimension and linked case.

Lessons follow the cases' rules: members of the owner read and edit the working copy, everyone else
reads only the last approved snapshot (casebook.services.publishing). The module-level functions are
the entry points the API, pages and CLI call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piccolo.query.functions.string import Lower

from casebook.db import record_rows
from casebook.db.record_rows import LESSON_COLUMNS
from casebook.db.tables import CaseRecord, LessonRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.lessonfile import CASE_REF, load_lesson_files, validate_lesson
from casebook.domain.markdown import render
from casebook.domain.query_values import FilterValues
from casebook.domain.redaction import redact
from casebook.domain.visibility import visible_data
from casebook.domain.vocabulary import MSP_STEPS, SCALING_DIMENSIONS
from casebook.services import list_facets, publishing, records
from casebook.services.records import MAX_PER_PAGE

__all__ = ["MAX_PER_PAGE"]

COLUMNS = LESSON_COLUMNS


@dataclass(frozen=True)
class LessonFilters:
    tag: str | None = None
    step: int | None = None
    dimension: str | None = None
    case: str | None = None
    tenant: str | None = None

    @classmethod
    def parse(cls, **raw: str | None) -> LessonFilters:
        """Validates query-string filters; every bad value is named in one 400."""
        values = FilterValues(raw)
        values.number("step", MSP_STEPS, "must be an MSP step number from 1 to 12")
        values.choice("dimension", SCALING_DIMENSIONS)
        values.check("case", lambda ref: bool(CASE_REF.match(ref)), "must name a case as tenant/slug")
        return cls(**values.valid())

    async def condition(self, actor: Actor, owned: list[int]) -> Any:
        """The SQL condition, on what the actor sees (the snapshot for others), so a draft's new tag cannot
        leak; None (nothing matches) for a case the actor may not read, so it never tells who cites it."""
        if self.case and not await readable_cases(actor, {self.case}):
            return None
        where: Any = True
        for facet, value in (("tags", self.tag.casefold() if self.tag else None),
                             ("msp_steps", str(self.step) if self.step else None),
                             ("dimensions", self.dimension), ("cases", self.case)):
            if value:
                clause = list_facets.LESSONS.filter(facet, value, owned)
                where = clause if where is True else where & clause
        if self.tenant:
            clause = LessonRecord.tenant.slug == self.tenant
            where = clause if where is True else where & clause
        return where


async def readable_cases(actor: Actor, refs: set[str]) -> dict[str, str]:
    """The "tenant/slug" references among `refs` naming a case the actor may read, each with the title
    the actor sees (the published one outside the owner). One query."""
    if not refs:
        return {}
    pairs = [r.split("/", 1) for r in refs]
    rows = await record_rows.rows(record_rows.select(CaseRecord).where(
        read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null()
        & CaseRecord.slug.is_in(sorted({s for _, s in pairs}))))
    titles = {}
    for row in rows:
        ref = f"{row['tenant_slug']}/{row['slug']}"
        seen = visible_data(row, actor)
        if ref in refs and seen is not None:
            titles[ref] = seen["title"]
    return titles


def lesson_out(row: dict[str, Any], data: dict[str, Any], actor: Actor, readable: dict[str, str],
               full: bool = True) -> dict[str, Any]:
    """The API view: what the actor may see, the rendered body beside its Markdown source, and only the
    linked cases the actor may read (a private case's slug must not leak through a lesson)."""
    owner = row["tenant"] in actor.roles
    data = {**data, "cases": [c for c in data.get("cases") or [] if c in readable]}
    if not data["cases"]:
        data.pop("cases")
    out = {
        "tenant": row["tenant_slug"], "organisation": row["organisation"], "slug": row["slug"],
        "title": data["title"], "author": row["author"] if owner else None,
        "visibility": row["visibility"] if owner else row["published_visibility"],
        "version": row["version"] if owner else row["published_version"],
        "created_at": row["created_at"], "updated_at": row["updated_at"] if owner else row["published_at"],
        "deleted_at": row["deleted_at"], "publication": publishing.publication_out(row) if owner else None,
        "lesson": data,
        "linked_cases": [{"ref": c, "title": readable[c], "url": f"/cases/{c}"} for c in data.get("cases", [])],
    }
    if full:
        out["body_html"] = render(data["body"])
    return out


async def _present(actor: Actor, rows: list[dict[str, Any]], full: bool) -> list[dict[str, Any]]:
    """Rows -> API views, with one query for the titles of every linked case the actor may read."""
    seen = [(row, visible_data(row, actor) or {}) for row in rows]
    readable = await readable_cases(actor, {c for _, d in seen for c in d.get("cases") or []})
    return [lesson_out(row, data, actor, readable, full=full) for row, data in seen]


async def _revealed(actor: Actor, row: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """A revision's lesson: redacted outside the owner, and linking only the cases the actor may read."""
    data = data if row["tenant"] in actor.roles else redact(data)
    readable = await readable_cases(actor, set(data.get("cases") or []))
    return lesson_out(row, data, actor, readable, full=False)["lesson"]


async def _validate(actor: Actor, data: Any, visibility: str | None) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The valid, normalised lesson; every problem (fields, visibility, unreadable cases) in one 400."""
    problems: list[Problem] = []
    lesson: dict[str, Any] | None = None
    try:
        lesson = validate_lesson(data)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    problems.extend(records.visibility_problems(visibility))
    listed = data["cases"] if isinstance(data, dict) and isinstance(data.get("cases"), list) else []
    refs = [(i, r) for i, r in enumerate(listed) if isinstance(r, str) and CASE_REF.match(r)]  # others named above
    readable = await readable_cases(actor, {r for _, r in refs})
    problems.extend(Problem(f"no case you may read is {ref!r}", field=f"lesson.cases[{i}]")
                    for i, ref in refs if ref not in readable)
    return lesson, problems


KIND = records.RecordKind(
    publishing=publishing.LESSONS, columns=COLUMNS, validate=_validate,
    derived=lambda data: {LessonRecord.title: data["title"]}, present=_present, revealed=_revealed,
    order=lambda t: (Lower(t.title),), check_imports=True,
)


# The entry points the API, pages and CLI call, delegating to the generic record code.
(get_lesson, list_lessons, create_lesson, update_lesson, delete_lesson, restore_lesson, revisions, revision,
 import_lessons) = records.bound(KIND, "get", "list_records", "create", "update", "delete", "restore",
                                 "revisions", "revision", "import_many")


async def visible_lessons(actor: Actor, filters: LessonFilters = LessonFilters()
                          ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(row, visible data) of every lesson the actor reads that passes the filters, by title."""
    rows, _ = await records.select_rows(KIND, actor, filters)
    return [(row, data) for row in rows if (data := visible_data(row, actor)) is not None]




async def insert_lesson(actor: Actor, tenant: dict[str, Any], data: dict[str, Any], visibility: str,
                        action: str = "create") -> int:
    """Inside the caller's transaction: the row, its first revision, facets, outbox and audit."""
    return await records.insert(KIND, actor, tenant, data, visibility, action)


async def import_files(actor: Actor, tenant_slug: str, paths: list[Path], visibility: str = "private",
                       replace: bool = False) -> dict[str, int]:
    """Lesson YAML files (folders expand to *.yaml), all or nothing; problems name file, line and field."""
    loaded = load_lesson_files(paths)
    if not loaded:
        raise InvalidInput(Problem("no lesson files found (*.yaml)", file=", ".join(map(str, paths))))
    return await import_lessons(actor, tenant_slug, [(str(p), d) for p, d in loaded], visibility, replace)


