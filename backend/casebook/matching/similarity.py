"""Local similarities per dimension (CBR style), each in [0, 1], and how they combine into a score.

Each compares one aspect of a case's Profile with the target's; the index computes the same ones for
every candidate at once (scoring.py) from the rules written here and in context_scale.py: the
taxonomy's partial credit (`expanded`), what counts as known, and the geography gate
(`gated_geography`, `geography_share`).

Unknown is not half a match: a dimension (or a context field) the case does not record carries no
weight for that case, and the weights are renormalised over what both sides record, so a thin
registry record is compared mainly on its text. Geography only adds to a text match: its credit is
scaled by how relevant the text is (`GEO_GATE`), so a same-country record with unrelated words never
outranks a relevant one from elsewhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from casebook.domain.vocabulary import TAXONOMY_FACETS, related_terms
from casebook.matching import geography
from casebook.matching.context_scale import context_parts
from casebook.matching.profile import SET_FACETS, Profile

UNKNOWN_CONTEXT = 0.5  # how high a difference "not recorded in the case" ranks in explanations (not a score)
SCALE_GEO = True
GEO_GATE = 0.5  # text similarity from which geography earns its full credit (below: in proportion)

Part = tuple[float, float]  # (similarity, share of the facet's weight that applies: what both sides record)


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


def gated_geography(geo: Any, text: Any) -> Any:
    """Geographic credit scaled by the text's relevance: place is a bonus on top of a text match."""
    return geo * np.minimum(1.0, np.asarray(text) / GEO_GATE)


def geography_share(known: Any, others_known: Any, others_described: float) -> Any:
    """Geography's weight share for a case: its own (recorded or not) times the share of the other
    facets' weight that the case records, so a thin record's country never gains in weight when its
    other facets drop out (place stays a bonus, not half of a thin record's score)."""
    return known * (others_known / others_described if others_described else 1.0) if SCALE_GEO else known


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
