"""Cases: the case configuration of the record module (casebook.services.records) and the case's extras:
list facets and filters, staleness, sensitive keys redacted outside the owner, confirmation.

The module-level functions are the entry points the API, pages and CLI call; they delegate to the
generic record code, so cases and lessons share one create / update / delete / restore / history / import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pycountry

from casebook.db.json_columns import json_value
from casebook.db.record_rows import CASE_COLUMNS
from casebook.db.tables import CaseRecord
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor, read_audience, require_write
from casebook.domain.casefile import check_case
from casebook.domain.clock import now
from casebook.domain.errors import NotFound, Problem
from casebook.domain.query_values import FilterValues
from casebook.domain.visibility import visible_data
from casebook.domain.vocabulary import STATUSES, VISIBILITIES
from casebook.services import audit, case_facets, publishing, records
from casebook.services.records import MAX_PER_PAGE, tenant_for_write

__all__ = ["MAX_PER_PAGE", "tenant_for_write"]

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
        values = FilterValues(raw)
        if values.values.get("country"):
            values.values["country"] = values.values["country"].upper()
        values.check("country", lambda code: len(code) == 2 and bool(pycountry.countries.get(alpha_2=code)),
                     "is not an ISO 3166-1 alpha-2 country code")
        values.number("sdg", range(1, 18), "must be a goal number from 1 to 17")
        values.choice("status", STATUSES)
        values.choice("visibility", VISIBILITIES)
        return cls(**values.valid())

    async def condition(self, actor: Actor, owned: list[int]) -> Any:
        """The SQL condition of these filters, on what the actor sees (the snapshot outside the owner)."""
        where: Any = True
        for facet, value in (("countries", self.country), ("sectors", self.sector), ("scenarios", self.scenario),
                             ("sdgs", str(self.sdg) if self.sdg else None)):
            if value:
                where = _and(where, case_facets.facet_filter(facet, value, owned))
        if self.status:
            where = _and(where, case_facets.facet_filter("status", self.status, owned,
                                                         working=CaseRecord.status == self.status))
        if self.tenant:
            where = _and(where, CaseRecord.tenant.slug == self.tenant)
        if self.visibility:
            where = _and(where, _visibility_filter(self.visibility, owned))
        return where


def _and(where: Any, clause: Any) -> Any:
    return clause if where is True else where & clause


def is_owner(row: dict[str, Any], actor: Actor | None) -> bool:
    """`actor=None` means the owner's view (e.g. the current row in a 409 sent to its writer)."""
    return actor is None or row["tenant"] in actor.roles


def case_out(row: dict[str, Any], full: bool = True, actor: Actor | None = None) -> dict[str, Any]:
    """The API view of a case row. The owner reads the working copy and its publishing state; everyone
    else the redacted published snapshot (the caller has checked they may read it)."""
    owner = is_owner(row, actor)
    if owner:
        data, visibility, version = json_value(row["data"]), row["visibility"], row["version"]
        updated = row["updated_at"]
    else:
        data = visible_data(row, actor)  # type: ignore[arg-type]
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



COLUMNS = CASE_COLUMNS


def _visibility_filter(visibility: str, owned: list[int]) -> Any:
    """The owner filters on the audience it asked for; everyone else on the published one."""
    published = CaseRecord.published_visibility == visibility
    if not owned:
        return published
    return ((CaseRecord.tenant.is_in(owned) & (CaseRecord.visibility == visibility))
            | (CaseRecord.tenant.not_in(owned) & published))


async def _validate(actor: Actor, data: Any, visibility: str | None) -> tuple[dict[str, Any] | None, list[Problem]]:
    problems = [replace(p, field=f"case.{p.field}" if p.field else "case") for p in check_case(data)]
    return data, problems + records.visibility_problems(visibility)


def _derived(data: dict[str, Any]) -> dict[Any, Any]:
    return {CaseRecord.title: data["title"], CaseRecord.country: data.get("country"),
            CaseRecord.status: data["status"]}


async def _present(actor: Actor, rows: list[dict[str, Any]], full: bool) -> list[dict[str, Any]]:
    return [case_out(r, full=full, actor=actor) for r in rows]


KIND = records.RecordKind(publishing=publishing.CASES, columns=COLUMNS, validate=_validate, derived=_derived,
                          present=_present)


# The entry points the API, pages and CLI call, delegating to the generic record code.
(list_cases, get_case, get_case_by_id, create_case, update_case, delete_case, restore_case, revisions, revision,
 import_documents) = records.bound(KIND, "list_records", "get", "get_by_id", "create", "update", "delete",
                                   "restore", "revisions", "revision", "import_many")


# The write steps, for callers composing their own transaction.


async def record_write(case_id: int, version: int, visibility: str, data: dict[str, Any], action: str,
                       actor: Actor, tenant_id: int, target: str, publish: dict[str, Any] | None = None) -> None:
    await records.record_write(KIND, case_id, version, visibility, data, action, actor, tenant_id, target, publish)


async def insert_case(actor: Actor, tenant: dict[str, Any], data: dict[str, Any], visibility: str, action: str) -> int:
    return await records.insert(KIND, actor, tenant, data, visibility, action)


def content_values(data: dict[str, Any]) -> dict[Any, Any]:
    return records.content_values(KIND, data)


async def versioned_update(row: dict[str, Any], expected_version: int, values: dict[Any, Any]) -> None:
    await records.versioned_update(KIND, None, row, expected_version, values)


async def confirm_case(actor: Actor, tenant_slug: str, slug: str) -> dict[str, Any]:
    """The owner says an unchanged case is still current; this clears the staleness flag, not the version."""
    row = await records.readable(KIND, actor, tenant_slug, slug)
    require_write(actor, row["tenant"], read_audience(row["tenant"], actor, row["visibility"],
                                                      row["published_visibility"]))
    async with write_transaction():
        await CaseRecord.update({CaseRecord.confirmed_at: now()}).where(CaseRecord.id == row["id"])
        await audit.record(actor, row["tenant"], "case.confirm", f"{tenant_slug}/{slug}", version=row["version"])
    return await get_case(actor, tenant_slug, slug)
