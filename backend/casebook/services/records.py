"""Tenant-owned, versioned, publishable records, one implementation for every kind (cases, lessons, …).

A `RecordKind` says what differs between kinds: its tables and columns (`publishing.Kind`), how a
document is validated, which columns derive from it, how rows become API views and which SQL filters its
lists take. Everything else is here once: create, versioned update (the optimistic lock), update,
delete, restore, the revision history and one revision, the bookkeeping of every write (revision row,
list facets, search outbox entry, audit event) and the all-or-nothing import. Every write is one
transaction, so nothing is half-written and the search index can always catch up.

Adding a kind (building blocks, replication records) is a table pair with the publishing columns (see
`db/tables/lessons.py`), a `publishing.Kind`, a `search.documents.Source` if it is searchable, and::

    BLOCKS = RecordKind(
        publishing=publishing.Kind("block", BlockRecord, BlockRevision, "block", "blocks"),
        columns=(*record_columns(BlockRecord), BlockRecord.summary),   # casebook.db.record_rows
        validate=check_block,                    # async (actor, data, visibility) -> (document, problems)
        derived=lambda d: {BlockRecord.title: d["title"], BlockRecord.summary: d.get("summary")},
        present=present_blocks,                  # async (actor, rows, full) -> API views
    )

then `await records.create(BLOCKS, actor, "org", data)`, `records.list_records(BLOCKS, actor, filters)` and
the rest work as they do for cases and lessons.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Protocol

from casebook.db import outbox
from casebook.db.json_columns import decoded, json_value
from casebook.db.tables import Tenant
from casebook.db.tables.publishable import PublishableRecord
from casebook.db.transaction import write_transaction
from casebook.domain.access import (
    Actor,
    read_audience,
    read_condition,
    require_signed_in,
    require_write,
)
from casebook.domain.clock import now
from casebook.domain.errors import Conflict, InvalidInput, NotFound, Problem
from casebook.domain.permissions import can, require
from casebook.domain.redaction import redact
from casebook.domain.visibility import visible_data
from casebook.domain.vocabulary import VISIBILITIES
from casebook.services import audit, publishing
from casebook.services.integrity import is_unique_violation, lock_version

MAX_PER_PAGE = 100
Row = dict[str, Any]
Validate = Callable[[Actor, Any, "str | None"], Awaitable[tuple["dict[str, Any] | None", list[Problem]]]]
Present = Callable[[Actor, list[Row], bool], Awaitable[list[dict[str, Any]]]]


class Filters(Protocol):
    """A kind's list filters, already parsed: the SQL condition they add, or None when nothing can match."""

    async def condition(self, actor: Actor, owned: list[int]) -> Any: ...


class NoFilters:
    async def condition(self, actor: Actor, owned: list[int]) -> Any:
        return True


NO_FILTERS = NoFilters()


async def _owner_view(actor: Actor, row: Row, data: dict[str, Any]) -> dict[str, Any]:
    return data if row["tenant"] in actor.roles else redact(data)


@dataclass(frozen=True)
class RecordKind:
    publishing: publishing.Kind  # name, record and revision tables, URL path, re-derivations after a change
    columns: tuple[Any, ...]  # selected for every read
    validate: Validate  # the valid, normalised document and every problem (fields and visibility)
    derived: Callable[[dict[str, Any]], dict[Any, Any]]  # columns kept in step with the document
    present: Present  # rows (decoded) -> what the actor sees of them
    # What a revision's document shows the actor (the owner all; others redacted, say).
    revealed: Callable[[Actor, Row, dict[str, Any]], Awaitable[dict[str, Any]]] = field(default=_owner_view)
    order: Callable[[type[PublishableRecord]], Sequence[Any]] = lambda t: (t.title,)  # list order (then id)
    check_imports: bool = False  # imports validate each document again (when the loader cannot alone)

    @property
    def name(self) -> str:
        return self.publishing.name

    @property
    def table(self) -> Any:
        return self.publishing.record

    @property
    def revision_table(self) -> Any:
        return self.publishing.revision


