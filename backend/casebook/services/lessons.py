"""Lesson services: list, read, create, update, delete, restore, revisions. Every call is tenant-scoped.

Lessons follow the cases' rules: members of the owner read and edit the working copy, everyone else
reads only the last approved snapshot (casebook.services.publishing). Each write runs in one
transaction with its revision, audit event and search outbox entry, so nothing is half-written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook.db.tables import CaseRecord, LessonRecord, LessonRevision
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor, can_write, read_condition, require_signed_in, require_write
from casebook.domain.errors import Conflict, InvalidInput, NotFound, Problem
from casebook.domain.lessonfile import CASE_REF, load_lesson_files, validate_lesson
from casebook.domain.markdown import render
from casebook.domain.vocabulary import MSP_STEPS, SCALING_DIMENSIONS, VISIBILITIES
from casebook.services import audit, outbox, publishing
from casebook.services.cases import tenant_for_write
from casebook.services.clock import now
from casebook.services.integrity import is_unique_violation, lock_version

MAX_PER_PAGE = 100
WHAT = "lesson"

COLUMNS = (
    LessonRecord.id, LessonRecord.tenant, LessonRecord.tenant.slug.as_alias("tenant_slug"),
    LessonRecord.tenant.name.as_alias("organisation"), LessonRecord.slug, LessonRecord.visibility,
    LessonRecord.title, LessonRecord.data, LessonRecord.version, LessonRecord.created_at, LessonRecord.updated_at,
    LessonRecord.deleted_at, LessonRecord.created_by.name.as_alias("author"), LessonRecord.publication,
    LessonRecord.published_version, LessonRecord.published_visibility, LessonRecord.published_data,
    LessonRecord.published_at, LessonRecord.review_comment,
)


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
        values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in raw.items()}
        problems = []
        if values.get("step") is not None:
            try:
                values["step"] = int(values["step"])
                assert values["step"] in MSP_STEPS
            except (ValueError, AssertionError):
                problems.append(Problem("must be an MSP step number from 1 to 12", field="step"))
        if values.get("dimension") and values["dimension"] not in SCALING_DIMENSIONS:
            problems.append(Problem(f"must be one of {', '.join(SCALING_DIMENSIONS)}", field="dimension"))
        if values.get("case") and not CASE_REF.match(values["case"]):
            problems.append(Problem("must name a case as tenant/slug", field="case"))
        if problems:
            raise InvalidInput(problems)
        return cls(**values)

    def keep(self, data: dict[str, Any]) -> bool:
        tags = {t.casefold() for t in data.get("tags") or []}
        return ((not self.tag or self.tag.casefold() in tags)
                and (not self.step or self.step in (data.get("msp_steps") or []))
                and (not self.dimension or self.dimension in (data.get("dimensions") or []))
                and (not self.case or self.case in (data.get("cases") or [])))


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _row(row: dict[str, Any]) -> dict[str, Any]:
    """The row as the publishing service expects it (decoded JSON)."""
    return {**row, "data": _loads(row["data"]), "published_data": _loads(row["published_data"])}


async def readable_cases(actor: Actor, refs: set[str]) -> dict[str, str]:
    """The "tenant/slug" references among `refs` naming a case the actor may read, each with the title
    the actor sees (the published one outside the owner). One query."""
    if not refs:
        return {}
    pairs = [r.split("/", 1) for r in refs]
    rows = await CaseRecord.select(
        CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("t"), CaseRecord.slug, CaseRecord.data,
        CaseRecord.published_visibility, CaseRecord.published_data,
    ).where(read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null()
            & CaseRecord.slug.is_in(sorted({s for _, s in pairs})))
    titles = {}
    for row in rows:
        ref = f"{row['t']}/{row['slug']}"
        seen = publishing.visible_data({**row, "data": _loads(row["data"]),
                                        "published_data": _loads(row["published_data"])}, actor)
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


async def _find(tenant_slug: str, slug: str) -> dict[str, Any] | None:
    row = await LessonRecord.select(*COLUMNS).where(
        (LessonRecord.tenant.slug == tenant_slug) & (LessonRecord.slug == slug)).first()
    return _row(row) if row else None


async def _readable(actor: Actor, tenant_slug: str, slug: str,
                    include_deleted: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """The row and what the actor sees of it; unknown and unreadable are the same 404."""
    row = await _find(tenant_slug, slug)
    data = publishing.visible_data(row, actor) if row else None
    if row is None or data is None:
        raise NotFound("lesson not found")
    if row["deleted_at"] is not None and not (include_deleted and can_write(actor, row["tenant"])):
        raise NotFound("lesson not found")
    return row, data


async def _out(actor: Actor, row: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    return lesson_out(row, data, actor, await readable_cases(actor, set(data.get("cases") or [])))


async def get_lesson(actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    return await _out(actor, *await _readable(actor, tenant_slug, slug))


async def visible_lessons(actor: Actor, filters: LessonFilters = LessonFilters()) -> list[tuple[dict, dict]]:
    """(row, visible data) of every lesson the actor reads that passes the filters, by title.

    Filters apply to what the actor sees (the snapshot for others), so a draft's new tag cannot leak."""
    if filters.case and not await readable_cases(actor, {filters.case}):
        return []  # a filter on a case the actor may not read must not tell which lessons cite it
    where = read_condition(LessonRecord, actor) & LessonRecord.deleted_at.is_null()
    if filters.tenant:
        where = where & (LessonRecord.tenant.slug == filters.tenant)
    out = []
    for raw in await LessonRecord.select(*COLUMNS).where(where).order_by(LessonRecord.id):
        row = _row(raw)
        data = publishing.visible_data(row, actor)
        if data is not None and filters.keep(data):
            out.append((row, data))
    return sorted(out, key=lambda rd: (rd[1]["title"].casefold(), rd[0]["id"]))


