"""The case editor's form <-> case document, and service problems -> the form field they concern.

Field names mirror the case's paths (`context.trust`, `partners.0.name`), so a Problem on
`case.partners[0].type` lands next to that select. Repeatable groups may arrive with gaps in their
indexes (rows removed in the browser); they are read in index order and renumbered. Values that do
not parse (a year of "20x5") are kept as typed, so the schema names the problem and the user sees
their own input again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from casebook.domain.blocks import carry_ids
from casebook.domain.errors import Problem
from casebook.domain.numbers import is_digits, parse_int

# Lists of slugs or codes typed as comma-separated text.
CSV_FIELDS = ("countries", "scenarios", "sectors", "population_groups", "tools", "challenges", "sdgs", "sensitive")
CHECKBOX_FIELDS = ("human_security",)
CONTEXT_ENUMS = ("conflict", "state_capacity", "trust", "power_asymmetry", "dependence_on_single_company",
                 "setting", "legal_provisions", "budget_commitment")
# group -> {field: kind}; kinds: text, csv, lines, int, measure, sdg, checks, bool
GROUPS: dict[str, dict[str, str]] = {
    "partners": {"name": "text", "type": "text", "roles": "csv", "contribution": "text", "sensitive": "bool"},
    "building_blocks": {"title": "text", "description": "text", "msp_steps": "checks", "enabling_factors": "lines"},
    "outcomes": {"indicator": "text", "baseline": "measure", "target": "measure", "actual": "measure",
                 "unit": "text", "sdg": "sdg"},
    "risks": {"area": "text", "description": "text", "mitigation": "text"},
    "scaling": {"dimension": "text", "description": "text", "from": "text", "to": "text"},
    "sources": {"title": "text", "publisher": "text", "year": "int", "locator": "text", "url": "text"},
}
ROW = re.compile(r"^(?P<group>[a-z_]+)\.(?P<index>\d+)(?:\.(?P<field>[a-z_]+))?$")


def _text(value: Any) -> str:
    return str(value).replace("\r\n", "\n").strip() if value is not None else ""


def _int(value: str) -> int | str:
    return int(value) if re.fullmatch(r"-?\d{1,6}", value) else value


def _sdg(value: str) -> int | str:
    return int(value) if is_digits(value) else value


def _measure(value: str) -> int | float | str:
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d*\.\d+", value):
        return float(value)
    return value


def _csv(value: str, item: Any = None) -> list[Any]:
    parts = [p.strip() for p in re.split(r"[,\n]", value) if p.strip()]
    return [item(p) for p in parts] if item else parts


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.split("\n") if line.strip()]


def _convert(kind: str, values: list[str]) -> Any:
    """A group field's value, or None when empty (then the key is left out)."""
    if kind == "checks":
        return [_int(v) for v in values if v] or None
    if kind == "bool":
        return True if any(values) else None
    value = _text(values[-1]) if values else ""
    if not value:
        return None
    return {"text": lambda v: v, "csv": _csv, "lines": _lines, "int": _int, "measure": _measure,
            "sdg": _sdg}[kind](value)


def _rows(form: Any, keys: Iterable[str], group: str) -> list[dict[str, Any]]:
    fields = GROUPS[group]
    indexes = sorted({int(m["index"]) for k in keys if (m := ROW.match(k)) and m["group"] == group})
    rows = []
    for index in indexes:
        row = {}
        for name, kind in fields.items():
            value = _convert(kind, form.getall(f"{group}.{index}.{name}", []))
            if value is not None:
                row[name] = value
        if row:
            rows.append(row)
    return rows


