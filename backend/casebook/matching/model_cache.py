"""The per-scope model cache: the feature store and the scope models fitted, loaded or reused over
it, kept consistent with every change the index applies.

Cost: a scope model is fitted on a bounded, content-addressed sample of its texts (text.py,
`scope_models.fit_sample`) and kept on disk (store.py), so a restart loads it and transforms only
texts it has not seen.

Reuse: almost every organisation and network is its own scope (one private case is enough), and a
fit takes seconds, so a scope that reads the public views plus a few more (`scope_models.reusable`)
is served by the PUBLIC model: it shares the public rows and only transforms its extra cases. The
public model learnt from public snapshots alone, and transforming never changes a model, so nothing
private reaches another scope; the price is that words found only in the extra cases carry no
weight. A scope with more extra cases is served the same way at once while its own model is fitted
in the background.

Changes: new or edited views get a new slot and are transformed into the cached scope models that
may read them; a case that leaves a scope (deleted, withdrawn, narrowed) drops that scope's model if
its text was in the model's fit sample, and the model is refitted on its next use, so its
statistics go with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import numpy as np
import scipy.sparse as sp

from casebook.domain.access import Actor
from casebook.matching import scope_models, store, text
from casebook.matching.entries import Entry
from casebook.matching.features import Features
from casebook.matching.scope_models import ScopeModel, arrives, fit_sample, reusable
from casebook.matching.scopes import PUBLIC, ScopeKey


class ScopeCache:
    """The features of every live view and the cached scope models (MatcherIndex adds freshness).

    `persist`: keep fitted scope models on disk (store.py) so a restart loads instead of refitting.
    `sample`: how many of a scope's texts a model is fitted on (benchmarks compare sizes).
    `executor`: where loads, fits and large transforms run (the app owns one, see warmup.py; without
    it, the event loop's default pool).
    """

    def __init__(self, persist: bool = True, sample: int = text.FIT_SAMPLE) -> None:
        self.persist = persist
        self.sample = sample  # documents a scope model is fitted on
        self.executor: Executor | None = None
        self.reset()

    async def _offload(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def reset(self) -> None:
        self.features = Features()
        self.slot_of: dict[int, list[int]] = {}  # case id -> its live slots (one per view)
        self.scopes: dict[ScopeKey, ScopeModel] = {}
        self.refits: dict[ScopeKey, asyncio.Task] = {}  # background refits of drifted scope models

    # --- applying changes ------------------------------------------------------------------------
    def load_entries(self, entries: list[Entry]) -> None:
        """Bulk load (start-up, benchmarks)."""
        for entry, slot in zip(entries, self.features.append(entries), strict=True):
            self.slot_of.setdefault(entry.case_id, []).append(slot)

    def _prepare(self, scopes: list[ScopeModel], added: list[Entry]) -> dict[int, text.TextVectors]:
        """The vectors `apply_changes` would compute for each scope model, computed beforehand."""
        out = {}
        for scope in scopes:
            texts = [e.profile.text for e in added if arrives(scope, e)]
            if texts:
                out[id(scope)] = scope.model.transform(texts, remember=scope.base is None)
        return out

    def apply_changes(self, changes: dict[int, list[Entry]],
                      prepared: dict[int, text.TextVectors] | None = None) -> None:
        """Case id -> its views now (empty: gone). Keeps cached scope models consistent: a model whose
        fit sample held a text of a case its scope no longer reads is dropped (refitted on next use),
        so statistics never outlive the access they came from. `prepared`: vectors from `_prepare`."""
        added: list[Entry] = []
        for case_id, views in changes.items():
            old = [e for e in (self.features.entries[s] for s in self.slot_of.get(case_id, [])) if e is not None]
            if old and views and [e.state for e in old] == [e.state for e in views]:
                continue  # already applied
            for key in list(self.scopes):
                lost = [e for e in old if key.reads(e)] and not any(key.reads(e) for e in views)
                if lost and any(e.digest in self.scopes[key].fit_digests for e in old):
                    del self.scopes[key]
            for slot in self.slot_of.pop(case_id, []):
                self.features.kill(slot)
            added.extend(views)
        if not added:
            return
        slots = self.features.append(added)
        for entry, slot in zip(added, slots, strict=True):
            self.slot_of.setdefault(entry.case_id, []).append(slot)
        for scope in self.scopes.values():
            mine = [(e, s) for e, s in zip(added, slots, strict=True) if arrives(scope, e)]
            if mine:
                vectors = (prepared or {}).get(id(scope))
                self._extend(scope, [e for e, _ in mine], np.array([s for _, s in mine]), vectors)

    # --- scope models ----------------------------------------------------------------------------
    def scope_key(self, actor: Actor) -> ScopeKey:
        """The actor's tenants and peers, reduced to those with live cases, so that every actor who
        reads the same views shares one model."""
        f = self.features
        owned = frozenset(t for t in actor.roles if f.tenants[t] > 0)
        peers = frozenset(t for t in actor.network_peers if f.network[t] > 0 and t not in owned)
        return ScopeKey(owned, peers)

    def _ready(self, key: ScopeKey, stale_ok: bool = False) -> ScopeModel | None:
        """The cached model, if it covers exactly what the scope reads. Every own row of a model is
        readable by its key (see apply_changes), so equal live counts mean equal sets; a reused base
        must still be the current public model, whose rows the scope reads but for masked ones."""
        model = self.scopes.get(key)
        if model is None or (model.stale and not stale_ok):
            return None
        if model.base is None:
            return model if self.features.alive[model.slots].sum() == self.features.readable(key).sum() else None
        if self.scopes.get(PUBLIC) is not model.base:
            return None
        readable = self.features.readable(key)
        return model if readable[model.all_slots()].sum() == readable.sum() else None

    def outgrown(self, model: ScopeModel) -> bool:
        """A reused public model whose scope now has too many live extra cases for it (edits leave dead
        rows behind, so live ones are counted): the scope's own model is then fitted."""
        alive = self.features.alive
        return model.base is not None and not reusable(int(alive[model.base.slots].sum()),
                                                       int(alive[model.slots].sum()))

    def _refit_later(self, key: ScopeKey) -> None:
        """Starts the scope's background refit, unless one is running: that one then covers what changed
        since it began (`_refit`)."""
        if key not in self.refits:
            self.refits[key] = asyncio.get_running_loop().create_task(self._refit(key))

    async def _refit(self, key: ScopeKey) -> ScopeModel:
        """Fits the scope in a worker thread from a snapshot of its texts (the thread never reads the live
        index), and again while the cases that changed during a fit leave its result stale or unadoptable.
        A refit asked for while one runs is therefore never lost: without this, the next query adopted a
        model that never learnt the change (or dropped it) and only then asked again."""
        while True:
            slots = np.flatnonzero(self.features.readable(key))
            texts, digests = self._texts(slots)
            model: ScopeModel = await self._offload(self._fit_texts, key, slots, texts, digests)
            if self.refits.get(key) is not asyncio.current_task():  # the index was reset meanwhile
                return model
            arrived = self._arrived(key, model)
            if arrived is not None and not scope_models.refit_due(model.fitted, arrived.size):
                return model

    def _arrived(self, key: ScopeKey, model: ScopeModel) -> np.ndarray | None:
        """The slots the scope reads that a refitted model lacks (cases that arrived since its snapshot), or
        None if a text it learnt from is no longer read by the scope (content check, as for a stored model)."""
        readable = np.flatnonzero(self.features.readable(key))
        if not model.fit_digests <= {self.features.entries[s].digest for s in readable}:
            return None
        return np.setdiff1d(readable, model.slots)

    def _adopt(self, key: ScopeKey) -> None:
        """Swaps in a finished background refit, if every text it learnt from is still read by the scope,
        after adding the cases that arrived meanwhile."""
        task = self.refits.get(key)
        if task is None or not task.done():
            return
        del self.refits[key]
        if task.cancelled() or task.exception() is not None:
            return
        model: ScopeModel = task.result()
        arrived = self._arrived(key, model)
        if arrived is None:
            return
        if arrived.size:
            self._extend(model, [self.features.entries[s] for s in arrived], arrived)
        self.scopes[key] = model

    def scope(self, key: ScopeKey) -> ScopeModel:
        """The scope's model, the quickest way: cached; the public model reused (few extra cases);
        its own stored model; the public model reused (many: `scope_for` refits in the background);
        its own fitted now. Only the public model and small scopes are ever fitted here."""
        model = self._ready(key)
        if model is not None:
            return model
        readable = self.features.readable(key)
        slots = np.flatnonzero(readable)
        extra = public_rows = None
        if key != PUBLIC:
            public = self.features.readable(PUBLIC)
            extra, public_rows = np.flatnonzero(readable & ~public), int(public.sum())
        model = self.scopes.get(key)
        if extra is not None and reusable(public_rows, extra.size):
            model = self._reuse(key, extra)
        else:
            stored = store.restore(key, slots, *self._texts(slots)) if model is None and self.persist else None
            if stored is not None and not stored.stale:
                model = stored
            elif extra is not None and public_rows > scope_models.CHEAP_REFIT:
                model = self._reuse(key, extra)
            else:
                model = self._fit(key, slots)
        self.scopes[key] = model
        while len(self.scopes) > scope_models.MAX_SCOPES:  # the public model stays: every reused scope shares it
            self.scopes.pop(next(k for k in self.scopes if k != PUBLIC))
        return model

    def _reuse(self, key: ScopeKey, extra: np.ndarray) -> ScopeModel:
        """The scope served by the public model: its rows are shared, the extra ones transformed without
        touching the model (see Reuse above). A drifted public model still serves (refitted apart)."""
        base = self._ready(PUBLIC, stale_ok=True) or self.scope(PUBLIC)
        texts = [self.features.entries[s].profile.text for s in extra]
        vectors = base.model.transform(texts, remember=False) if texts else None
        words = vectors.words.tocsc() if vectors else sp.csc_matrix((0, base.words.shape[1]), dtype=np.float32)
        latent = vectors.latent if vectors else np.zeros((0, base.latent.shape[1]), dtype=np.float32)
        return ScopeModel(key=key, model=base.model, slots=extra.astype(np.int64), words=words, latent=latent,
                          fit_digests=base.fit_digests, fitted=base.fitted, added=int(extra.size), base=base)

    def entry_in_scope(self, key: ScopeKey, case_id: int) -> Entry | None:
        """The view of a case that this scope reads (what a 'match like this case' query starts from)."""
        views = [self.features.entries[s] for s in self.slot_of.get(case_id, [])]
        return next((e for e in views if e is not None and key.reads(e)), None)

    def _texts(self, slots: np.ndarray) -> tuple[list[str], list[bytes]]:
        entries = [self.features.entries[s] for s in slots]
        return [e.profile.text for e in entries], [e.digest for e in entries]

    def _fit(self, key: ScopeKey, slots: np.ndarray) -> ScopeModel:
        return self._fit_texts(key, slots, *self._texts(slots))

    def _fit_texts(self, key: ScopeKey, slots: np.ndarray, texts: list[str], digests: list[bytes]) -> ScopeModel:
        sample = fit_sample(digests, self.sample)
        model = text.TextModel([texts[i] for i in sample])  # learns from the sample only
        vectors = model.transform(texts) if texts else None
        words = vectors.words.tocsc() if vectors else sp.csc_matrix((0, len(model.words.vocabulary_)),
                                                                    dtype=np.float32)
        latent = vectors.latent if vectors else np.zeros((0, 1), dtype=np.float32)
        del vectors  # its row-major copy of the words: the largest array of a fit
        fit_digests = frozenset(digests[i] for i in sample)
        if self.persist:
            store.save(key.name, store.Stored(model, fit_digests, len(slots), digests, words, latent))
        return ScopeModel(key=key, model=model, slots=slots.astype(np.int64), words=words, latent=latent,
                          fit_digests=fit_digests, fitted=len(slots))

    def _extend(self, scope: ScopeModel, entries: list[Entry], slots: np.ndarray,
                vectors: text.TextVectors | None = None) -> None:
        if vectors is None or vectors.latent.shape[0] != len(entries):
            vectors = scope.model.transform([e.profile.text for e in entries], remember=scope.base is None)
        scope.words = sp.vstack([scope.words, vectors.words.tocsc()], format="csc")  # like formats: 3x faster
        scope.latent = np.vstack([scope.latent, vectors.latent])
        scope.slots = np.concatenate([scope.slots, slots])
        scope.added += len(entries)
