"""Matching services: rank the cases an actor may read by similarity to a target, and explain each.

`match` serves the API, the CLI and the planner; `compare` is the pure one-to-one comparison the
planner uses to turn differences into adaptation work; `validate_context` checks a target context.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

from casebook.db.tables import CaseRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.visibility import visible_data
from casebook.matching import explain, text
from casebook.matching.entries import CASE_COLUMNS, Entry
from casebook.matching.index import MatcherIndex
from casebook.matching.profile import Profile, profile
from casebook.matching.scope_models import ScopeModel
from casebook.matching.similarity import combine, gated_geography, geography_share, local_similarities
from casebook.matching.target import validate_context
from casebook.matching.weights import resolve_weights

__all__ = ["MAX_TOP", "Warming", "compare", "match", "text_ranking", "text_similarity", "validate_context"]

MAX_TOP = 50
CaseResolver = Callable[[Actor, Any], Awaitable[dict[str, Any]]]
"""Looks a case reference up among the cases the actor reads: {"id", "tenant_slug", "slug", "data"}."""


class Warming(Exception):
    """The matcher is still loading the cases or fitting the first model of this scope (what a page that
    must not block says while it waits); `progress` says what it is doing."""

    def __init__(self, progress: dict[str, Any] | None) -> None:
        super().__init__("the matcher is preparing its model")
        self.progress = progress or {"stage": "loading", "cases": None}


def check_top(top: Any) -> tuple[int, bool]:
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidInput(Problem(f"must be a whole number from 1 (at most {MAX_TOP} are returned)", field="top"))
    return min(top, MAX_TOP), top > MAX_TOP


def _explained(target: Profile, case: Profile, title: str, score: float, facets: dict[str, float],
               weights: dict[str, float], shared_terms: list[str]) -> dict[str, Any]:
    agreed = explain.agreements(target, case, shared_terms)
    differs = explain.differences(target, case, weights)
    return {"score": score, "facets": facets, "agreements": agreed, "differences": differs,
            "explanation": explain.sentence(title, score, agreed, differs)}


def compare(template_case: dict, target_context: dict, weights: dict | None = None) -> dict[str, Any]:
    """One case against one target, on their own (the text facet uses the pair, not a corpus)."""
    resolved = resolve_weights(weights)
    target, case = profile(target_context), profile(template_case)
    text_sim, terms = text.pair_similarity(target.text, case.text) if resolved["text"] else (0.0, [])
    score, facets = combine(local_similarities(target, case, round(text_sim, 4)), resolved)
    allowed = text.prose_words(target_context)
    terms = [t for t in terms if t in allowed]
    return _explained(target, case, template_case.get("title", ""), score, facets, resolved, terms)


def rank(index: MatcherIndex, scope: ScopeModel, target_doc: dict, weights: dict[str, float], top: int,
         exclude: int | None = None) -> list[dict[str, Any]]:
    """Scores every candidate of the scope at once (vectorised), then explains only the top ones."""
    target = profile(target_doc)
    vectors = scope.model.query(target.text, remember=scope.base is None) if weights["text"] else None
    allowed = text.prose_words(target_doc)
    rows, sims, shares = index.similarities(scope, target, vectors, weights)
    slots = scope.all_slots()[rows]
    if not slots.size or not sims:
        return []
    if "geography" in sims:
        if "text" in sims:
            sims["geography"] = gated_geography(sims["geography"], sims["text"])
        others = [k for k in sims if k != "geography"]
        shares["geography"] = geography_share(shares["geography"], sum(weights[k] * shares[k] for k in others),
                                              sum(weights[k] for k in others))
    total = sum(weights[k] * shares[k] for k in sims)  # per row: the weight of what both sides record
    total = np.where(total > 0, total, 1.0)
    parts = {k: weights[k] * shares[k] * s / total for k, s in sims.items()}
    scores = sum(parts.values())
    if exclude is not None:
        scores = np.where(index.features.case_id[slots] == exclude, -1.0, scores)
    best = [i for i in top_rows(scores, slots, top) if scores[i] >= 0]
    if "text" in sims:  # the stored word rows of the best, over the query's words only
        words = scope.word_columns(vectors.words.indices)[rows[best]].tocsr()
    results = []
    for n, i in enumerate(best):
        entry: Entry = index.features.entries[slots[i]]
        facets = {k: round(float(parts[k][i]), 4) for k in sims}
        terms = scope.model.shared_terms(vectors.words, words[n], allowed=allowed) if "text" in sims else []
        result = {"tenant": entry.tenant_slug, "slug": entry.slug, "title": entry.title, "country": entry.country}
        result.update(_explained(target, entry.profile, entry.title, round(float(scores[i]), 4), facets,
                                 weights, terms))
        results.append(result)
    return results[:top]


def top_rows(scores: np.ndarray, slots: np.ndarray, top: int) -> np.ndarray:
    """The `top` best rows, best first, ties by slot: argpartition, then a sort of the few kept
    (every row tied with the last kept one stays in, so the order does not depend on the partition)."""
    rounded = np.round(scores, 6)
    if rounded.size > top:
        cut = np.partition(-rounded, top - 1)[top - 1]
        keep = np.flatnonzero(-rounded <= cut)
    else:
        keep = np.arange(rounded.size)
    return keep[np.lexsort((slots[keep], -rounded[keep]))][:top]


async def _still_readable(actor: Actor, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results the actor may still read (a model served while changes wait may be a write behind)."""
    if not results:
        return results
    where = (read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null()
             & CaseRecord.slug.is_in(sorted({r["slug"] for r in results})))
    rows = await CaseRecord.select(*CASE_COLUMNS).where(where)
    readable = {(r["tenant_slug"], r["slug"]) for r in rows if visible_data(r, actor) is not None}
    return [r for r in results if (r["tenant"], r["slug"]) in readable]