def form_to_case(form: Any) -> dict[str, Any]:
    """A case document from the editor's fields (a multidict with getall), leaving out empty values."""
    keys = list(form.keys())

    def one(name: str) -> str:
        values = form.getall(name, [])
        return _text(values[-1]) if values else ""

    data: dict[str, Any] = {}
    for name in ("slug", "title", "country", "locality", "status", "summary", "evidence_level"):
        if one(name):
            data[name] = one(name).upper() if name == "country" else one(name)
    if "country" not in data:
        data["country"] = None  # a multi-country case: the schema allows null, and wants the key
    period = {k: _int(one(f"period.{k}")) for k in ("start", "end") if one(f"period.{k}")}
    if period:
        data["period"] = {"start": period.get("start"), "end": period.get("end")}
    for name in CSV_FIELDS:
        if one(name):
            data[name] = _csv(one(name), _sdg if name == "sdgs" else (str.upper if name == "countries" else None))
    for name in CHECKBOX_FIELDS:
        checked = [v for v in form.getall(name, []) if v]
        if checked:
            data[name] = checked
    context: dict[str, Any] = {k: one(f"context.{k}") for k in CONTEXT_ENUMS if one(f"context.{k}")}
    if one("context.policy_frameworks"):
        context["policy_frameworks"] = _lines(one("context.policy_frameworks"))
    if context:
        data["context"] = context
    principles = {k: one(f"principles.{k}") for k in _principle_keys() if one(f"principles.{k}")}
    if principles:
        data["principles"] = principles
    for group in GROUPS:
        rows = _rows(form, keys, group)
        if rows:
            data[group] = rows
    lesson_keys = [k for k in keys if k.startswith("lessons.") and is_digits(k.split(".")[1]) and k.count(".") == 1]
    lessons = [_text(form.getall(k)[-1]) for k in sorted(lesson_keys, key=lambda k: int(k.split(".")[1]))]
    if any(lessons):
        data["lessons"] = [lesson for lesson in lessons if lesson]
    if one("lineage.replicates"):
        data["lineage"] = {"replicates": one("lineage.replicates")}
    return data


def keep_unshown(data: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """What the form has no field for is kept from the case as it was: its list of editor-mapped fields
    and its blocks' ids (by title), so an edit on the page does not drop them."""
    if previous.get("mapped") and "mapped" not in data:
        data["mapped"] = previous["mapped"]
    if data.get("building_blocks"):
        data["building_blocks"] = carry_ids(data["building_blocks"], previous.get("building_blocks") or [])
    return data


def _principle_keys() -> tuple[str, ...]:
    from casebook.domain.vocabulary import PRINCIPLES
    return PRINCIPLES


def field_errors(problems: Iterable[Problem], prefix: str = "case") -> tuple[dict[str, list[str]], list[str]]:
    """({form field name: messages}, messages for no one field). `case.partners[0]` + "'name' is required"
    belongs to `partners.0.name`; `case.sdgs[1]` belongs to `sdgs`, the one input holding the list."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        path = problem.field or ""
        if path == prefix or path.startswith(prefix + "."):
            path = path[len(prefix):].lstrip(".")
        if problem.code == "required" and problem.missing:
            path = f"{path}.{problem.missing}" if path else problem.missing
        name = re.sub(r"\[(\d+)\]", r".\1", path)
        parts = name.split(".")
        if parts and parts[0] in CSV_FIELDS + CHECKBOX_FIELDS:
            name = parts[0]
        elif len(parts) >= 3 and parts[0] in GROUPS:
            name = ".".join(parts[:3])
        elif len(parts) >= 2 and parts[0] == "context" and parts[1] == "policy_frameworks":
            name = "context.policy_frameworks"
        if not name:
            general.append(problem.message)
            continue
        by_field.setdefault(name, []).append(problem.message)
    return by_field, general


def form_version(form: Any) -> int | None:
    """The version a page form was loaded at; None (so the service names the field) when absent or not a number."""
    raw = str(form.get("version") or "")
    return parse_int(raw, maximum=10**30)  # a version no column holds is stale (409), not absent


def field_id(name: str) -> str:
    """An HTML id for a field name: `partners.0.name` -> `f-partners-0-name`."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