def bound(kind: RecordKind, *names: str) -> tuple[Callable[..., Any], ...]:
    """This module's functions with `kind` bound, for a kind module's entry points (`get_case`, …)."""
    return tuple(partial(globals()[name], kind) for name in names)


def visibility_problems(visibility: str | None) -> list[Problem]:
    if visibility is not None and visibility not in VISIBILITIES:
        return [Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility")]
    return []


async def checked(kind: RecordKind, actor: Actor, data: Any, visibility: str | None) -> dict[str, Any]:
    """The valid document, or one 400 naming every problem: code `invalid_case_file` (`invalid_lesson_file`, …)
    when every problem is in the document itself."""
    document, problems = await kind.validate(actor, data, visibility)
    if problems or document is None:
        in_document = problems and all(p.field and re.match(rf"{kind.name}(\.|\[|$)", p.field) for p in problems)
        raise InvalidInput(problems, code=f"invalid_{kind.name}_file" if in_document else None)
    return document


# Reads


async def find(kind: RecordKind, tenant_slug: str, slug: str) -> Row | None:
    t = kind.table
    row = await t.select(*kind.columns).where((t.tenant.slug == tenant_slug) & (t.slug == slug)).first()
    return decoded(row) if row else None


async def find_by_id(kind: RecordKind, record_id: int) -> Row | None:
    row = await kind.table.select(*kind.columns).where(kind.table.id == record_id).first()
    return decoded(row) if row else None


def may_read(row: Row, actor: Actor) -> bool:
    return visible_data(row, actor) is not None


async def readable(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str, include_deleted: bool = False) -> Row:
    """The row if the actor reads it; unknown, unreadable and (for all but its writers) deleted are one 404."""
    row = await find(kind, tenant_slug, slug)
    if row is None or not may_read(row, actor):
        raise NotFound(f"{kind.name} not found")
    if row["deleted_at"] is not None and not (include_deleted and can(actor, "record.delete", row["tenant"])):
        raise NotFound(f"{kind.name} not found")
    return row


async def present_one(kind: RecordKind, actor: Actor, row: Row) -> dict[str, Any]:
    return (await kind.present(actor, [row], True))[0]


async def get(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    return await present_one(kind, actor, await readable(kind, actor, tenant_slug, slug))


async def get_by_id(kind: RecordKind, actor: Actor, record_id: int) -> dict[str, Any]:
    row = await find_by_id(kind, record_id)
    if row is None or row["deleted_at"] is not None or not may_read(row, actor):
        raise NotFound(f"{kind.name} not found")
    return await present_one(kind, actor, row)


def _paging(page: int, per_page: int) -> None:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(Problem(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}", field="page"))


async def _where(kind: RecordKind, actor: Actor, filters: Filters, deleted: bool) -> Any:
    """The SQL condition of a list, or None when it can have no rows."""
    t = kind.table
    if deleted:
        # Only the owners' writers see deleted records, to restore them.
        writable = [tenant for tenant in actor.roles if can(actor, "record.delete", tenant)]
        if not writable:
            return None
        where = t.tenant.is_in(writable) & t.deleted_at.is_not_null()
    else:
        where = read_condition(t, actor) & t.deleted_at.is_null()
    extra = await filters.condition(actor, sorted(actor.roles))
    if extra is None:
        return None
    return where if extra is True else where & extra


async def select_rows(kind: RecordKind, actor: Actor, filters: Filters = NO_FILTERS, *, page: int | None = None,
                      per_page: int = 20, deleted: bool = False) -> tuple[list[Row], int]:
    """(rows the actor reads that pass the filters, in list order, one page or all; the total). Filters and
    paging run in SQL, on what the actor sees (the snapshot outside the owner)."""
    where = await _where(kind, actor, filters, deleted)
    if where is None:
        return [], 0
    t = kind.table
    query = t.select(*kind.columns).where(where).order_by(*kind.order(t), t.id)
    if page is None:
        rows = await query
        return [decoded(r) for r in rows], len(rows)
    total = await t.count().where(where)
    rows = await query.limit(per_page).offset((page - 1) * per_page)
    return [decoded(r) for r in rows], total


async def list_records(kind: RecordKind, actor: Actor, filters: Filters = NO_FILTERS, page: int = 1,
                       per_page: int = 20, deleted: bool = False) -> dict[str, Any]:
    _paging(page, per_page)
    rows, total = await select_rows(kind, actor, filters, page=page, per_page=per_page, deleted=deleted)
    return {"items": await kind.present(actor, rows, False), "total": total, "page": page, "per_page": per_page}


async def revisions(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str) -> list[dict[str, Any]]:
    row = await readable(kind, actor, tenant_slug, slug, include_deleted=True)
    return await publishing.list_revisions(kind.publishing, row, actor)


async def revision(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str, version: int) -> dict[str, Any]:
    """One revision the actor may read (see `publishing.revision_scope`), its document under the kind's name."""
    row = await readable(kind, actor, tenant_slug, slug, include_deleted=True)
    rev_table = kind.revision_table
    rev = await rev_table.select(*publishing.revision_columns(kind.publishing), rev_table.data).where(
        publishing.revision_scope(kind.publishing, row, actor) & (rev_table.version == version)).first()
    if rev is None:
        raise NotFound(f"revision {version} not found")
    rev[kind.name] = await kind.revealed(actor, row, json_value(rev.pop("data")))
    return publishing.author_shown(rev, row, actor)


# Writes


async def tenant_for_write(actor: Actor, tenant_slug: str) -> dict[str, Any]:
    require_signed_in(actor)
    tenant = await Tenant.select(Tenant.id, Tenant.slug).where(Tenant.slug == tenant_slug).first()
    if tenant is None or tenant["id"] not in actor.roles:
        raise NotFound("organisation not found")
    require(actor, "record.create", tenant["id"])
    return tenant


def _target(tenant_slug: str, slug: str) -> str:
    return f"{tenant_slug}/{slug}"


async def record_write(kind: RecordKind, record_id: int, version: int, visibility: str, data: dict[str, Any],
                       action: str, actor: Actor, tenant_id: int, target: str,
                       publish: dict[str, Any] | None = None) -> None:
    """The revision, list facets, outbox entry and audit event of a write. `publish`: the publishing columns the
    write set; when they publish this version at once (system actor), the revision and the audit say so."""
    published_at = publish.get("published_at") if publish and publish["publication"] == "published" else None
    pk = kind.publishing
    await kind.revision_table.insert(kind.revision_table(**{
        pk.revision_fk: record_id, "version": version, "visibility": visibility, "data": json.dumps(data),
        "action": action, "author": actor.user_id, "published_at": published_at}))
    if publish:
        await publishing.retire_withdrawn(pk, record_id, publish)
    if pk.after_change is not None:
        await pk.after_change(record_id)
    await outbox.enqueue(kind.name, record_id, "delete" if action == "delete" else "upsert")
    await audit.record(actor, tenant_id, f"{kind.name}.{action}", target, version=version, visibility=visibility)
    if published_at is not None:
        await audit.record(actor, tenant_id, f"{kind.name}.approve", target, version=version,
                           visibility=visibility, direct=True)


def _names(values: dict[Any, Any]) -> dict[str, Any]:
    return {k if isinstance(k, str) else k._meta.name: v for k, v in values.items()}


async def insert(kind: RecordKind, actor: Actor, tenant: dict[str, Any], data: dict[str, Any], visibility: str,
                 action: str) -> int:
    """Inside the caller's transaction: the row, its first revision, facets, outbox and audit."""
    publish = publishing.insert_values(actor, visibility, data)
    t = kind.table
    row = (await t.insert(t(
        tenant=tenant["id"], slug=data["slug"], visibility=visibility, version=1, created_by=actor.user_id,
        updated_by=actor.user_id, **_names(kind.derived(data)), data=json.dumps(data), **publish,
    )).returning(t.id))[0]
    await record_write(kind, row["id"], 1, visibility, data, action, actor, tenant["id"],
                       _target(tenant["slug"], data["slug"]), publish)
    return row["id"]


async def create(kind: RecordKind, actor: Actor, tenant_slug: str, data: Any,
                 visibility: str = "private") -> dict[str, Any]:
    tenant = await tenant_for_write(actor, tenant_slug)
    document = await checked(kind, actor, data, visibility)
    try:
        async with write_transaction():
            existing = await find(kind, tenant_slug, document["slug"])
            if existing is not None:
                hint = " (it is deleted: restore it instead)" if existing["deleted_at"] else ""
                raise Conflict(f"a {kind.name} with slug {document['slug']!r} already exists{hint}",
                               code="already_exists")
            await insert(kind, actor, tenant, document, visibility, "create")
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(f"a {kind.name} with slug {document['slug']!r} already exists",
                           code="already_exists") from None
        raise
    return await get(kind, actor, tenant_slug, document["slug"])


def content_values(kind: RecordKind, data: dict[str, Any]) -> dict[Any, Any]:
    """The stored document and the columns derived from it, so every writer keeps them in step."""
    return {kind.table.data: json.dumps(data), **kind.derived(data)}


async def versioned_update(kind: RecordKind, actor: Actor | None, row: Row, expected_version: int,
                           values: dict[Any, Any]) -> None:
    """The optimistic lock: the row changes only if nobody saved since `expected_version`. A 409 carries the
    current record as its owner sees it (`actor` None: the writer is the owner)."""
    t = kind.table
    expected = lock_version(expected_version)
    stamp = {t.updated_at: now(), **({t.updated_by: actor.user_id} if actor is not None else {})}
    changed = await t.update({**values, t.version: expected + 1, **stamp}).where(
        (t.id == row["id"]) & (t.version == expected)).returning(t.id)
    if not changed:
        current = await find_by_id(kind, row["id"])
        assert current is not None
        owner = Actor(roles={current["tenant"]: "admin"}) if actor is None else actor
        raise Conflict(
            f"this {kind.name} was changed by someone else (you edited version {expected_version}, "
            f"the current version is {current['version']}); reload and apply your change again",
            current=await present_one(kind, owner, current), code="stale_version",
        )


def _audience(row: Row, actor: Actor) -> str:
    return read_audience(row["tenant"], actor, row["visibility"], row["published_visibility"])


async def _writable(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str,
                    include_deleted: bool = False) -> Row:
    row = await readable(kind, actor, tenant_slug, slug, include_deleted)
    require_write(actor, row["tenant"], _audience(row, actor), kind.name)
    return row


async def update(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str, data: Any,
                 expected_version: int | None, visibility: str | None = None) -> dict[str, Any]:
    row = await _writable(kind, actor, tenant_slug, slug)
    if expected_version is None:
        raise InvalidInput(Problem("send the version you edited (field `version` or an If-Match header)",
                                   field="version"))
    document = await checked(kind, actor, data, visibility)
    if document["slug"] != slug:
        raise InvalidInput(Problem(f"the slug of a {kind.name} cannot change", field=f"{kind.name}.slug"))
    visibility = visibility or row["visibility"]
    publish = publishing.edit_values(row, actor, visibility=visibility, data=document, version=expected_version + 1)
    async with write_transaction():
        await versioned_update(kind, actor, row, expected_version, {
            **content_values(kind, document), kind.table.visibility: visibility, **publish})
        await record_write(kind, row["id"], expected_version + 1, visibility, document, "update", actor,
                           row["tenant"], _target(tenant_slug, slug), publish)
    return await get(kind, actor, tenant_slug, slug)


async def delete(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str,
                 expected_version: int | None = None) -> None:
    row = await _writable(kind, actor, tenant_slug, slug)
    version = row["version"] if expected_version is None else expected_version
    async with write_transaction():
        await versioned_update(kind, actor, row, version, {kind.table.deleted_at: now()})
        await record_write(kind, row["id"], version + 1, row["visibility"], row["data"], "delete", actor,
                           row["tenant"], _target(tenant_slug, slug))


async def restore(kind: RecordKind, actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    row = await _writable(kind, actor, tenant_slug, slug, include_deleted=True)
    if row["deleted_at"] is None:
        raise Conflict(f"this {kind.name} is not deleted", code="not_deleted")
    async with write_transaction():
        await versioned_update(kind, actor, row, row["version"], {kind.table.deleted_at: None})
        await record_write(kind, row["id"], row["version"] + 1, row["visibility"], row["data"], "restore", actor,
                           row["tenant"], _target(tenant_slug, slug))
    return await get(kind, actor, tenant_slug, slug)


# Imports


def _published_as_wanted(actor: Actor, row: Row) -> bool:
    """An unchanged file still needs a write when the system actor should publish what is not published."""
    if not actor.system or row["visibility"] == "private":
        return True
    return row["published_version"] == row["version"] and row["published_visibility"] == row["visibility"]


async def _import_checked(kind: RecordKind, actor: Actor,
                          documents: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    if not kind.check_imports:
        return documents
    out: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    for name, data in documents:
        document, found = await kind.validate(actor, data, None)
        problems.extend(replace(p, file=name, line=None) for p in found)
        if document is not None:
            out.append((name, document))
    if problems:
        raise InvalidInput(problems)
    return out


async def import_target(actor: Actor, tenant_slug: str, visibility: str) -> dict[str, Any]:
    """The organisation an import writes into (400 for a bad visibility, 404 unless the actor is a member,
    403 below editor)."""
    if visibility not in VISIBILITIES:
        raise InvalidInput(Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility"))
    tenant = await Tenant.select(Tenant.id, Tenant.slug).where(Tenant.slug == tenant_slug).first()
    if tenant is None or tenant["id"] not in actor.roles:
        raise NotFound(f"organisation {tenant_slug!r} not found")
    require(actor, "record.import", tenant["id"])
    return tenant


def refuse_clashes(noun: str, tenant_slug: str, documents: list[tuple[str, dict[str, Any]]],
                   existing: dict[str, Any], replace: bool) -> None:
    """Without `replace`, a slug that exists is a problem naming its file."""
    clashes = [Problem(f"a {noun} with slug {d['slug']!r} already exists in {tenant_slug} "
                       "(use --replace to update it)", field="slug", file=name, code="slug_exists")
               for name, d in documents if d["slug"] in existing and not replace]
    if clashes:
        raise InvalidInput(clashes)


async def import_many(kind: RecordKind, actor: Actor, tenant_slug: str, documents: list[tuple[str, dict[str, Any]]],
                      visibility: str = "private", replace: bool = False) -> dict[str, int]:
    """All or nothing: every (file name, document) is checked, then all are written in one transaction. A slug
    that exists is an error unless `replace` (then a new revision, or nothing when the file is unchanged)."""
    tenant = await import_target(actor, tenant_slug, visibility)
    documents = await _import_checked(kind, actor, documents)
    t = kind.table
    created = updated = 0
    async with write_transaction():
        existing = {r["slug"]: decoded(r) for r in await t.select(*kind.columns).where(t.tenant == tenant["id"])}
        refuse_clashes(kind.name, tenant_slug, documents, existing, replace)
        for _, data in documents:
            row = existing.get(data["slug"])
            if row is None:
                await insert(kind, actor, tenant, data, visibility, "import")
                created += 1
                continue
            if row["data"] == data and row["visibility"] == visibility and not row["deleted_at"] \
                    and _published_as_wanted(actor, row):
                continue
            publish = publishing.edit_values(row, actor, visibility=visibility, data=data, version=row["version"] + 1)
            await versioned_update(kind, actor, row, row["version"], {
                **content_values(kind, data), t.visibility: visibility, t.deleted_at: None, **publish})
            await record_write(kind, row["id"], row["version"] + 1, visibility, data, "import", actor,
                               tenant["id"], _target(tenant_slug, data["slug"]), publish)
            updated += 1
    return {"created": created, "updated": updated, "unchanged": len(documents) - created - updated}