async def list_lessons(actor: Actor, filters: LessonFilters = LessonFilters(), page: int = 1,
                       per_page: int = 20) -> dict[str, Any]:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(Problem(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}", field="page"))
    found = await visible_lessons(actor, filters)
    chosen = found[(page - 1) * per_page: page * per_page]
    readable = await readable_cases(actor, {c for _, d in chosen for c in d.get("cases") or []})
    return {"items": [lesson_out(r, d, actor, readable, full=False) for r, d in chosen], "total": len(found),
            "page": page, "per_page": per_page}


async def _checked(actor: Actor, data: Any, visibility: str | None) -> dict[str, Any]:
    """The valid, normalised lesson; every problem (fields, visibility, unreadable cases) in one 400."""
    problems: list[Problem] = []
    lesson: dict[str, Any] | None = None
    try:
        lesson = validate_lesson(data)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if visibility is not None and visibility not in VISIBILITIES:
        problems.append(Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility"))
    refs = data.get("cases") if isinstance(data, dict) and isinstance(data.get("cases"), list) else []
    refs = [(i, r) for i, r in enumerate(refs) if isinstance(r, str) and CASE_REF.match(r)]  # others named above
    readable = await readable_cases(actor, {r for _, r in refs})
    problems.extend(Problem(f"no case you may read is {ref!r}", field=f"lesson.cases[{i}]")
                    for i, ref in refs if ref not in readable)
    if problems or lesson is None:
        raise InvalidInput(problems)
    return lesson


async def _record(lesson_id: int, version: int, visibility: str, data: dict, action: str, actor: Actor,
                  tenant_id: int, target: str, published_at: Any = None) -> None:
    await LessonRevision.insert(LessonRevision(lesson=lesson_id, version=version, visibility=visibility,
                                               data=json.dumps(data), action=action, author=actor.user_id,
                                               published_at=published_at))
    await outbox.enqueue("lesson", lesson_id, "delete" if action == "delete" else "upsert")
    await audit.record(actor, tenant_id, f"lesson.{action}", target, version=version, visibility=visibility)


def _columns(values: dict[Any, Any]) -> dict[str, Any]:
    """Publishing values keyed by column name, JSON encoded where the column is JSON."""
    out = {}
    for key, value in values.items():
        name = key if isinstance(key, str) else key._meta.name
        out[name] = json.dumps(value) if name == "published_data" and value is not None \
            and not isinstance(value, str) else value
    return out


async def insert_lesson(actor: Actor, tenant: dict, data: dict, visibility: str, action: str = "create") -> int:
    """Inside the caller's transaction: the row, its first revision, outbox and audit."""
    publication = _columns(publishing.insert_values(actor, visibility, data))
    row = (await LessonRecord.insert(LessonRecord(
        tenant=tenant["id"], slug=data["slug"], visibility=visibility, title=data["title"], data=json.dumps(data),
        version=1, created_by=actor.user_id, updated_by=actor.user_id, **publication,
    )).returning(LessonRecord.id))[0]
    await _record(row["id"], 1, visibility, data, action, actor, tenant["id"], f"{tenant['slug']}/{data['slug']}",
                  published_at=publication.get("published_at"))
    return row["id"]


async def create_lesson(actor: Actor, tenant_slug: str, data: Any, visibility: str = "private") -> dict[str, Any]:
    tenant = await tenant_for_write(actor, tenant_slug)
    lesson = await _checked(actor, data, visibility)
    try:
        async with write_transaction():
            existing = await _find(tenant_slug, lesson["slug"])
            if existing is not None:
                hint = " (it is deleted: restore it instead)" if existing["deleted_at"] else ""
                raise Conflict(f"a lesson with slug {lesson['slug']!r} already exists{hint}")
            await insert_lesson(actor, tenant, lesson, visibility)
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(f"a lesson with slug {lesson['slug']!r} already exists") from None
        raise
    return await get_lesson(actor, tenant_slug, lesson["slug"])


async def _versioned_update(actor: Actor, row: dict, expected_version: int, values: dict) -> None:
    """The optimistic lock: the row changes only if nobody saved since `expected_version`."""
    expected = lock_version(expected_version)
    changed = await LessonRecord.update({**values, LessonRecord.version: expected + 1,
                                         LessonRecord.updated_at: now(), LessonRecord.updated_by: actor.user_id}).where(
        (LessonRecord.id == row["id"]) & (LessonRecord.version == expected)).returning(LessonRecord.id)
    if not changed:
        current = _row(await LessonRecord.select(*COLUMNS).where(LessonRecord.id == row["id"]).first())
        raise Conflict(
            f"this lesson was changed by someone else (you edited version {expected_version}, "
            f"the current version is {current['version']}); reload and apply your change again",
            current=await _out(actor, current, current["data"]),
        )


async def update_lesson(actor: Actor, tenant_slug: str, slug: str, data: Any, expected_version: int | None,
                        visibility: str | None = None) -> dict[str, Any]:
    row, _ = await _readable(actor, tenant_slug, slug)
    require_write(actor, row["tenant"], row["published_visibility"] or "private", WHAT)
    if expected_version is None:
        raise InvalidInput(Problem("send the version you edited (field `version` or an If-Match header)",
                                   field="version"))
    lesson = await _checked(actor, data, visibility)
    if lesson["slug"] != slug:
        raise InvalidInput(Problem("the slug of a lesson cannot change", field="lesson.slug"))
    visibility = visibility or row["visibility"]
    values = _columns(publishing.edit_values(row, actor, visibility=visibility, data=lesson,
                                             version=expected_version + 1))
    async with write_transaction():
        await _versioned_update(actor, row, expected_version, {
            LessonRecord.data: json.dumps(lesson), LessonRecord.title: lesson["title"],
            LessonRecord.visibility: visibility, **values,
        })
        await publishing.retire_withdrawn(publishing.LESSONS, row["id"], values)
        await _record(row["id"], expected_version + 1, visibility, lesson, "update", actor, row["tenant"],
                      f"{tenant_slug}/{slug}", published_at=values.get("published_at"))
    return await get_lesson(actor, tenant_slug, slug)


async def delete_lesson(actor: Actor, tenant_slug: str, slug: str, expected_version: int | None = None) -> None:
    row, data = await _readable(actor, tenant_slug, slug)
    require_write(actor, row["tenant"], row["published_visibility"] or "private", WHAT)
    version = row["version"] if expected_version is None else expected_version
    async with write_transaction():
        await _versioned_update(actor, row, version, {LessonRecord.deleted_at: now()})
        await _record(row["id"], version + 1, row["visibility"], data, "delete", actor, row["tenant"],
                      f"{tenant_slug}/{slug}")


async def restore_lesson(actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    row, data = await _readable(actor, tenant_slug, slug, include_deleted=True)
    require_write(actor, row["tenant"], row["published_visibility"] or "private", WHAT)
    if row["deleted_at"] is None:
        raise Conflict("this lesson is not deleted")
    async with write_transaction():
        await _versioned_update(actor, row, row["version"], {LessonRecord.deleted_at: None})
        await _record(row["id"], row["version"] + 1, row["visibility"], data, "restore", actor, row["tenant"],
                      f"{tenant_slug}/{slug}")
    return await get_lesson(actor, tenant_slug, slug)


async def revisions(actor: Actor, tenant_slug: str, slug: str) -> list[dict[str, Any]]:
    row, _ = await _readable(actor, tenant_slug, slug, include_deleted=True)
    return await publishing.list_revisions(publishing.LESSONS, row, actor)


async def import_files(actor: Actor, tenant_slug: str, paths: list[Path], visibility: str = "private",
                       skip_existing: bool = False) -> dict[str, int]:
    """Lesson YAML files (folders expand to *.yaml), all or nothing; problems name file, line and field."""
    loaded = load_lesson_files(paths)
    return await import_lessons(actor, tenant_slug, [(str(p), d) for p, d in loaded], visibility, skip_existing)


async def import_lessons(actor: Actor, tenant_slug: str, lessons: list[tuple[str, dict[str, Any]]],
                         visibility: str = "private", skip_existing: bool = False) -> dict[str, int]:
    """All or nothing: every (file name, lesson) is checked, then all are written in one transaction."""
    require_signed_in(actor)
    tenant = await tenant_for_write(actor, tenant_slug)
    if visibility not in VISIBILITIES:
        raise InvalidInput(Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility"))
    checked, problems = [], []
    for name, data in lessons:
        try:
            checked.append(await _checked(actor, data, None))
        except InvalidInput as exc:
            problems.extend(Problem(p.message, field=p.field, file=name) for p in exc.problems)
    if problems:
        raise InvalidInput(problems)
    created = skipped = 0
    async with write_transaction():
        for lesson in checked:
            if await _find(tenant_slug, lesson["slug"]) is not None:
                if skip_existing:
                    skipped += 1
                    continue
                raise InvalidInput(Problem(f"a lesson with slug {lesson['slug']!r} already exists",
                                           field="slug"))
            await insert_lesson(actor, tenant, lesson, visibility, "import")
            created += 1
    return {"created": created, "skipped": skipped}
