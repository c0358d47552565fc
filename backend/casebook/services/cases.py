"""Case services: list, read, create, update, delete, restore, revisions. Every call is tenant-scoped.

Writes run in one transaction that also records the revision, the facets, the search outbox entry
and the audit event, so nothing is half-written and the index can always catch up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pycountry

from casebook.db.tables import CaseRecord, CaseRevision, Tenant
from casebook.db.transaction import write_transaction
from casebook.domain.access import (
    Actor,
    can_write,
    read_audience,
    read_condition,
    require_role,
    require_signed_in,
    require_write,
)
from casebook.domain.casefile import check_case
from casebook.domain.errors import Conflict, InvalidInput, NotFound, Problem
from casebook.domain.redaction import redact
from casebook.domain.vocabulary import STATUSES, VISIBILITIES
from casebook.services import audit, case_facets, outbox, publishing
from casebook.services.clock import now
from casebook.services.integrity import is_unique_violation, lock_version

MAX_PER_PAGE = 100
STALE_AFTER = timedelta(days=365)  # like the UN registry's activity indicator
SUMMARY_KEYS = ("summary", "sectors", "scenarios", "sdgs", "locality", "period", "evidence_level", "human_security")


@dataclass(frozen=True)
class CaseFilters:
    country: str | None = None
    sector: str | None = None
    sdg: int | None = None
    scenario: str | None = None
    status: str | None = None
    tenant: str | None = None
    visibility: str | None = None

    @classmethod
    def parse(cls, **raw: str | None) -> CaseFilters:
        """Validates query-string filters; every bad value is named in one 400."""
        problems = []
        values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in raw.items()}
        if values.get("country"):
            values["country"] = values["country"].upper()
            if len(values["country"]) != 2 or not pycountry.countries.get(alpha_2=values["country"]):
                problems.append(Problem("is not an ISO 3166-1 alpha-2 country code", field="country"))
        if values.get("sdg") is not None:
            try:
                values["sdg"] = int(values["sdg"])
                assert 1 <= values["sdg"] <= 17
            except (ValueError, AssertionError):
                problems.append(Problem("must be a goal number from 1 to 17", field="sdg"))
        if values.get("status") and values["status"] not in STATUSES:
            problems.append(Problem(f"must be one of {', '.join(STATUSES)}", field="status"))
        if values.get("visibility") and values["visibility"] not in VISIBILITIES:
            problems.append(Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility"))
        if problems:
            raise InvalidInput(problems)
        return cls(**values)


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def is_owner(row: dict[str, Any], actor: Actor | None) -> bool:
    """`actor=None` means the owner's view (e.g. the current row in a 409 sent to its writer)."""
    return actor is None or row["tenant"] in actor.roles


def case_out(row: dict[str, Any], full: bool = True, actor: Actor | None = None) -> dict[str, Any]:
    """The API view of a case row. The owner reads the working copy and its publishing state; everyone
    else the redacted published snapshot (the caller has checked they may read it)."""
    owner = is_owner(row, actor)
    if owner:
        data, visibility, version = _loads(row["data"]), row["visibility"], row["version"]
        updated = row["updated_at"]
    else:
        data = publishing.visible_data(row, actor)  # type: ignore[arg-type]
        if data is None:
            raise NotFound("case not found")
        visibility, version = row["published_visibility"], row["published_version"]
        # Others see when the snapshot was published, so the date does not reveal a pending edit.
        updated = row.get("published_at") or row["updated_at"]
    out = {
        "tenant": row["tenant_slug"], "slug": row["slug"], "title": data["title"], "country": data.get("country"),
        "status": data.get("status"), "visibility": visibility, "version": version,
        "created_at": row["created_at"], "updated_at": updated, "deleted_at": row["deleted_at"],
        **activity(updated, row["confirmed_at"]),
    }
    if owner:
        out["publication"] = publishing.publication_out(row)
    if full:
        out["case"] = data
    else:
        out.update({k: data.get(k) for k in SUMMARY_KEYS if k in data})
    return out


