"""Vectorised local similarities: every live row of a scope model against one target, per dimension.

The same rules as the one-to-one comparison (similarity.py, context_scale.py), applied to the
columnar store (features.py) so that a query never loops over cases in Python; service.rank then
combines them into scores.
"""

from __future__ import annotations

import numpy as np

from casebook.matching import geography, text
from casebook.matching.context_scale import context_rows
from casebook.matching.features import Features
from casebook.matching.profile import SET_FACETS, Profile
from casebook.matching.scope_models import ScopeModel
from casebook.matching.similarity import expanded

GEO_CREDIT = (geography.SAME_COUNTRY, geography.SAME_INTERMEDIATE, geography.SAME_SUB_REGION,
              geography.SAME_REGION)


def similarities(features: Features, scope: ScopeModel, target: Profile, target_vectors: text.TextVectors | None,
                 weights: dict[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(live rows of the scope, facet -> similarity per live row, facet -> share of the facet's weight
    that applies per row: 0 where the case does not record it, see similarity.py)."""
    f = features
    every = scope.all_slots()
    live = f.alive[every] if scope.base is None else f.readable(scope.key)[every]
    rows = np.flatnonzero(live)
    slots = every[rows]
    sims: dict[str, np.ndarray] = {}
    shares: dict[str, np.ndarray] = {}
    if weights.get("text") and target_vectors is not None:
        sims["text"] = scope.text_similarity(target_vectors)[live]
        shares["text"] = np.ones(len(slots), dtype=np.float32)
    if weights.get("context") and target.context:
        sims["context"], shares["context"] = context_rows(f.context[slots], target.context)
    for facet in SET_FACETS:
        if weights.get(facet) and target.sets[facet]:
            matrix = f.sets[facet][slots]
            query = set_query(f, facet, target.sets[facet])
            sims[facet] = np.minimum(1.0, matrix @ query) if query.size else np.zeros(len(slots), np.float32)
            shares[facet] = (np.diff(matrix.indptr) > 0).astype(np.float32)
    if weights.get("geography") and target.country:
        codes = f.geo[slots]
        sims["geography"] = geography_similarity(codes, f.geo_codes(target.country, grow=False))
        shares["geography"] = (codes[:, 0] > 0).astype(np.float32)
    return rows, sims, shares


def set_query(features: Features, facet: str, items: dict[str, float]) -> np.ndarray:
    """The target's items and their taxonomy relatives, over the index's columns, divided by the norm
    of the target's own items (so an exact match still scores 1, a related one its credit)."""
    vocab = features.vocab[facet]
    norm = float(np.sqrt(sum(w * w for w in items.values()))) or 1.0
    query = np.zeros(features.sets[facet].shape[1], dtype=np.float32)
    for item, weight in expanded(facet, items).items():
        if item in vocab:
            query[vocab[item]] = weight / norm
    return query


def geography_similarity(codes: np.ndarray, target: np.ndarray) -> np.ndarray:
    out = np.zeros(codes.shape[0], dtype=np.float32)
    for level in range(3, -1, -1):  # coarse to fine: finer agreement overwrites
        if target[level] > 0:
            out = np.where(codes[:, level] == target[level], GEO_CREDIT[level], out)
    return out
