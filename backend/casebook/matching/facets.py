"""Local similarities per facet (CBR style): each compares one aspect of a case with the target, in [0, 1].

A case document or a target context becomes a Profile once; the index stores the same features in
arrays so that one query scores every candidate without Python loops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from casebook.domain.facets import sdg_goal
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.matching import geography

SET_FACETS = ("scenarios", "challenges", "sectors", "human_security", "sdgs", "partners",
              "population_groups", "tools")
CONTEXT_FIELDS = tuple(CONTEXT_SCALES)
UNKNOWN_CONTEXT = 0.5  # the case does not say: neither agreement nor difference
MIXED = "mixed"  # the one non-ordinal setting: half-way to anything else
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


def set_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted cosine of two item sets (Ochiai coefficient when all weights are 1)."""
    if not a or not b:
        return 0.0
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def context_field_similarity(name: str, target: str, case: str | None) -> float:
    if case is None:
        return UNKNOWN_CONTEXT
    if target == case:
        return 1.0
    if MIXED in (target, case) and name == "setting":
        return 0.5
    scale = CONTEXT_SCALES[name]
    return 1.0 - abs(scale.index(target) - scale.index(case)) / (len(scale) - 1)


def context_similarity(target: dict[str, str], case: dict[str, str]) -> float | None:
    """Mean ordinal closeness over the fields the target describes; None when it describes none."""
    if not target:
        return None
    return sum(context_field_similarity(k, v, case.get(k)) for k, v in target.items()) / len(target)


def local_similarities(target: Profile, case: Profile, text: float | None) -> dict[str, float | None]:
    """Every facet's similarity; None for a facet the target leaves empty (it then carries no weight)."""
    sims: dict[str, float | None] = {"text": text, "context": context_similarity(target.context, case.context)}
    for key in SET_FACETS:
        sims[key] = set_similarity(target.sets[key], case.sets[key]) if target.sets[key] else None
    sims["geography"] = geography.closeness(target.country, case.country)[0] if target.country else None
    return sims


def combine(sims: dict[str, float | None], weights: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Normalised weighted sum, and each facet's contribution to it (contributions sum to the score)."""
    active = {k: s for k, s in sims.items() if s is not None and weights.get(k, 0) > 0}
    total = sum(weights[k] for k in active)
    if not total:
        return 0.0, {}
    contributions = {k: round(weights[k] * s / total, 4) for k, s in active.items()}
    return round(sum(weights[k] * s for k, s in active.items()) / total, 4), contributions