def activity(updated_at: datetime, confirmed_at: datetime | None) -> dict[str, Any]:
    """When the owner last touched the case, and whether that is over a year ago."""
    last = max(updated_at, confirmed_at) if confirmed_at else updated_at
    return {"confirmed_at": confirmed_at, "last_activity": last, "stale": now() - last > STALE_AFTER}


COLUMNS = (
    CaseRecord.id, CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("tenant_slug"), CaseRecord.slug,
    CaseRecord.title, CaseRecord.country, CaseRecord.status, CaseRecord.visibility, CaseRecord.version,
    CaseRecord.data, CaseRecord.created_at, CaseRecord.updated_at, CaseRecord.deleted_at, CaseRecord.confirmed_at,
    CaseRecord.publication, CaseRecord.published_version, CaseRecord.published_visibility,
    CaseRecord.published_data, CaseRecord.published_at, CaseRecord.review_comment,
)


def _visibility_filter(visibility: str, owned: list[int]) -> Any:
    """The owner filters on the audience it asked for; everyone else on the published one."""
    published = CaseRecord.published_visibility == visibility
    if not owned:
        return published
    return ((CaseRecord.tenant.is_in(owned) & (CaseRecord.visibility == visibility))
            | (CaseRecord.tenant.not_in(owned) & published))


