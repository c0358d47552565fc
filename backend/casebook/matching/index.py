"""The in-memory matcher index, kept fresh from the outbox, with text models per access scope.

Per case (one *slot* per stored version) it keeps the features that depend on that case alone:
ordinal context codes, M49 codes and one weighted item matrix per set facet. Text features depend
on corpus statistics (IDF, the latent space), so they live in a *scope model* fitted only on the
cases one access scope reads: public cases, plus the non-public cases of the tenants in the scope.
A tenant's private case therefore never shapes another tenant's vocabulary, IDF or latent space.

Freshness: every case write adds an outbox row in the same transaction (services/cases.py). Each
query first reads the outbox rows after the last one applied (a cheap primary-key range read) and
applies them: new or edited cases get a new slot and are transformed into the cached scope models
that may read them; a case that leaves a scope (deleted, or made less visible) drops that scope's
model, which is refitted on its next use, so its statistics go with it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from casebook.db.tables import CaseRecord, Outbox
from casebook.domain.access import Actor
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.matching import geography, text
from casebook.matching.facets import CONTEXT_FIELDS, MIXED, SET_FACETS, UNKNOWN_CONTEXT, Profile, profile

VISIBILITY_CODE = {"private": 0, "network": 1, "public": 2}
LOOKBACK = 500  # outbox ids re-read each time: a transaction may commit a lower id after a higher one
REFIT_SHARE = 0.25  # refit a scope model once this share of its rows arrived after the fit
REFIT_MIN = 20
MAX_SCOPES = 32
GEO_CREDIT = (geography.SAME_COUNTRY, geography.SAME_INTERMEDIATE, geography.SAME_SUB_REGION,
              geography.SAME_REGION)

CASE_COLUMNS = (CaseRecord.id, CaseRecord.tenant, CaseRecord.tenant.slug.as_alias("tenant_slug"),
                CaseRecord.slug, CaseRecord.title, CaseRecord.country, CaseRecord.visibility,
                CaseRecord.version, CaseRecord.data, CaseRecord.deleted_at)


@dataclass
class Entry:
    """One live case version, as the matcher sees it."""

    case_id: int
    tenant: int
    tenant_slug: str
    slug: str
    title: str
    country: str | None
    visibility: str
    version: int
    doc: dict[str, Any]
    profile: Profile


@dataclass(frozen=True)
class ScopeKey:
    """Who reads what beyond public cases: every case of `tenants`, `network` cases of `peers`."""

    tenants: frozenset[int]
    peers: frozenset[int]

    def reads(self, tenant: int, visibility: str) -> bool:
        return visibility == "public" or tenant in self.tenants or (visibility == "network" and tenant in self.peers)


@dataclass
class ScopeModel:
    key: ScopeKey
    model: text.TextModel
    slots: np.ndarray  # slot of each row
    words: sp.csc_matrix
    latent: np.ndarray
    fitted: int
    added: int = 0

    @property
    def stale(self) -> bool:
        return self.added > max(REFIT_MIN, REFIT_SHARE * self.fitted)


def entry_from_row(row: dict[str, Any]) -> Entry:
    doc = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
    return Entry(case_id=row["id"], tenant=row["tenant"], tenant_slug=row["tenant_slug"], slug=row["slug"],
                 title=row["title"], country=row["country"], visibility=row["visibility"],
                 version=row["version"], doc=doc, profile=profile(doc))


def context_codes(context: dict[str, str]) -> np.ndarray:
    return np.array([CONTEXT_SCALES[f].index(context[f]) if f in context else -1 for f in CONTEXT_FIELDS],
                    dtype=np.int8)


@dataclass
class Features:
    """Per-slot arrays; slots are only appended, and dead ones are masked."""

    entries: list[Entry | None] = field(default_factory=list)
    tenant: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    visibility: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    context: np.ndarray = field(default_factory=lambda: np.zeros((0, len(CONTEXT_FIELDS)), dtype=np.int8))
    geo: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.int32))
    sets: dict[str, sp.csr_matrix] = field(default_factory=dict)
    vocab: dict[str, dict[str, int]] = field(default_factory=lambda: {f: {} for f in SET_FACETS})
    places: dict[str, int] = field(default_factory=lambda: {"": 0})

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
        self.tenant = np.concatenate([self.tenant, [e.tenant for e in entries]]).astype(np.int64)
        codes = [VISIBILITY_CODE[e.visibility] for e in entries]
        self.visibility = np.concatenate([self.visibility, codes]).astype(np.int8)
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
        return list(range(start, len(self.entries)))

    def kill(self, slot: int) -> None:
        self.alive[slot] = False
        self.entries[slot] = None

    def readable(self, key: ScopeKey) -> np.ndarray:
        mask = self.visibility == VISIBILITY_CODE["public"]
        if key.tenants:
            mask |= np.isin(self.tenant, list(key.tenants))
        if key.peers:
            mask |= (self.visibility == VISIBILITY_CODE["network"]) & np.isin(self.tenant, list(key.peers))
        return mask & self.alive


class MatcherIndex:
    """One per process. Every query calls `refresh()` first, so writes are matchable at once."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.reset()

    def reset(self) -> None:
        self.features = Features()
        self.slot_of: dict[int, int] = {}  # case id -> live slot
        self.scopes: dict[ScopeKey, ScopeModel] = {}
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
        self.reset()
        last = await Outbox.select(Outbox.id, Outbox.created_at).where(Outbox.entity == "case").order_by(
            Outbox.id, ascending=False).first()
        rows = await CaseRecord.select(*CASE_COLUMNS).where(CaseRecord.deleted_at.is_null()).order_by(CaseRecord.id)
        self.load_entries([entry_from_row(r) for r in rows])
        if last:
            self.cursor, self.cursor_stamp = last["id"], last["created_at"]
            recent = await Outbox.select(Outbox.id).where(
                (Outbox.entity == "case") & (Outbox.id > last["id"] - LOOKBACK))
            self.applied = {r["id"] for r in recent}
        self.loaded = True

    def load_entries(self, entries: list[Entry]) -> None:
        """Bulk load (start-up, benchmarks)."""
        for entry, slot in zip(entries, self.features.append(entries), strict=True):
            self.slot_of[entry.case_id] = slot

    async def _apply(self, case_ids: Iterable[int]) -> None:
        rows = await CaseRecord.select(*CASE_COLUMNS).where(CaseRecord.id.is_in(sorted(case_ids)))
        by_id = {r["id"]: r for r in rows}
        self.apply_changes({cid: (entry_from_row(by_id[cid]) if cid in by_id and by_id[cid]["deleted_at"] is None
                                  else None) for cid in case_ids})

    def apply_changes(self, changes: dict[int, Entry | None]) -> None:
        """Case id -> its new state (None: gone). Keeps cached scope models consistent."""
        added: list[Entry] = []
        for case_id, entry in changes.items():
            slot = self.slot_of.get(case_id)
            old = self.features.entries[slot] if slot is not None else None
            same = old is not None and entry is not None and (old.version, old.visibility) == (entry.version,
                                                                                                entry.visibility)
            if same:
                continue  # already applied
            if old is not None:
                for key in list(self.scopes):
                    keeps = entry is not None and key.reads(entry.tenant, entry.visibility)
                    if key.reads(old.tenant, old.visibility) and not keeps:
                        del self.scopes[key]  # its statistics included a case it may no longer read
                self.features.kill(slot)
                del self.slot_of[case_id]
            if entry is not None:
                added.append(entry)
        if not added:
            return
        slots = self.features.append(added)
        for entry, slot in zip(added, slots, strict=True):
            self.slot_of[entry.case_id] = slot
        for scope in self.scopes.values():
            mine = [(e, s) for e, s in zip(added, slots, strict=True) if scope.key.reads(e.tenant, e.visibility)]
            if mine:
                self._extend(scope, [e for e, _ in mine], np.array([s for _, s in mine]))

    # --- scope models ----------------------------------------------------------------------------
    def scope_key(self, actor: Actor) -> ScopeKey:
        """The actor's tenants and peers, reduced to those whose non-public cases exist, so that every
        actor who reads the same cases shares one model."""
        f = self.features
        live_tenants = f.tenant[f.alive & (f.visibility != VISIBILITY_CODE["public"])]
        network_tenants = f.tenant[f.alive & (f.visibility == VISIBILITY_CODE["network"])]
        owned = frozenset(int(t) for t in np.unique(live_tenants) if int(t) in actor.roles)
        peers = frozenset(int(t) for t in np.unique(network_tenants)
                          if int(t) in actor.network_peers and int(t) not in owned)
        return ScopeKey(owned, peers)

    def scope(self, key: ScopeKey) -> ScopeModel:
        model = self.scopes.get(key)
        readable = self.features.readable(key)
        # Every row of a model is readable by its key (see apply_changes), so equal counts mean equal sets.
        if model is not None and not model.stale and self.features.alive[model.slots].sum() == readable.sum():
            return model
        model = self._fit(key, np.flatnonzero(readable))
        self.scopes[key] = model
        while len(self.scopes) > MAX_SCOPES:
            self.scopes.pop(next(iter(self.scopes)))
        return model

    def _fit(self, key: ScopeKey, slots: np.ndarray) -> ScopeModel:
        texts = [self.features.entries[s].profile.text for s in slots]
        model = text.TextModel(texts)
        vectors = model.transform(texts) if texts else None
        words = vectors.words.tocsc() if vectors else sp.csc_matrix((0, len(model.words.vocabulary_)), dtype=np.float32)
        latent = vectors.latent if vectors else np.zeros((0, 1), dtype=np.float32)
        return ScopeModel(key=key, model=model, slots=slots.astype(np.int64), words=words, latent=latent,
                          fitted=len(slots))

    def _extend(self, scope: ScopeModel, entries: list[Entry], slots: np.ndarray) -> None:
        vectors = scope.model.transform([e.profile.text for e in entries])
        scope.words = sp.vstack([scope.words, vectors.words], format="csc")
        scope.latent = np.vstack([scope.latent, vectors.latent])
        scope.slots = np.concatenate([scope.slots, slots])
        scope.added += len(entries)

    # --- scoring -------------------------------------------------------------------------------
    def similarities(self, scope: ScopeModel, target: Profile, target_vectors: text.TextVectors | None,
                     weights: dict[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(slots, facet -> similarity per slot) over the live rows of the scope."""
        f = self.features
        live = f.alive[scope.slots]
        slots = scope.slots[live]
        sims: dict[str, np.ndarray] = {}
        if weights.get("text") and target_vectors is not None:
            sims["text"] = text.similarity(target_vectors, scope.words, scope.latent)[live]
        if weights.get("context") and target.context:
            sims["context"] = context_similarity(f.context[slots], target.context)
        for facet in SET_FACETS:
            if weights.get(facet) and target.sets[facet]:
                cols, vals = f.set_vector(facet, target.sets[facet], grow=False)
                query = np.zeros(f.sets[facet].shape[1], dtype=np.float32)
                query[cols] = vals
                sims[facet] = (f.sets[facet] @ query)[slots] if query.size else np.zeros(len(slots), np.float32)
        if weights.get("geography") and target.country:
            sims["geography"] = geography_similarity(f.geo[slots], f.geo_codes(target.country, grow=False))
        return slots, sims


def context_similarity(codes: np.ndarray, target: dict[str, str]) -> np.ndarray:
    total = np.zeros(codes.shape[0], dtype=np.float32)
    for name, value in target.items():
        column = codes[:, CONTEXT_FIELDS.index(name)].astype(np.int16)
        scale = CONTEXT_SCALES[name]
        wanted = scale.index(value)
        sim = 1.0 - np.abs(column - wanted) / (len(scale) - 1)
        if name == "setting":
            mixed = scale.index(MIXED)
            sim = np.where((column != wanted) & ((column == mixed) | (wanted == mixed)), 0.5, sim)
        total += np.where(column < 0, UNKNOWN_CONTEXT, sim)
    return total / len(target)


def geography_similarity(codes: np.ndarray, target: np.ndarray) -> np.ndarray:
    out = np.zeros(codes.shape[0], dtype=np.float32)
    for level in range(3, -1, -1):  # coarse to fine: finer agreement overwrites
        if target[level] > 0:
            out = np.where(codes[:, level] == target[level], GEO_CREDIT[level], out)
    return out


INDEX = MatcherIndex()
