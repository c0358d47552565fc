"""Explanations a partnership practitioner can read: what agreed, what differed most, in sentences.

"Here" is the target (the user's situation); "the case" is the proven partnership being compared.
"""

from __future__ import annotations

from typing import Any

import pycountry

from casebook.domain.numbers import is_digits
from casebook.domain.slugwords import slug_words
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.matching import geography
from casebook.matching.context_scale import context_field_similarity
from casebook.matching.profile import SET_FACETS, Profile
from casebook.matching.similarity import UNKNOWN_CONTEXT

MAX_DIFFERENCES = 5
MAX_LISTED = 4
FACET_NOUNS = {
    "scenarios": "scenarios", "challenges": "challenges", "sectors": "sectors",
    "human_security": "human-security dimensions", "sdgs": "SDGs", "partners": "partner types",
    "population_groups": "population groups", "tools": "tools",
}


def _label(value: Any) -> str:
    return slug_words(value)


def country_name(code: str | None) -> str:
    if not code:
        return "no single country"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def _listing(values: list[str]) -> str:
    shown = [_label(v) for v in values[:MAX_LISTED]]
    if len(values) > MAX_LISTED:
        shown.append(f"{len(values) - MAX_LISTED} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _items(facet: str, items: dict[str, float]) -> list[str]:
    """Readable values of a facet's item set (types only for partners, goals and targets for SDGs)."""
    if facet == "partners":
        return [k.split(":", 1)[1] for k in items if k.startswith("type:")]
    if facet == "sdgs":
        targets = [k[1:] for k in items if k.startswith("t")]
        goals = [k[1:] for k in items if k.startswith("g") and not any(t.split(".")[0] == k[1:] for t in targets)]
        return sorted(goals + targets, key=lambda v: [float(x) if is_digits(x) else 0 for x in v.split(".")])
    return list(items)


def agreements(target: Profile, case: Profile, shared_terms: list[str]) -> list[dict[str, Any]]:
    out = []
    for facet in SET_FACETS:
        shared = [v for v in _items(facet, target.sets[facet]) if v in _items(facet, case.sets[facet])]
        if shared:
            out.append({"facet": facet, "values": shared, "text": f"shared {FACET_NOUNS[facet]}: {_listing(shared)}"})
    same = [k for k, v in target.context.items() if case.context.get(k) == v]
    if same:
        out.append({"facet": "context", "values": {k: target.context[k] for k in same},
                    "text": "same context: " + ", ".join(f"{_label(k)} {target.context[k]}" for k in same)})
    credit, level = geography.closeness(target.country, case.country)
    if level:
        where = country_name(case.country) if level == "country" else level
        kind = "country" if level == "country" else "region"
        out.append({"facet": "geography", "values": [level], "text": f"same {kind}: {where}"})
    if shared_terms:
        out.append({"facet": "text", "values": shared_terms, "text": f"shared terms: {', '.join(shared_terms)}"})
    return out


def differences(target: Profile, case: Profile, weights: dict[str, float]) -> list[dict[str, Any]]:
    """The biggest gaps first: context fields by ordinal distance, then missing items, then place."""
    ranked: list[tuple[float, dict[str, Any]]] = []
    for name, value in target.context.items():
        if name not in CONTEXT_SCALES:
            continue
        theirs = case.context.get(name)
        sim = context_field_similarity(name, value, theirs)
        gap = UNKNOWN_CONTEXT if sim is None else 1.0 - sim
        if gap <= 0 or (theirs is None and gap <= UNKNOWN_CONTEXT and weights.get("context", 0) == 0):
            continue
        text = (f"{_label(name)}: {value} here vs {theirs} in the case" if theirs
                else f"{_label(name)}: {value} here, not recorded in the case")
        ranked.append((weights.get("context", 0) * gap + (0.5 if theirs else 0),
                       {"facet": "context", "field": name, "template": theirs, "target": value, "text": text}))
    for facet in SET_FACETS:
        mine, theirs = _items(facet, target.sets[facet]), _items(facet, case.sets[facet])
        missing = [v for v in mine if v not in theirs]
        if not missing:
            continue
        text = (f"{FACET_NOUNS[facet]}: {_listing(missing)} here, "
                + (f"the case has {_listing(theirs)}" if theirs else "none recorded in the case"))
        ranked.append((weights.get(facet, 0) * len(missing) / len(mine),
                       {"facet": facet, "field": facet, "template": theirs, "target": missing, "text": text}))
    credit, _ = geography.closeness(target.country, case.country)
    if target.country and credit < 1:
        text = f"country: {country_name(target.country)} here vs {country_name(case.country)} in the case"
        ranked.append((weights.get("geography", 0) * (1 - credit),
                       {"facet": "geography", "field": "country", "template": case.country,
                        "target": target.country, "text": text}))
    ranked.sort(key=lambda pair: -pair[0])
    return [d for score, d in ranked if score > 0][:MAX_DIFFERENCES]


def strength(score: float) -> str:
    if score >= 0.6:
        return "A close match"
    if score >= 0.35:
        return "A partial match"
    return "A distant match"


def sentence(title: str, score: float, agreed: list[dict[str, Any]], differs: list[dict[str, Any]]) -> str:
    parts = [f"{strength(score)} ({score:.2f}) with “{title}”."]
    if agreed:
        parts.append("It agrees on " + "; ".join(a["text"] for a in agreed[:4]) + ".")
    else:
        parts.append("Nothing specific agrees beyond general wording.")
    if differs:
        parts.append("Biggest differences: " + "; ".join(d["text"] for d in differs[:3]) + ".")
    return " ".join(parts)