async def list_cases(actor: Actor, filters: CaseFilters = CaseFilters(), page: int = 1,
                     per_page: int = 20, deleted: bool = False) -> dict[str, Any]:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(Problem(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}", field="page"))
    where = read_condition(CaseRecord, actor)
    if deleted:
        # Only the owners' writers see deleted cases, to restore them.
        writable = [t for t in actor.roles if can_write(actor, t)]
        if not writable:
            return {"items": [], "total": 0, "page": page, "per_page": per_page}
        where = CaseRecord.tenant.is_in(writable) & CaseRecord.deleted_at.is_not_null()
    else:
        where = where & CaseRecord.deleted_at.is_null()
    owned = sorted(actor.roles)
    if filters.country:
        where = where & case_facets.facet_filter("countries", filters.country, owned)
    if filters.status:
        where = where & case_facets.facet_filter("status", filters.status, owned,
                                                 working=CaseRecord.status == filters.status)
    if filters.sector:
        where = where & case_facets.facet_filter("sectors", filters.sector, owned)
    if filters.scenario:
        where = where & case_facets.facet_filter("scenarios", filters.scenario, owned)
    if filters.sdg:
        where = where & case_facets.facet_filter("sdgs", str(filters.sdg), owned)
    if filters.tenant:
        where = where & (CaseRecord.tenant.slug == filters.tenant)
    if filters.visibility:
        where = where & _visibility_filter(filters.visibility, owned)
    total = await CaseRecord.count().where(where)
    rows = await CaseRecord.select(*COLUMNS).where(where).order_by(CaseRecord.title).order_by(
        CaseRecord.id).limit(per_page).offset((page - 1) * per_page)
    return {"items": [case_out(r, full=False, actor=actor) for r in rows], "total": total, "page": page,
            "per_page": per_page}


async def _find(tenant_slug: str, slug: str) -> dict[str, Any] | None:
    return await CaseRecord.select(*COLUMNS).where(
        (CaseRecord.tenant.slug == tenant_slug) & (CaseRecord.slug == slug)).first()


async def _readable(actor: Actor, tenant_slug: str, slug: str, include_deleted: bool = False) -> dict[str, Any]:
    row = await _find(tenant_slug, slug)
    if row is None or not _may_read(row, actor):
        raise NotFound("case not found")
    if row["deleted_at"] is not None and not (include_deleted and can_write(actor, row["tenant"])):
        raise NotFound("case not found")
    return row


def _may_read(row: dict[str, Any], actor: Actor) -> bool:
    return publishing.visible_data(row, actor) is not None


def _audience(row: dict[str, Any], actor: Actor) -> str:
    return read_audience(row["tenant"], actor, row["visibility"], row["published_visibility"])


async def get_case(actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    return case_out(await _readable(actor, tenant_slug, slug), actor=actor)


async def get_case_by_id(actor: Actor, case_id: int) -> dict[str, Any]:
    row = await CaseRecord.select(*COLUMNS).where(CaseRecord.id == case_id).first()
    if row is None or row["deleted_at"] is not None or not _may_read(row, actor):
        raise NotFound("case not found")
    return case_out(row, actor=actor)


def _validated(data: Any, visibility: str | None, prefix: str = "case") -> None:
    problems = [
        Problem(p.message, field=f"{prefix}.{p.field}" if p.field else prefix, file=p.file, line=p.line)
        for p in check_case(data)
    ]
    if visibility is not None and visibility not in VISIBILITIES:
        problems.append(Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility"))
    if problems:
        raise InvalidInput(problems)


async def tenant_for_write(actor: Actor, tenant_slug: str) -> dict[str, Any]:
    require_signed_in(actor)
    tenant = await Tenant.select(Tenant.id, Tenant.slug).where(Tenant.slug == tenant_slug).first()
    if tenant is None or tenant["id"] not in actor.roles:
        raise NotFound("organisation not found")
    require_role(actor, tenant["id"], "editor")
    return tenant


async def record_write(case_id: int, version: int, visibility: str, data: dict, action: str,
                       actor: Actor, tenant_id: int, target: str, publish: dict | None = None) -> None:
    """The revision, facets, outbox entry and audit event of a write. `publish`: the publishing columns the
    write set; when they publish this version at once (system actor), the revision and the audit say so."""
    published_at = publish.get("published_at") if publish and publish["publication"] == "published" else None
    await CaseRevision.insert(CaseRevision(case=case_id, version=version, visibility=visibility,
                                           data=json.dumps(data), action=action, author=actor.user_id,
                                           published_at=published_at))
    if publish:
        await publishing.retire_withdrawn(publishing.CASES, case_id, publish)
    await case_facets.sync(case_id)
    await outbox.enqueue("case", case_id, "delete" if action == "delete" else "upsert")
    await audit.record(actor, tenant_id, f"case.{action}", target, version=version, visibility=visibility)
    if published_at is not None:
        await audit.record(actor, tenant_id, "case.approve", target, version=version, visibility=visibility,
                           direct=True)


async def insert_case(actor: Actor, tenant: dict, data: dict, visibility: str, action: str) -> int:
    publish = publishing.insert_values(actor, visibility, data)
    row = (await CaseRecord.insert(CaseRecord(
        tenant=tenant["id"], slug=data["slug"], visibility=visibility, title=data["title"],
        country=data.get("country"), status=data["status"], data=json.dumps(data), version=1,
        created_by=actor.user_id, updated_by=actor.user_id, **publish,
    )).returning(CaseRecord.id))[0]
    await record_write(row["id"], 1, visibility, data, action, actor, tenant["id"],
                       f"{tenant['slug']}/{data['slug']}", publish)
    return row["id"]


async def create_case(actor: Actor, tenant_slug: str, data: Any, visibility: str = "private") -> dict[str, Any]:
    tenant = await tenant_for_write(actor, tenant_slug)
    _validated(data, visibility)
    try:
        async with write_transaction():
            existing = await _find(tenant_slug, data["slug"])
            if existing is not None:
                hint = " (it is deleted: restore it instead)" if existing["deleted_at"] else ""
                raise Conflict(f"a case with slug {data['slug']!r} already exists{hint}")
            await insert_case(actor, tenant, data, visibility, "create")
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(f"a case with slug {data['slug']!r} already exists") from None
        raise
    return await get_case(actor, tenant_slug, data["slug"])


def content_values(data: dict) -> dict:
    """The stored document and the columns derived from it, so every writer keeps them in step."""
    return {CaseRecord.data: json.dumps(data), CaseRecord.title: data["title"],
            CaseRecord.country: data.get("country"), CaseRecord.status: data["status"]}


async def versioned_update(row: dict, expected_version: int, values: dict) -> None:
    """The optimistic lock: the row changes only if nobody saved since `expected_version`."""
    expected = lock_version(expected_version)
    changed = await CaseRecord.update({**values, CaseRecord.version: expected + 1,
                                       CaseRecord.updated_at: now()}).where(
        (CaseRecord.id == row["id"]) & (CaseRecord.version == expected)).returning(CaseRecord.id)
    if not changed:
        current = await CaseRecord.select(*COLUMNS).where(CaseRecord.id == row["id"]).first()
        raise Conflict(
            f"this case was changed by someone else (you edited version {expected_version}, "
            f"the current version is {current['version']}); reload and apply your change again",
            current=case_out(current),
        )


async def update_case(actor: Actor, tenant_slug: str, slug: str, data: Any, expected_version: int | None,
                      visibility: str | None = None) -> dict[str, Any]:
    row = await _readable(actor, tenant_slug, slug)
    require_write(actor, row["tenant"], _audience(row, actor))
    if expected_version is None:
        raise InvalidInput(Problem("send the version you edited (field `version` or an If-Match header)",
                                   field="version"))
    _validated(data, visibility)
    if data["slug"] != slug:
        raise InvalidInput(Problem("the slug of a case cannot change", field="case.slug"))
    visibility = visibility or row["visibility"]
    publish = publishing.edit_values(row, actor, visibility=visibility, data=data, version=expected_version + 1)
    async with write_transaction():
        await versioned_update(row, expected_version, {
            **content_values(data), CaseRecord.visibility: visibility, CaseRecord.updated_by: actor.user_id,
            **publish,
        })
        await record_write(row["id"], expected_version + 1, visibility, data, "update", actor,
                           row["tenant"], f"{tenant_slug}/{slug}", publish)
    return await get_case(actor, tenant_slug, slug)


async def delete_case(actor: Actor, tenant_slug: str, slug: str, expected_version: int | None = None) -> None:
    row = await _readable(actor, tenant_slug, slug)
    require_write(actor, row["tenant"], _audience(row, actor))
    version = row["version"] if expected_version is None else expected_version
    async with write_transaction():
        await versioned_update(row, version, {CaseRecord.deleted_at: now(), CaseRecord.updated_by: actor.user_id})
        await record_write(row["id"], version + 1, row["visibility"], _loads(row["data"]), "delete",
                                  actor, row["tenant"], f"{tenant_slug}/{slug}")


async def restore_case(actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    row = await _readable(actor, tenant_slug, slug, include_deleted=True)
    require_write(actor, row["tenant"], _audience(row, actor))
    if row["deleted_at"] is None:
        raise Conflict("this case is not deleted")
    async with write_transaction():
        await versioned_update(row, row["version"], {CaseRecord.deleted_at: None,
                                                      CaseRecord.updated_by: actor.user_id})
        await record_write(row["id"], row["version"] + 1, row["visibility"], _loads(row["data"]),
                                  "restore", actor, row["tenant"], f"{tenant_slug}/{slug}")
    return await get_case(actor, tenant_slug, slug)


async def revisions(actor: Actor, tenant_slug: str, slug: str) -> list[dict[str, Any]]:
    row = await _readable(actor, tenant_slug, slug, include_deleted=True)
    return await publishing.list_revisions(publishing.CASES, row, actor)


async def revision(actor: Actor, tenant_slug: str, slug: str, version: int) -> dict[str, Any]:
    row = await _readable(actor, tenant_slug, slug, include_deleted=True)
    rev = await CaseRevision.select(*publishing.revision_columns(publishing.CASES), CaseRevision.data).where(
        publishing.revision_scope(publishing.CASES, row, actor) & (CaseRevision.version == version)).first()
    if rev is None:
        raise NotFound(f"revision {version} not found")
    data = _loads(rev.pop("data"))
    rev["case"] = data if is_owner(row, actor) else redact(data)
    return publishing.author_shown(rev, row, actor)


async def confirm_case(actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    """The owner says an unchanged case is still current; this clears the staleness flag, not the version."""
    row = await _readable(actor, tenant_slug, slug)
    require_write(actor, row["tenant"], _audience(row, actor))
    async with write_transaction():
        await CaseRecord.update({CaseRecord.confirmed_at: now()}).where(CaseRecord.id == row["id"])
        await audit.record(actor, row["tenant"], "case.confirm", f"{tenant_slug}/{slug}", version=row["version"])
    return await get_case(actor, tenant_slug, slug)
