"""Exports of everything an actor may read: JSON, YAML, CSV, and the UN Partnerships for SDGs registry fields.

Cases and lessons follow the same reader view as the API: the owner's working copy, else the redacted
published snapshot with its version, audience and publication date (a pending edit never shows). The
registry format has no place for lessons, so it holds cases only.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pycountry

from casebook.db import record_rows
from casebook.db.tables import CaseRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.casefile import dump_case
from casebook.domain.clock import now
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.lessonfile import dump_lesson
from casebook.domain.record_filters import sdg_goal
from casebook.domain.visibility import visible_data
from casebook.services import lessons

FORMATS = ("json", "yaml", "csv", "un-registry")
KINDS = ("case", "lesson")
CSV_COLUMNS = ("tenant", "slug", "visibility", "version", "updated_at", "title", "country", "countries", "locality",
               "status", "period_start", "period_end", "sectors", "scenarios", "sdgs", "human_security",
               "partners", "evidence_level", "summary")
LESSON_COLUMNS = ("tenant", "slug", "visibility", "version", "updated_at", "title", "tags", "msp_steps",
                  "dimensions", "cases", "body")
# Our partner types -> the registry's partner type labels (as they appear in its 2018 records).
REGISTRY_PARTNER_TYPES = {
    "business-multinational": "Private sector", "business-domestic": "Private sector", "business-sme": "Private sector",
    "government-national": "Government", "government-subnational": "Government", "government-local": "Government",
    "community": "Civil society organization", "civil-society": "Civil society organization",
    "faith-based": "Civil society organization", "un-agency": "UN System", "academia": "Academic institution",
    "donor": "Other relevant actor", "media": "Other relevant actor", "unknown": None,
}


async def readable_cases(actor: Actor) -> list[dict[str, Any]]:
    """Every live case the actor may read, in a stable order: the owner's working copy, else the redacted
    published snapshot with its version and audience."""
    rows = await record_rows.rows(record_rows.select(CaseRecord).where(
        read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null()).order_by(
        CaseRecord.tenant.slug).order_by(CaseRecord.slug))
    out = []
    for row in rows:
        case = visible_data(row, actor)
        if case is None:
            continue
        out.append({**_header(row, actor), "case": case})
    return out


def _header(row: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Tenant, slug, audience, version and date of what the actor reads: the working copy's in the owner,
    the published snapshot's elsewhere (so a pending edit does not show even by its date)."""
    owner = row["tenant"] in actor.roles
    return {"tenant": row["tenant_slug"], "slug": row["slug"],
            "visibility": row["visibility"] if owner else row["published_visibility"],
            "version": row["version"] if owner else row["published_version"],
            "updated_at": row["updated_at"] if owner else row["published_at"]}


async def readable_lessons(actor: Actor) -> list[dict[str, Any]]:
    """Every live lesson the actor may read, by owner and slug, as the lessons API shows it: linked cases the
    actor may not read are left out (their slugs must not leak)."""
    found = await lessons.visible_lessons(actor)
    readable = await lessons.readable_cases(actor, {c for _, d in found for c in d.get("cases") or []})
    out = []
    for row, data in found:
        lesson = lessons.lesson_out(row, data, actor, readable, full=False)["lesson"]
        out.append({**_header(row, actor), "lesson": lesson})
    return sorted(out, key=lambda r: (r["tenant"], r["slug"]))


def _cell(value: Any) -> str:
    """CSV cells that a spreadsheet would run as a formula are quoted as text."""
    text = "; ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        case = row["case"]
        period = case.get("period") or {}
        values = {
            **{k: row[k] for k in ("tenant", "slug", "visibility", "version")},
            "updated_at": _iso(row["updated_at"]),
            **{k: case.get(k) for k in ("title", "country", "countries", "locality", "status", "sectors", "scenarios",
                                        "sdgs", "human_security", "evidence_level", "summary")},
            "period_start": period.get("start"), "period_end": period.get("end"),
            "partners": [f"{p['name']} ({p['type']})" for p in case.get("partners") or []],
        }
        writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def lessons_csv(rows: list[dict[str, Any]]) -> str:
    """One lesson per row; lists joined with "; ", the Markdown body as it is."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LESSON_COLUMNS)
    for row in rows:
        values = {**row, **row["lesson"], "updated_at": _iso(row["updated_at"])}
        writer.writerow([_cell(values.get(c)) for c in LESSON_COLUMNS])
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
        "description": case.get("summary"),  # a sensitive summary is left out of the snapshot
        "sdgs": sorted({sdg_goal(g) for g in case.get("sdgs") or []}),
        "partners": [{"name": p["name"], "type": REGISTRY_PARTNER_TYPES[p["type"]]}
                     for p in case.get("partners") or [] if not p.get("sensitive")],
        "countries": [_country_name(c) for c in dict.fromkeys(codes)],
        "start": period.get("start"),
        "end": period.get("end"),
    }


def _kinds(fmt: str, kind: str | None) -> tuple[str, ...]:
    """The kinds of record the export holds: both by default, cases only in CSV (one table per kind) and in
    the registry format; `kind` picks one."""
    problems = []
    if fmt not in FORMATS:
        problems.append(Problem(f"must be one of {', '.join(FORMATS)}", field="format"))
    if kind is not None and kind not in KINDS:
        problems.append(Problem(f"must be one of {', '.join(KINDS)}", field="kind"))
    elif fmt == "un-registry" and kind == "lesson":
        problems.append(Problem("the un-registry format holds cases only", field="kind"))
    if problems:
        raise InvalidInput(problems)
    if kind is not None:
        return (kind,)
    return ("case",) if fmt in ("csv", "un-registry") else KINDS


def _yaml(kind: str, row: dict[str, Any]) -> str:
    """One YAML document; its comment says what it is (a case file or a lesson file, as `import` reads)."""
    label = "" if kind == "case" else "lesson "
    dump = dump_case if kind == "case" else dump_lesson
    return (f"---\n# {label}{row['tenant']}/{row['slug']} ({row['visibility']}, version {row['version']})\n"
            + dump(row[kind]))


async def export(actor: Actor, fmt: str, kind: str | None = None) -> tuple[str, str]:
    """(body, media type) of the export in the requested format."""
    kinds = _kinds(fmt, kind or None)
    rows = {"case": await readable_cases(actor) if "case" in kinds else [],
            "lesson": await readable_lessons(actor) if "lesson" in kinds else []}
    if fmt == "csv":
        return (to_csv(rows["case"]) if kinds == ("case",) else lessons_csv(rows["lesson"])), \
            "text/csv"  # Litestar adds the charset to text/* types
    if fmt == "yaml":
        return "".join(_yaml(k, r) for k in kinds for r in rows[k]), "application/yaml; charset=utf-8"
    if fmt == "un-registry":
        registry = {"format": "un-partnerships-for-sdgs", "exported_at": now().isoformat(),
                    "registrations": [to_registry(r["case"]) for r in rows["case"]]}
        return json.dumps(registry, ensure_ascii=False, indent=2), "application/json"
    body: dict[str, Any] = {"exported_at": now().isoformat()}
    for k in kinds:
        body[f"{k}s"] = [{**r, "updated_at": _iso(r["updated_at"])} for r in rows[k]]
    if "case" in kinds:
        body["count"] = len(rows["case"])
    if "lesson" in kinds:
        body["lesson_count"] = len(rows["lesson"])
    return json.dumps(body, ensure_ascii=False, indent=2), "application/json"


