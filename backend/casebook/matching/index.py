"""The in-memory matcher index, kept fresh from the outbox, with text models per access scope.

Per case *view* (one *slot* per view of a stored version) it keeps the features that depend on that
document alone: ordinal context codes, M49 codes and one weighted item matrix per set facet. A case
has up to two views (publishing model): the owner's working copy `data`, and the approved snapshot
`published_data`, redacted, which readers outside the owner see while `published_visibility` is set;
when both are the same document one slot serves both. Text features depend on corpus statistics
(IDF, the latent space), so they live in a *scope model* fitted only on the views one access scope
reads. A tenant's private case, pending edit or redacted field therefore never shapes another
tenant's vocabulary, IDF, latent space, shared terms or explanations.

Cost: a scope model is fitted on a bounded, content-addressed sample of its texts (see text.py) and
kept on disk (store.py), so a restart loads it and transforms only texts it has not seen.

Reuse: almost every organisation and network is its own scope (one private case is enough), and a
fit takes seconds, so a scope that reads the public views plus a few more (`reusable`) is served by
the PUBLIC model: it shares the public rows and only transforms its extra cases. The public model
learnt from public snapshots alone, and transforming never changes a model, so nothing private
reaches another scope; the price is that words found only in the extra cases carry no weight. A
scope with more extra cases is served the same way at once while its own model is fitted in the
background.

Freshness: every case write adds an outbox row in the same transaction (services/cases.py). Each
query first reads the outbox rows after the last one applied (a cheap primary-key range read) and
applies them: new or edited views get a new slot and are transformed into the cached scope models
that may read them; a case that leaves a scope (deleted, withdrawn, narrowed) drops that scope's
model if its text was in the model's fit sample, and the model is refitted on its next use, so its
statistics go with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from casebook.db.tables import CaseRecord, Outbox
from casebook.domain.access import ANONYMOUS, Actor
from casebook.domain.redaction import redact
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.matching import geography, store, text
from casebook.matching.facets import CONTEXT_FIELDS, SET_FACETS, Profile, expanded, profile, scale_closeness

AUDIENCE_CODE = {None: 0, "network": 1, "public": 2}
LOOKBACK = 500  # outbox ids re-read each time: a transaction may commit a lower id after a higher one
REFIT_SHARE = 0.25  # refit a scope model once this share of its rows arrived after the fit
REFIT_MIN = 20
CHEAP_REFIT = 200  # scopes this small refit on any addition (well under a second), so new words count at once
REUSE_SHARE = 0.10  # a scope reuses the public model while its extra cases are at most this share of it
REUSE_MAX = 500  # ... and at most this many
MAX_SCOPES = 32
GEO_CREDIT = (geography.SAME_COUNTRY, geography.SAME_INTERMEDIATE, geography.SAME_SUB_REGION,
              geography.SAME_REGION)

CASE_COLUMNS = (CaseRecord.id, CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("tenant_slug"),
                CaseRecord.slug, CaseRecord.version, CaseRecord.data, CaseRecord.published_version,
                CaseRecord.published_visibility, CaseRecord.published_data, CaseRecord.deleted_at)


@dataclass
class Entry:
    """One view of a live case, as the matcher sees it: the owner's working copy, the redacted
    published snapshot that everyone else reads, or both when they are the same document."""

    case_id: int
    tenant: int
    tenant_slug: str
    slug: str
    doc: dict[str, Any]
    owner: bool = True  # members of the owner tenant read this view
    audience: str | None = None  # who outside the owner reads it: network | public | None
    state: tuple = ()  # what a change must differ in to be applied again
    profile: Profile = field(init=False)
    digest: bytes = field(init=False)  # of the text: content address of its vectors

    def __post_init__(self) -> None:
        self.profile = profile(self.doc)
        self.digest = store.digest(self.profile.text)

    @property
    def title(self) -> str:
        return str(self.doc.get("title") or self.slug)

    @property
    def country(self) -> str | None:
        return self.profile.country


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def entries_from_row(row: dict[str, Any]) -> list[Entry]:
    """The views of a case row (publishing model): the owner reads `data`; others read the approved
    snapshot, redacted, and only while `published_visibility` is network or public."""
    data, snapshot = _loads(row["data"]), _loads(row["published_data"])
    audience = row["published_visibility"] if row["published_visibility"] in ("network", "public") else None
    shown = redact(snapshot) if audience and isinstance(snapshot, dict) else None
    audience = audience if shown is not None else None
    state = (row["version"], row["published_version"], audience)
    base = {"case_id": row["id"], "tenant": row["tenant"], "tenant_slug": row["tenant_slug"], "slug": row["slug"],
            "state": state}
    if shown == data:  # nothing redacted and nothing pending: one view serves every reader
        return [Entry(doc=data, owner=True, audience=audience, **base)]
    views = [Entry(doc=data, owner=True, audience=None, **base)]
    if shown is not None:
        views.append(Entry(doc=shown, owner=False, audience=audience, **base))
    return views


def context_codes(context: dict[str, str]) -> np.ndarray:
    return np.array([CONTEXT_SCALES[f].index(context[f]) if f in context else -1 for f in CONTEXT_FIELDS],
                    dtype=np.int8)


@dataclass(frozen=True)
class ScopeKey:
    """Who reads what: the owner view of every case of `tenants`; for cases of other tenants, the
    published view when public, or when network and the owner is one of `peers`."""

    tenants: frozenset[int]
    peers: frozenset[int]

    def reads(self, entry: Entry) -> bool:
        if entry.tenant in self.tenants:
            return entry.owner
        return entry.audience == "public" or (entry.audience == "network" and entry.tenant in self.peers)

    @property
    def name(self) -> str:
        """A file name for the scope (content checks, not the name, decide whether a stored model fits)."""
        ids = f"{sorted(self.tenants)}|{sorted(self.peers)}"
        return hashlib.blake2b(ids.encode(), digest_size=8).hexdigest()


PUBLIC = ScopeKey(frozenset(), frozenset())  # what anyone reads: its model learns from public snapshots only


def reusable(public_rows: int, extra_rows: int) -> bool:
    """Whether a scope of the public rows plus `extra_rows` others is well served by the public model:
    a small public scope fits its own model in well under a second, so only a large one is reused."""
    return public_rows > CHEAP_REFIT and extra_rows <= min(REUSE_MAX, REUSE_SHARE * public_rows)


@dataclass
class ScopeModel:
    """A text model and the vectors of the rows of one scope. With a `base` (the public scope model,
    see Reuse above), `model` is the base's and the rows are the base's followed by this scope's own
    extra ones; base rows the scope does not read (its own tenants' published snapshots) are masked."""

    key: ScopeKey
    model: text.TextModel
    slots: np.ndarray  # slot of each own row
    words: sp.csc_matrix
    latent: np.ndarray
    fit_digests: frozenset[bytes]  # the texts the model learnt from
    fitted: int  # rows when it was fitted
    added: int = 0
    base: ScopeModel | None = None

    @property
    def stale(self) -> bool:
        if self.base is not None:  # the base drifts on its own; outgrowing it: MatcherIndex.outgrown
            return False
        if self.fitted <= CHEAP_REFIT:
            return self.added > 0
        return self.added > max(REFIT_MIN, REFIT_SHARE * self.fitted)

    def all_slots(self) -> np.ndarray:
        """The slot of every row (base rows first)."""
        return self.slots if self.base is None else np.concatenate([self.base.slots, self.slots])

    def text_similarity(self, query: text.TextVectors) -> np.ndarray:
        own = text.similarity(query, self.words, self.latent)
        return own if self.base is None else np.concatenate([self.base.text_similarity(query), own])

    def word_columns(self, columns: np.ndarray) -> sp.spmatrix:
        """The stored word rows of every row, over `columns` only (a query's words: narrow, cheap)."""
        own = self.words[:, columns]
        return own if self.base is None else sp.vstack([self.base.word_columns(columns), own], format="csr")


def fit_sample(digests: list[bytes], size: int) -> list[int]:
    """Rows to fit on: the distinct texts with the smallest digests. Content-addressed, so a new case
    changes the sample only if its digest falls inside it, and the same corpus gives the same model."""
    first: dict[bytes, int] = {}
    for i, d in enumerate(digests):
        first.setdefault(d, i)
    return sorted(first[d] for d in sorted(first)[:size])


@dataclass
class Features:
    """Per-slot arrays; slots are only appended, and dead ones are masked."""

    entries: list[Entry | None] = field(default_factory=list)
    case_id: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tenant: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    owner: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    audience: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    context: np.ndarray = field(default_factory=lambda: np.zeros((0, len(CONTEXT_FIELDS)), dtype=np.int8))
    geo: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.int32))
    sets: dict[str, sp.csr_matrix] = field(default_factory=dict)
    vocab: dict[str, dict[str, int]] = field(default_factory=lambda: {f: {} for f in SET_FACETS})
    places: dict[str, int] = field(default_factory=lambda: {"": 0})
    tenants: Counter = field(default_factory=Counter)  # tenant -> live slots
    network: Counter = field(default_factory=Counter)  # tenant -> live slots published to its networks

    def __post_init__(self) -> None:
        self.sets = {f: sp.csr_matrix((0, 0), dtype=np.float32) for f in SET_FACETS}

    def geo_codes(self, country: str | None, grow: bool = True) -> np.ndarray:
        out = []
        for code in geography.codes(country):
            if code not in self.places and grow:
                self.places[code] = len(self.places)
            out.append(self.places.get(code, -1) if code else 0)
        return np.array(out, dtype=np.int32)

    def set_vector(self, facet: str, items: dict[str, float], grow: bool) -> tuple[list[int], list[float]]:
        """Column indices and values, divided by the full norm (items unknown to the index still count)."""
        norm = float(np.sqrt(sum(w * w for w in items.values()))) or 1.0
        vocab = self.vocab[facet]
        cols, vals = [], []
        for item, weight in items.items():
            if item not in vocab:
                if not grow:
                    continue
                vocab[item] = len(vocab)
            cols.append(vocab[item])
            vals.append(weight / norm)
        return cols, vals

    def append(self, entries: list[Entry]) -> list[int]:
        start = len(self.entries)
        self.entries.extend(entries)
        self.case_id = np.concatenate([self.case_id, [e.case_id for e in entries]]).astype(np.int64)
        self.tenant = np.concatenate([self.tenant, [e.tenant for e in entries]]).astype(np.int64)
        self.owner = np.concatenate([self.owner, [e.owner for e in entries]]).astype(bool)
        self.audience = np.concatenate([self.audience, [AUDIENCE_CODE[e.audience] for e in entries]]).astype(np.int8)
        self.alive = np.concatenate([self.alive, np.ones(len(entries), dtype=bool)])
        self.context = np.vstack([self.context, *[context_codes(e.profile.context) for e in entries]])
        self.geo = np.vstack([self.geo, *[self.geo_codes(e.profile.country) for e in entries]])
        for facet in SET_FACETS:
            rows, cols, vals = [], [], []
            for i, e in enumerate(entries):
                c, v = self.set_vector(facet, e.profile.sets[facet], grow=True)
                rows.extend([i] * len(c))
                cols.extend(c)
                vals.extend(v)
            width = len(self.vocab[facet])
            block = sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(entries), width))
            old = self.sets[facet]
            old.resize((old.shape[0], width))
            self.sets[facet] = sp.vstack([old, block], format="csr")
        for e in entries:
            self.tenants[e.tenant] += 1
            self.network[e.tenant] += e.audience == "network"
        return list(range(start, len(self.entries)))

    def kill(self, slot: int) -> None:
        entry = self.entries[slot]
        if entry is not None:
            self.tenants[entry.tenant] -= 1
            self.network[entry.tenant] -= entry.audience == "network"
        self.alive[slot] = False
        self.entries[slot] = None

    def readable(self, key: ScopeKey) -> np.ndarray:
        """Vectorised ScopeKey.reads over every slot."""
        mine = np.isin(self.tenant, list(key.tenants)) if key.tenants else np.zeros(self.tenant.size, dtype=bool)
        outside = self.audience == AUDIENCE_CODE["public"]
        if key.peers:
            outside |= (self.audience == AUDIENCE_CODE["network"]) & np.isin(self.tenant, list(key.peers))
        return self.alive & np.where(mine, self.owner, outside)


