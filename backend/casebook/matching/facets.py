"""Local similarities per facet (CBR style): each compares one aspect of a case with the target, in [0, 1].

A case document or a target context becomes a Profile once; the index stores the same features in
arrays so that one query scores every candidate without Python loops. The rules below are written
once and used by both: the context-scale rule (`scale_closeness`), the taxonomy's partial credit
(`expanded`), what counts as known (`known_share`) and the geography gate (`gated_geography`).

Unknown is not half a match: a facet (or a context field) the case does not record carries no weight
for that case, and the weights are renormalised over what both sides record, so a thin registry
record is compared mainly on its text. Geography only adds to a text match: its credit is scaled by
how relevant the text is (`GEO_GATE`), so a same-country record with unrelated words never outranks
a relevant one from elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from casebook.domain.facets import sdg_goal
from casebook.domain.vocabulary import CONTEXT_SCALES, TAXONOMY_FACETS, related_terms
from casebook.matching import geography

SET_FACETS = ("scenarios", "challenges", "sectors", "human_security", "sdgs", "partners",
              "population_groups", "tools")
CONTEXT_FIELDS = tuple(CONTEXT_SCALES)
UNKNOWN_CONTEXT = 0.5  # how high a difference "not recorded in the case" ranks in explanations (not a score)
SCALE_GEO = True
GEO_GATE = 0.5  # text similarity from which geography earns its full credit (below: in proportion)
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


def expanded(facet: str | None, items: dict[str, float]) -> dict[str, float]:
    """A target's items plus their taxonomy relatives at their partial credit (the best one wins)."""
    if facet not in TAXONOMY_FACETS:
        return dict(items)
    out = dict(items)
    for item, weight in items.items():
        for other, credit in related_terms(facet, item).items():
            if other not in items:
                out[other] = max(out.get(other, 0.0), weight * credit)
    return out


def set_similarity(a: dict[str, float], b: dict[str, float], facet: str | None = None) -> float:
    """Weighted cosine of two item sets (Ochiai coefficient when all weights are 1); with a taxonomy
    facet, `a`'s related items earn their partial credit (capped at 1, an exact match)."""
    if not a or not b:
        return 0.0
    query = expanded(facet, a)
    dot = sum(w * b[k] for k, w in query.items() if k in b)
    return min(1.0, dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values())))


def scale_closeness(name: str, target: int, case: Any) -> Any:
    """The context-scale rule, for one case position or an array of them: 1 - ordinal distance over
    the scale's span; 'mixed' (the one non-ordinal setting) is half-way to anything else."""
    scale = CONTEXT_SCALES[name]
    case = np.asarray(case, dtype=np.int16)
    sim = 1.0 - np.abs(case - target) / (len(scale) - 1)
    if name == "setting":
        mixed = scale.index(MIXED)
        sim = np.where((case != target) & ((case == mixed) | (target == mixed)), 0.5, sim)
    return sim


def context_field_similarity(name: str, target: str, case: str | None) -> float | None:
    """None when the case does not record the field (unknown, not half a match)."""
    if case is None:
        return None
    scale = CONTEXT_SCALES[name]
    return float(scale_closeness(name, scale.index(target), scale.index(case)))


def context_parts(target: dict[str, str], case: dict[str, str]) -> tuple[float, float] | None:
    """(mean closeness over the fields both record, share of the target's fields the case records);
    None when the target describes none, (0, 0) when the case records none of them."""
    if not target:
        return None
    known = [s for k, v in target.items() if (s := context_field_similarity(k, v, case.get(k))) is not None]
    return (sum(known) / len(known), len(known) / len(target)) if known else (0.0, 0.0)


def context_similarity(target: dict[str, str], case: dict[str, str]) -> float | None:
    """Mean ordinal closeness over the fields the target describes that the case records too."""
    parts = context_parts(target, case)
    return None if parts is None or not parts[1] else parts[0]


def gated_geography(geo: Any, text: Any) -> Any:
    """Geographic credit scaled by the text's relevance: place is a bonus on top of a text match."""
    return geo * np.minimum(1.0, np.asarray(text) / GEO_GATE)


def geography_share(known: Any, others_known: Any, others_described: float) -> Any:
    """Geography's weight share for a case: its own (recorded or not) times the share of the other
    facets' weight that the case records, so a thin record's country never gains in weight when its
    other facets drop out (place stays a bonus, not half of a thin record's score)."""
    return known * (others_known / others_described if others_described else 1.0) if SCALE_GEO else known


Part = tuple[float, float]  # (similarity, share of the facet's weight that applies: what both sides record)


def local_similarities(target: Profile, case: Profile, text: float | None) -> dict[str, Part | None]:
    """Every facet's similarity and known share; None for a facet the target leaves empty (no weight)."""
    sims: dict[str, Part | None] = {"text": (text, 1.0) if text is not None else None,
                                    "context": context_parts(target.context, case.context)}
    for key in SET_FACETS:
        mine = target.sets[key]
        sims[key] = (set_similarity(mine, case.sets[key], key), 1.0 if case.sets[key] else 0.0) if mine else None
    if target.country:
        sims["geography"] = (geography.closeness(target.country, case.country)[0],
                             1.0 if geography.place(case.country) else 0.0)
    else:
        sims["geography"] = None
    return sims


def combine(sims: dict[str, Part | None], weights: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Weighted mean over what both sides record, and each facet's contribution (they sum to the score).
    With the text facet on, geography is gated by the text's similarity."""
    active = {k: p for k, p in sims.items() if p is not None and weights.get(k, 0) > 0}
    if "geography" in active:
        geo, share = active["geography"]
        if "text" in active:
            geo = float(gated_geography(geo, active["text"][0]))
        others = [k for k in active if k != "geography"]
        share = float(geography_share(share, sum(weights[k] * active[k][1] for k in others),
                                      sum(weights[k] for k in others)))
        active["geography"] = (geo, share)
    total = sum(weights[k] * share for k, (_, share) in active.items())
    if not total:
        return 0.0, {}
    contributions = {k: round(weights[k] * share * s / total, 4) for k, (s, share) in active.items()}
    return round(sum(weights[k] * share * s for k, (s, share) in active.items()) / total, 4), contributions
