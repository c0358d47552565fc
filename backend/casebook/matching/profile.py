"""What the matcher compares of a case or a target: its Profile (text, ordinal context, weighted item
sets per dimension, main country), built once from a document.

The index stores the same features in arrays (features.py) and the one-to-one comparison uses the
Profile as it is (similarity.py), so both start from this one reading of a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casebook.domain.record_filters import sdg_goal
from casebook.domain.vocabulary import CONTEXT_SCALES

SET_FACETS = ("scenarios", "challenges", "sectors", "human_security", "sdgs", "partners",
              "population_groups", "tools")
ROLE_WEIGHT = 0.5  # a shared partner role counts half a shared partner type
TEXT_LISTS = ("scenarios", "sectors", "challenges", "population_groups", "tools", "lessons")


@dataclass
class Profile:
    """What the matcher compares: text, ordinal context, weighted item sets and the main country."""

    text: str
    context: dict[str, str] = field(default_factory=dict)
    sets: dict[str, dict[str, float]] = field(default_factory=dict)
    country: str | None = None


def _words(slug: str) -> str:
    return str(slug).replace("-", " ").replace("_", " ")


def document_text(doc: dict[str, Any]) -> str:
    """The words of a case or target: title, summary, goals, lessons, building blocks and tag words."""
    parts = [doc.get("title") or "", doc.get("summary") or "", doc.get("goals") or ""]
    for key in TEXT_LISTS:
        parts.extend(_words(v) if key != "lessons" else str(v) for v in doc.get(key) or [])
    for block in doc.get("building_blocks") or []:
        parts.extend([block.get("title") or "", block.get("description") or ""])
    for partner in doc.get("partners") or []:
        parts.extend(_words(r) for r in partner.get("roles") or [])
    return "\n".join(p for p in parts if p)


def sdg_items(values: list[Any]) -> dict[str, float]:
    """Goal 16 -> {g16}; target 16.7 -> {g16, t16.7}. Cosine then gives partial credit:
    same target 1, goal vs one of its targets 0.71, two targets of one goal 0.5."""
    items: dict[str, float] = {}
    for value in values:
        items[f"g{sdg_goal(value)}"] = 1.0
        if isinstance(value, str) and "." in value:
            items[f"t{value}"] = 1.0
    return items


def partner_items(partners: list[dict[str, Any]]) -> dict[str, float]:
    items: dict[str, float] = {}
    for partner in partners:
        if partner.get("type"):
            items[f"type:{partner['type']}"] = 1.0
        for role in partner.get("roles") or []:
            items.setdefault(f"role:{role}", ROLE_WEIGHT)
    return items


def profile(doc: dict[str, Any]) -> Profile:
    context = {k: v for k, v in (doc.get("context") or {}).items() if k in CONTEXT_SCALES and v is not None}
    sets = {key: {str(v): 1.0 for v in doc.get(key) or []} for key in SET_FACETS
            if key not in ("sdgs", "partners")}
    sets["sdgs"] = sdg_items(doc.get("sdgs") or [])
    sets["partners"] = partner_items(doc.get("partners") or [])
    country = doc.get("country") or next(iter(doc.get("countries") or []), None)
    return Profile(text=document_text(doc), context=context, sets=sets, country=country)
