"""The in-memory matcher index, kept fresh from the outbox, with text models per access scope.

MatcherIndex is the façade the rest of the code uses; each of its jobs has its own module:
entries.py (the views of a case row), scopes.py (who reads which view, and the numpy read mask),
features.py (the columnar feature store), scope_models.py (a scope's text model and when it is
stale or reusable), model_cache.py (the cache of scope models: Cost, Reuse and Changes), store.py
(scope models on disk), freshness.py (the outbox cursor) and scoring.py (vectorised similarities).
A tenant's private case, pending edit or redacted field therefore never shapes another tenant's
vocabulary, IDF, latent space, shared terms or explanations.

Freshness: each query first applies the case writes the outbox recorded since the last one applied
(freshness.py): a small batch at once, a large one (an import) profiled and transformed off the
event loop, so queries keep being served from the models as they were until it is swapped in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import numpy as np

from casebook.db.tables import CaseRecord
from casebook.domain.access import ANONYMOUS, Actor
from casebook.matching import freshness, scope_models, scoring, text
from casebook.matching.entries import CASE_COLUMNS, Entry, changes
from casebook.matching.features import build_features
from casebook.matching.model_cache import ScopeCache
from casebook.matching.profile import Profile
from casebook.matching.scope_models import ScopeModel
from casebook.matching.scopes import PUBLIC, ScopeKey

__all__ = ["CASE_COLUMNS", "PUBLIC", "Entry", "MatcherIndex", "ScopeKey", "ScopeModel"]


class MatcherIndex(ScopeCache):
    """One per process. Every query calls `refresh()` first, so writes are matchable at once.

    `persist`, `sample` and `executor`: see ScopeCache. Loads, fits and large transforms run in the
    executor; the event loop itself only swaps finished results in, so everything a query reads
    between two awaits is consistent.
    """

    def __init__(self, persist: bool = True, sample: int = text.FIT_SAMPLE) -> None:
        self.lock = asyncio.Lock()
        self.progress: dict[str, Any] | None = None  # what a warm-up is doing, for pages that wait
        self._warming: asyncio.Task | None = None
        super().__init__(persist, sample)

    def reset(self) -> None:
        super().reset()
        self.outbox = freshness.OutboxCursor()
        self.loaded = False

    # --- keeping fresh -------------------------------------------------------------------------
    async def refresh(self) -> None:
        async with self.lock:
            if not self.loaded or not await self.outbox.valid():
                await self._load_all()
                return
            fresh = await self.outbox.pending()
            if not fresh:
                return
            await self._apply({r["entity_id"] for r in fresh})
            self.outbox.advance(fresh)

    async def _load_all(self) -> None:
        """Reads every live case, then builds the features off the event loop and swaps them in."""
        last = await freshness.latest_event()
        rows = await freshness.live_cases()
        self.progress = {"stage": "loading", "cases": len(rows)}
        recent = await freshness.recent_events(last)
        features, slot_of = await self._offload(build_features, rows)
        self.reset()  # from here to the end nothing awaits: queries see the old index or the new one
        self.features, self.slot_of = features, slot_of
        self.outbox.start(last, recent)
        self.loaded = True
        self.progress = None

    async def _apply(self, case_ids: Iterable[int]) -> None:
        """Reads the changed cases; a large batch (an import) is profiled and transformed off the event
        loop, so queries keep being served from the models as they were until it is swapped in."""
        case_ids = sorted(case_ids)
        rows = await freshness.cases_by_id(case_ids)
        if len(case_ids) <= scope_models.CHEAP_REFIT:
            self.apply_changes(changes(rows, case_ids))
            return
        changed = await self._offload(changes, rows, case_ids)
        added = [e for views in changed.values() for e in views]
        prepared = await self._offload(self._prepare, list(self.scopes.values()), added)
        self.apply_changes(changed, prepared)

    # --- serving queries -------------------------------------------------------------------------
    async def scope_for(self, actor: Actor) -> ScopeModel:
        """The actor's scope model. A fit or a load runs in a worker thread, so the app keeps serving
        other requests meanwhile (the lock holds back changes and other matches until it is done).
        A large model that only drifted (many cases added since its fit), or a reused public model
        with too many extra cases, keeps serving while a refit runs in the background; the next
        query after it finishes adopts it."""
        async with self.lock:
            key = self.scope_key(actor)
            self._adopt(PUBLIC)
            self._adopt(key)
            model = self._ready(key)
            if model is None:
                drifted = self._ready(key, stale_ok=True)
                if drifted is not None and drifted.fitted > scope_models.CHEAP_REFIT:
                    model = drifted
                else:
                    self.progress = {"stage": "fitting", "cases": int(self.features.readable(key).sum())}
                    try:
                        model = await self._offload(self.scope, key)
                    finally:
                        self.progress = None
            if model.stale or self.outgrown(model):
                self._refit_later(key)
            if model.base is not None and model.base.stale:
                self._refit_later(PUBLIC)
            return model

    async def warm(self) -> None:
        """Start-up and after writes (warmup.py): loads the cases, loads or fits the public model and
        lets background refits finish, so that queries never fit in the request that asks."""
        await self.refresh()
        self.progress = self.progress if self.ready(ANONYMOUS) else {"stage": "fitting",
                                                                      "cases": int(self.features.alive.sum())}
        try:
            await self.scope_for(ANONYMOUS)
            while self.refits:
                await asyncio.gather(*self.refits.values(), return_exceptions=True)
                async with self.lock:
                    for key in list(self.refits):
                        self._adopt(key)
        finally:
            self.progress = None

    def ready(self, actor: Actor) -> bool:
        """Whether a query of this actor is answered without loading the cases or fitting a large model:
        the cases are loaded and the scope's own model or the public one is in memory (a small scope
        fits in well under a second)."""
        if not self.loaded:
            return False
        key = self.scope_key(actor)
        if key in self.scopes or PUBLIC in self.scopes:
            return True
        return int(self.features.readable(key).sum()) <= scope_models.CHEAP_REFIT

    async def small(self) -> bool:
        """Whether loading and fitting everything takes well under a second (then a page just waits)."""
        if self.loaded:
            return int(self.features.alive.sum()) <= scope_models.CHEAP_REFIT
        return await CaseRecord.count().where(CaseRecord.deleted_at.is_null()) <= scope_models.CHEAP_REFIT

    def warm_soon(self) -> None:
        """Starts a warm-up in the background unless one is already at work (warmup.py runs them in the app)."""
        if self.lock.locked() or (self._warming is not None and not self._warming.done()):
            return
        self._warming = asyncio.get_running_loop().create_task(self.warm())

    def cached(self, actor: Actor) -> ScopeModel | None:
        """The actor's cached model as it is, even if changes are waiting: for a query that arrives
        while a warm-up holds the lock (`service.match` checks its results against the database)."""
        if not self.loaded:
            return None
        key = self.scope_key(actor)
        return self._ready(key, stale_ok=True)

    def similarities(self, scope: ScopeModel, target: Profile, target_vectors: text.TextVectors | None,
                     weights: dict[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """scoring.similarities over this index's features."""
        return scoring.similarities(self.features, scope, target, target_vectors, weights)

    def set_query(self, facet: str, items: dict[str, float]) -> np.ndarray:
        """scoring.set_query over this index's features."""
        return scoring.set_query(self.features, facet, items)

