"""The columnar feature store: per slot (one view of a stored case version), the features that depend
on that document alone, in arrays, so that one query scores every candidate without Python loops.

Per slot it keeps the owner, tenant and audience (for the read mask), ordinal context codes, M49
codes and one weighted item matrix per set dimension. Slots are only appended; a slot whose view
changed or went away is masked dead, never reused. Text features depend on corpus statistics, so
they live in the scope models instead (scope_models.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from casebook.matching import geography, scopes
from casebook.matching.context_scale import CONTEXT_FIELDS, context_codes
from casebook.matching.entries import Entry, entries_from_row
from casebook.matching.profile import SET_FACETS
from casebook.matching.scopes import AUDIENCE_CODE, ScopeKey


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
        return scopes.readable(key, self.tenant, self.owner, self.audience, self.alive)


def build_features(rows: list[dict[str, Any]]) -> tuple[Features, dict[int, list[int]]]:
    """The store for every case row, and case id -> its slots (start-up: runs off the event loop)."""
    features, slot_of = Features(), {}
    entries = [e for r in rows for e in entries_from_row(r)]
    for entry, slot in zip(entries, features.append(entries), strict=True):
        slot_of.setdefault(entry.case_id, []).append(slot)
    return features, slot_of
