"""Exports of everything an actor may read: JSON, YAML, CSV, and the UN Partnerships for SDGs registry fields."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pycountry

from casebook.db.tables import CaseRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.casefile import dump_case
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.facets import sdg_goal
from casebook.services.clock import now
from casebook.services.publishing import visible_data

FORMATS = ("json", "yaml", "csv", "un-registry")
CSV_COLUMNS = ("tenant", "slug", "visibility", "version", "updated_at", "title", "country", "countries", "locality",
               "status", "period_start", "period_end", "sectors", "scenarios", "sdgs", "human_security",
               "partners", "evidence_level", "summary")
# Our partner types -> the registry's partner type labels (as they appear in its 2018 records).
REGISTRY_PARTNER_TYPES = {
    "business-multinational": "Private sector", "business-domestic": "Private sector", "business-sme": "Private sector",
    "government-national": "Government", "government-subnational": "Government", "government-local": "Government",
    "community": "Civil society organization", "civil-society": "Civil society organization",
    "faith-based": "Civil society organization", "un-agency": "UN System", "academia": "Academic institution",
    "donor": "Other relevant actor", "media": "Other relevant actor",
}


async def readable_cases(actor: Actor) -> list[dict[str, Any]]:
    """Every live case the actor may read, in a stable order: the owner's working copy, else the redacted
    published snapshot with its version and audience."""
    rows = await CaseRecord.select(
        CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("tenant_slug"), CaseRecord.slug,
        CaseRecord.visibility, CaseRecord.version, CaseRecord.updated_at, CaseRecord.data,
        CaseRecord.published_version, CaseRecord.published_visibility, CaseRecord.published_data,
    ).where(read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null()).order_by(
        CaseRecord.tenant.slug).order_by(CaseRecord.slug)
    out = []
    for row in rows:
        case = visible_data(row, actor)
        if case is None:
            continue
        owner = row["tenant"] in actor.roles
        out.append({"tenant": row["tenant_slug"], "slug": row["slug"],
                    "visibility": row["visibility"] if owner else row["published_visibility"],
                    "version": row["version"] if owner else row["published_version"],
                    "updated_at": row["updated_at"], "case": case})
    return out


def _cell(value: Any) -> str:
    """CSV cells that a spreadsheet would run as a formula are quoted as text."""
    text = "; ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        case = row["case"]
        period = case.get("period") or {}
        values = {
            **{k: row[k] for k in ("tenant", "slug", "visibility", "version")},
            "updated_at": row["updated_at"].isoformat(),
            **{k: case.get(k) for k in ("title", "country", "countries", "locality", "status", "sectors", "scenarios",
                                        "sdgs", "human_security", "evidence_level", "summary")},
            "period_start": period.get("start"), "period_end": period.get("end"),
            "partners": [f"{p['name']} ({p['type']})" for p in case.get("partners") or []],
        }
        writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def to_registry(case: dict[str, Any]) -> dict[str, Any]:
    """One case as a UN Partnerships for SDGs registration (title, description, SDGs, partners, countries, dates)."""
    period = case.get("period") or {}
    codes = [c for c in [case.get("country"), *(case.get("countries") or [])] if c]
    return {
        "title": case["title"],
        "description": case["summary"],
        "sdgs": sorted({sdg_goal(g) for g in case.get("sdgs") or []}),
        "partners": [{"name": p["name"], "type": REGISTRY_PARTNER_TYPES[p["type"]]}
                     for p in case.get("partners") or [] if not p.get("sensitive")],
        "countries": [_country_name(c) for c in dict.fromkeys(codes)],
        "start": period.get("start"),
        "end": period.get("end"),
    }


async def export(actor: Actor, fmt: str) -> tuple[str, str]:
    """(body, media type) of the export in the requested format."""
    if fmt not in FORMATS:
        raise InvalidInput(Problem(f"must be one of {', '.join(FORMATS)}", field="format"))
    rows = await readable_cases(actor)
    if fmt == "csv":
        return to_csv(rows), "text/csv; charset=utf-8"
    if fmt == "yaml":
        return "".join(f"---\n# {r['tenant']}/{r['slug']} ({r['visibility']}, version {r['version']})\n"
                       + dump_case(r["case"]) for r in rows), "application/yaml; charset=utf-8"
    if fmt == "un-registry":
        body = {"format": "un-partnerships-for-sdgs", "exported_at": now().isoformat(),
                "registrations": [to_registry(r["case"]) for r in rows]}
        return json.dumps(body, ensure_ascii=False, indent=2), "application/json"
    body = {"exported_at": now().isoformat(), "count": len(rows),
            "cases": [{**r, "updated_at": r["updated_at"].isoformat()} for r in rows]}
    return json.dumps(body, ensure_ascii=False, indent=2), "application/json"


