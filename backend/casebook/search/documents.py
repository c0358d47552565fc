"""Case -> search document: the text fields, the facet values and the access labels.

Keys listed in a case's `sensitive`, and partners marked sensitive, are left out of the document of
a network or public case, so no search hit, snippet or facet can show them outside the owner.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from casebook.db.tables import CaseRecord
from casebook.domain.access import record_labels
from casebook.domain.facets import sdg_goal
from casebook.domain.redaction import redact
from casebook.search.regions import regions_of
from casebook.search.vocabulary import country_names, sdg_label
from casebook.services.tenants import networks_of

ROW_COLUMNS = (CaseRecord.id, CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("tenant_slug"), CaseRecord.slug,
               CaseRecord.title, CaseRecord.country, CaseRecord.status, CaseRecord.visibility, CaseRecord.data,
               CaseRecord.updated_at, CaseRecord.deleted_at)


def _words(slugs: Iterable[Any]) -> str:
    return " ".join(str(s).replace("-", " ") for s in slugs or [])


def _visible(data: dict[str, Any], visibility: str) -> dict[str, Any]:
    """Network and public documents are read outside the owner, so they carry the redacted case."""
    return data if visibility == "private" else redact(data)


def _date_key(data: dict[str, Any], updated_at: Any) -> int:
    """Sort key for "date": the start year, then the last change (newest first when descending)."""
    start = (data.get("period") or {}).get("start") or 0
    stamp = int(updated_at.timestamp()) if isinstance(updated_at, datetime) else 0
    return start * 10_000_000_000 + stamp


def build_document(row: dict[str, Any], owner_networks: Iterable[int]) -> dict[str, Any]:
    raw = row["data"]
    data = _visible(json.loads(raw) if isinstance(raw, str) else raw, row["visibility"])
    countries = list(dict.fromkeys(c for c in [data.get("country"), *(data.get("countries") or [])] if c))
    regions = list(dict.fromkeys(r for c in countries for r in regions_of(c)))
    goals = sorted({sdg_goal(v) for v in data.get("sdgs") or []})
    blocks = data.get("building_blocks") or []
    extra = [
        data.get("locality") or "", _words(data.get("sectors")), _words(data.get("scenarios")),
        _words(data.get("tools")), _words(data.get("population_groups")), _words(data.get("human_security")),
        *(n for c in countries for n in country_names(c)), *regions, *(sdg_label(g) for g in goals),
        *(str(v) for v in (data.get("principles") or {}).values()),
        *(s.get("description", "") for s in data.get("scaling") or []),
    ]
    doc = {
        "id": row["id"],
        "tenant": row["tenant_slug"],
        "slug": row["slug"],
        "title": data["title"],
        "summary": data.get("summary") or "",
        "lessons": "\n".join(data.get("lessons") or []),
        "building_blocks": "\n".join(f"{b['title']}: {b.get('description', '')}" for b in blocks),
        "challenges": _words(data.get("challenges")),
        "partners": "\n".join(p["name"] for p in data.get("partners") or []),
        "extra": "\n".join(e for e in extra if e),
        "country": countries,
        "region": regions,
        "sector": list(data.get("sectors") or []),
        "sdg": [str(g) for g in goals],
        "scenario": list(data.get("scenarios") or []),
        "human_security": list(data.get("human_security") or []),
        "scaling": list(dict.fromkeys(s["dimension"] for s in data.get("scaling") or [])),
        "status": [data["status"]],
        "evidence_level": [data["evidence_level"]] if data.get("evidence_level") else [],
        "labels": record_labels(row["tenant"], row["visibility"], owner_networks),
        "date": _date_key(data, row.get("updated_at")),
    }
    doc["fp"] = fingerprint(doc)
    return doc


def fingerprint(doc: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in doc.items() if k != "fp"}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(body.encode()).hexdigest()[:16]


async def documents_for(case_ids: Iterable[int] | None = None) -> tuple[list[dict[str, Any]], list[int]]:
    """(documents to index, ids to remove) for these cases, or for every case when `case_ids` is None."""
    query = CaseRecord.select(*ROW_COLUMNS)
    wanted = None if case_ids is None else sorted(set(case_ids))
    if wanted is not None:
        if not wanted:
            return [], []
        query = query.where(CaseRecord.id.is_in(wanted))
    rows = await query.order_by(CaseRecord.id)
    networks: dict[int, set[int]] = {}
    docs = []
    for row in rows:
        if row["deleted_at"] is not None:
            continue
        owner = row["tenant"]
        if owner not in networks:
            networks[owner] = await networks_of(frozenset({owner}))
        docs.append(build_document(row, networks[owner]))
    live = {d["id"] for d in docs}
    gone = [i for i in (wanted or [r["id"] for r in rows]) if i not in live]
    return docs, gone