async def match(actor: Actor, *, case: str | None = None, context: dict | None = None,
                weights: dict | None = None, top: int = 10, index: MatcherIndex,
                wait: bool = True, resolve_case: CaseResolver | None = None) -> dict[str, Any]:
    """The most comparable cases the actor may read, best first, each with its explanation.

    A `case` reference is looked up by `resolve_case` (services.matching: among the cases the actor reads);
    services.matching.match is the entry point that passes it. `index`: the caller's runtime's matcher
    (`runtime.matcher`); the engine has no default of its own.
    `wait=False` (pages): never wait for a load or a first fit, raise Warming instead (the warm-up of
    warmup.py is doing it); while a warm-up holds the index, serve the model as it is."""
    if (case is None) == (context is None):
        raise InvalidInput(Problem("send either a case slug or a target context, not both", field="case"))
    resolved = resolve_weights(weights)
    limit, capped = check_top(top)
    exclude = None
    if context is not None:
        target_doc = validate_context(context)
    else:
        if resolve_case is None:
            raise TypeError("matching a case reference needs resolve_case (call services.matching.match)")
        row = await resolve_case(actor, case)
        target_doc, exclude = row["data"], row["id"]
    stale = index.cached(actor) if not wait and index.lock.locked() else None
    if stale is not None:
        results = await _still_readable(actor, rank(index, stale, target_doc, resolved, limit, exclude))
    else:
        if not wait and not index.ready(actor) and not await index.small():
            index.warm_soon()
            raise Warming(index.progress)
        await index.refresh()
        scope = await index.scope_for(actor)
        results = rank(index, scope, target_doc, resolved, limit, exclude)
    body: dict[str, Any] = {"results": results, "weights": resolved, "top": limit, "capped": capped}
    if capped:
        body["note"] = f"top is capped at {MAX_TOP}; {top} was asked"
    return body


async def text_ranking(actor: Actor, text_query: str, top: int, index: MatcherIndex) -> list[dict[str, Any]]:
    """The cases the actor reads, ranked by the text facet alone against a free text: the planner's retrieval
    for one statement of a target. Not a user's context, so it is not validated as one (a statement of any
    length is a valid query; the user's own fields were validated, under their own names, before)."""
    weights = resolve_weights({facet: 0.0 for facet in resolve_weights(None)} | {"text": 1.0})
    await index.refresh()
    scope = await index.scope_for(actor)
    return rank(index, scope, {"summary": text_query}, weights, min(top, MAX_TOP))


async def text_similarity(actor: Actor, queries: list[str], texts: list[str], index: MatcherIndex) -> np.ndarray:
    """Word cosine of each query against each text (queries x texts) in the text model of the actor's scope:
    the vocabulary and IDF the matcher ranks with, learnt only from what this actor may read."""
    if not queries or not texts:
        return np.zeros((len(queries), len(texts)), dtype=np.float32)
    await index.refresh()
    scope = await index.scope_for(actor)
    return scope.model.word_cosines(queries, texts)