class MatcherIndex:
    """One per process. Every query calls `refresh()` first, so writes are matchable at once.

    `persist`: keep fitted scope models on disk (store.py) so a restart loads instead of refitting.
    `sample`: how many of a scope's texts a model is fitted on (benchmarks compare sizes).
    `executor`: where loads, fits and large transforms run (the app owns one, see warmup.py; without
    it, the event loop's default pool). The event loop itself only swaps finished results in, so
    everything a query reads between two awaits is consistent.
    """

    def __init__(self, persist: bool = True, sample: int = text.FIT_SAMPLE) -> None:
        self.lock = asyncio.Lock()
        self.persist = persist
        self.sample = sample  # documents a scope model is fitted on
        self.executor: Executor | None = None
        self.progress: dict[str, Any] | None = None  # what a warm-up is doing, for pages that wait
        self._warming: asyncio.Task | None = None
        self.reset()

    async def _offload(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def reset(self) -> None:
        self.features = Features()
        self.slot_of: dict[int, list[int]] = {}  # case id -> its live slots (one per view)
        self.scopes: dict[ScopeKey, ScopeModel] = {}
        self.refits: dict[ScopeKey, asyncio.Task] = {}  # background refits of drifted scope models
        self.cursor: int | None = None  # last outbox id applied
        self.cursor_stamp: Any = None  # its created_at: detects a wiped or rewritten outbox
        self.applied: set[int] = set()
        self.loaded = False

    # --- keeping fresh -------------------------------------------------------------------------
    async def refresh(self) -> None:
        async with self.lock:
            if not self.loaded or not await self._cursor_valid():
                await self._load_all()
                return
            rows = await Outbox.select(Outbox.id, Outbox.entity_id, Outbox.created_at).where(
                (Outbox.entity == "case") & (Outbox.id > self.cursor - LOOKBACK)).order_by(Outbox.id)
            fresh = [r for r in rows if r["id"] not in self.applied]
            if not fresh:
                return
            await self._apply({r["entity_id"] for r in fresh})
            for r in fresh:
                self.applied.add(r["id"])
                if r["id"] >= self.cursor:
                    self.cursor, self.cursor_stamp = r["id"], r["created_at"]
            self.applied = {i for i in self.applied if i > self.cursor - LOOKBACK}

    async def _cursor_valid(self) -> bool:
        if self.cursor is None:
            return await Outbox.count().where(Outbox.entity == "case") == 0
        row = await Outbox.select(Outbox.created_at).where(Outbox.id == self.cursor).first()
        return row is not None and row["created_at"] == self.cursor_stamp

    async def _load_all(self) -> None:
        """Reads every live case, then builds the features off the event loop and swaps them in."""
        last = await Outbox.select(Outbox.id, Outbox.created_at).where(Outbox.entity == "case").order_by(
            Outbox.id, ascending=False).first()
        rows = await CaseRecord.select(*CASE_COLUMNS).where(CaseRecord.deleted_at.is_null()).order_by(CaseRecord.id)
        self.progress = {"stage": "loading", "cases": len(rows)}
        recent = await Outbox.select(Outbox.id).where(
            (Outbox.entity == "case") & (Outbox.id > last["id"] - LOOKBACK)) if last else []
        features, slot_of = await self._offload(_build_features, rows)
        self.reset()  # from here to the end nothing awaits: queries see the old index or the new one
        self.features, self.slot_of = features, slot_of
        if last:
            self.cursor, self.cursor_stamp = last["id"], last["created_at"]
            self.applied = {r["id"] for r in recent}
        self.loaded = True
        self.progress = None

    def load_entries(self, entries: list[Entry]) -> None:
        """Bulk load (start-up, benchmarks)."""
        for entry, slot in zip(entries, self.features.append(entries), strict=True):
            self.slot_of.setdefault(entry.case_id, []).append(slot)

    async def _apply(self, case_ids: Iterable[int]) -> None:
        """Reads the changed cases; a large batch (an import) is profiled and transformed off the event
        loop, so queries keep being served from the models as they were until it is swapped in."""
        case_ids = sorted(case_ids)
        rows = await CaseRecord.select(*CASE_COLUMNS).where(CaseRecord.id.is_in(case_ids))
        if len(case_ids) <= CHEAP_REFIT:
            self.apply_changes(_changes(rows, case_ids))
            return
        changes = await self._offload(_changes, rows, case_ids)
        added = [e for views in changes.values() for e in views]
        prepared = await self._offload(self._prepare, list(self.scopes.values()), added)
        self.apply_changes(changes, prepared)

    def _prepare(self, scopes: list[ScopeModel], added: list[Entry]) -> dict[int, text.TextVectors]:
        """The vectors `apply_changes` would compute for each scope model, computed beforehand."""
        out = {}
        for scope in scopes:
            texts = [e.profile.text for e in added if _arrives(scope, e)]
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
            mine = [(e, s) for e, s in zip(added, slots, strict=True) if _arrives(scope, e)]
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
                if drifted is not None and drifted.fitted > CHEAP_REFIT:
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
        return int(self.features.readable(key).sum()) <= CHEAP_REFIT

    async def small(self) -> bool:
        """Whether loading and fitting everything takes well under a second (then a page just waits)."""
        if self.loaded:
            return int(self.features.alive.sum()) <= CHEAP_REFIT
        return await CaseRecord.count().where(CaseRecord.deleted_at.is_null()) <= CHEAP_REFIT

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
        if key in self.refits:
            return
        slots = np.flatnonzero(self.features.readable(key))
        texts, digests = self._texts(slots)  # a snapshot: the thread never reads the live index
        self.refits[key] = asyncio.get_running_loop().create_task(
            self._offload(self._fit_texts, key, slots, texts, digests))

    def _adopt(self, key: ScopeKey) -> None:
        """Swaps in a finished background refit, if every text it learnt from is still read by the scope
        (content check, as for a stored model), after adding the cases that arrived meanwhile."""
        task = self.refits.get(key)
        if task is None or not task.done():
            return
        del self.refits[key]
        if task.cancelled() or task.exception() is not None:
            return
        model: ScopeModel = task.result()
        readable = np.flatnonzero(self.features.readable(key))
        if not model.fit_digests <= {self.features.entries[s].digest for s in readable}:
            return
        arrived = np.setdiff1d(readable, model.slots)
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
            stored = self._stored(key, slots) if model is None and self.persist else None
            if stored is not None and not stored.stale:
                model = stored
            elif extra is not None and public_rows > CHEAP_REFIT:
                model = self._reuse(key, extra)
            else:
                model = self._fit(key, slots)
        self.scopes[key] = model
        while len(self.scopes) > MAX_SCOPES:  # the public model stays: every reused scope shares it
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

    def _stored(self, key: ScopeKey, slots: np.ndarray) -> ScopeModel | None:
        """The model on disk, if every text it learnt from is still read by this scope; stored vectors
        are reused by digest and only new or edited texts are transformed."""
        stored = store.load(key.name)
        texts, digests = self._texts(slots)
        if stored is None or not stored.fit_digests <= set(digests):
            return None
        row_of = {d: i for i, d in enumerate(stored.digests)}
        picks = np.array([row_of.get(d, -1) for d in digests], dtype=np.int64)
        known, missing = np.flatnonzero(picks >= 0), np.flatnonzero(picks < 0)
        if not missing.size:  # nothing to transform; the very same rows (a restart) are not even copied
            same = picks.size == len(stored.digests) and np.array_equal(picks, np.arange(picks.size))
            return ScopeModel(key=key, model=stored.model, slots=slots.astype(np.int64),
                              words=stored.words if same else stored.words[picks],
                              latent=stored.latent if same else stored.latent[picks],
                              fit_digests=stored.fit_digests, fitted=stored.fitted)
        latent = np.zeros((len(slots), stored.latent.shape[1]), dtype=np.float32)
        latent[known] = stored.latent[picks[known]]
        blocks = [stored.words[picks[known]]]
        if missing.size:
            fresh = stored.model.transform([texts[i] for i in missing])
            latent[missing] = fresh.latent
            blocks.append(fresh.words)
        order = np.argsort(np.concatenate([known, missing]), kind="stable")  # back to the order of `slots`
        words = sp.vstack(blocks, format="csr")[order]
        return ScopeModel(key=key, model=stored.model, slots=slots.astype(np.int64), words=words.tocsc(),
                          latent=latent, fit_digests=stored.fit_digests, fitted=stored.fitted, added=int(missing.size))

    def _extend(self, scope: ScopeModel, entries: list[Entry], slots: np.ndarray,
                vectors: text.TextVectors | None = None) -> None:
        if vectors is None or vectors.latent.shape[0] != len(entries):
            vectors = scope.model.transform([e.profile.text for e in entries], remember=scope.base is None)
        scope.words = sp.vstack([scope.words, vectors.words.tocsc()], format="csc")  # like formats: 3x faster
        scope.latent = np.vstack([scope.latent, vectors.latent])
        scope.slots = np.concatenate([scope.slots, slots])
        scope.added += len(entries)

    # --- scoring -------------------------------------------------------------------------------
    def similarities(self, scope: ScopeModel, target: Profile, target_vectors: text.TextVectors | None,
                     weights: dict[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """(live rows of the scope, facet -> similarity per live row, facet -> share of the facet's weight
        that applies per row: 0 where the case does not record it, see facets.py)."""
        f = self.features
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
            sims["context"], shares["context"] = context_similarity(f.context[slots], target.context)
        for facet in SET_FACETS:
            if weights.get(facet) and target.sets[facet]:
                matrix = f.sets[facet][slots]
                query = self.set_query(facet, target.sets[facet])
                sims[facet] = np.minimum(1.0, matrix @ query) if query.size else np.zeros(len(slots), np.float32)
                shares[facet] = (np.diff(matrix.indptr) > 0).astype(np.float32)
        if weights.get("geography") and target.country:
            codes = f.geo[slots]
            sims["geography"] = geography_similarity(codes, f.geo_codes(target.country, grow=False))
            shares["geography"] = (codes[:, 0] > 0).astype(np.float32)
        return rows, sims, shares

    def set_query(self, facet: str, items: dict[str, float]) -> np.ndarray:
        """The target's items and their taxonomy relatives, over the index's columns, divided by the norm
        of the target's own items (so an exact match still scores 1, a related one its credit)."""
        vocab = self.features.vocab[facet]
        norm = float(np.sqrt(sum(w * w for w in items.values()))) or 1.0
        query = np.zeros(self.features.sets[facet].shape[1], dtype=np.float32)
        for item, weight in expanded(facet, items).items():
            if item in vocab:
                query[vocab[item]] = weight / norm
        return query


def _changes(rows: list[dict[str, Any]], case_ids: list[int]) -> dict[int, list[Entry]]:
    by_id = {r["id"]: r for r in rows}
    return {cid: (entries_from_row(by_id[cid]) if cid in by_id and by_id[cid]["deleted_at"] is None else [])
            for cid in case_ids}


def _arrives(scope: ScopeModel, entry: Entry) -> bool:
    """Whether a new view becomes a row of this scope model (a reused base already holds public views)."""
    return scope.key.reads(entry) and not (scope.base is not None and PUBLIC.reads(entry))


def _build_features(rows: list[dict[str, Any]]) -> tuple[Features, dict[int, list[int]]]:
    features, slot_of = Features(), {}
    entries = [e for r in rows for e in entries_from_row(r)]
    for entry, slot in zip(entries, features.append(entries), strict=True):
        slot_of.setdefault(entry.case_id, []).append(slot)
    return features, slot_of


def context_similarity(codes: np.ndarray, target: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """facets.context_parts for every row: (mean closeness over the fields both record, known share)."""
    total = np.zeros(codes.shape[0], dtype=np.float32)
    known = np.zeros(codes.shape[0], dtype=np.float32)
    for name, value in target.items():
        column = codes[:, CONTEXT_FIELDS.index(name)].astype(np.int16)
        recorded = column >= 0
        total += np.where(recorded, scale_closeness(name, CONTEXT_SCALES[name].index(value), column), 0.0)
        known += recorded
    return total / np.maximum(known, 1), known / len(target)


def geography_similarity(codes: np.ndarray, target: np.ndarray) -> np.ndarray:
    out = np.zeros(codes.shape[0], dtype=np.float32)
    for level in range(3, -1, -1):  # coarse to fine: finer agreement overwrites
        if target[level] > 0:
            out = np.where(codes[:, level] == target[level], GEO_CREDIT[level], out)
    return out

