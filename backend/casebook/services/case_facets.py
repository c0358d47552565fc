"""The list-filter facets of a case: of its working copy for the owner, and of its published snapshot for
everyone else, so a filter never matches on unpublished content.

Snapshot facets are stored under `p:<facet>` only while the snapshot differs from the working copy
(same version means same content); readers outside the owner match `p:` rows, or the plain rows when
the published version is the current one.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.db.tables import CaseFacet, CaseRecord
from casebook.domain.facets import facet_pairs

PUBLISHED = "p:"


def _pairs(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """The working copy filters `status` on its column; a snapshot needs it as a facet."""
    extra = [("status", str(data.get("status")))] if prefix else []
    return [(prefix + f, v[:100]) for f, v in [*facet_pairs(data), *extra]]


def facet_rows(case_id: int, data: dict[str, Any], published_data: dict[str, Any] | None, version: int,
               published_version: int | None) -> list[dict[str, Any]]:
    """The facet rows of a case (column -> value): its working copy's, plus its snapshot's while that differs."""
    pairs = _pairs(data)
    if published_data is not None and published_version != version:
        pairs += _pairs(published_data, PUBLISHED)
    return [{"case": case_id, "facet": f, "value": v} for f, v in dict.fromkeys(pairs)]


async def sync(case_id: int) -> None:
    """Re-derives every facet row of the case from its stored columns (inside the caller's transaction)."""
    row = await CaseRecord.select(CaseRecord.data, CaseRecord.version, CaseRecord.published_version,
                                  CaseRecord.published_data).where(CaseRecord.id == case_id).first()
    await CaseFacet.delete().where(CaseFacet.case == case_id)
    if row is None:
        return
    published = _loads(row["published_data"]) if row["published_data"] is not None else None
    rows = facet_rows(case_id, _loads(row["data"]), published, row["version"], row["published_version"])
    if rows:
        await CaseFacet.insert(*(CaseFacet(**r) for r in rows))


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _matching(facet: str, value: str) -> Any:
    return CaseRecord.id.is_in(CaseFacet.select(CaseFacet.case).where(
        (CaseFacet.facet == facet) & (CaseFacet.value == value)))


def facet_filter(facet: str, value: str, owned: list[int], working: Any = None) -> Any:
    """Cases whose visible content has (facet, value): the working copy in `owned` tenants, else the snapshot.

    `working` replaces the facet-row match on the working copy (e.g. a column comparison)."""
    working = _matching(facet, value) if working is None else working
    current = CaseRecord.published_version == CaseRecord.version
    if owned:
        current = current | CaseRecord.tenant.is_in(owned)
        snapshot = CaseRecord.tenant.not_in(owned) & _matching(PUBLISHED + facet, value)
    else:
        snapshot = _matching(PUBLISHED + facet, value)
    return (current & working) | snapshot
