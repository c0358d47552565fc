"""Access scopes as the matcher sees them: who reads which view, as a rule per entry and as a mask.

A ScopeKey names what one group of actors reads; every actor who reads the same views shares one
scope model. `ScopeKey.reads` states the read rule for one entry; `readable` is the same rule over
the index's columns at once (the fast numpy scope the queries use; tests/test_property_access.py
checks it against the SQL rule).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from casebook.matching.entries import Entry

AUDIENCE_CODE = {None: 0, "network": 1, "public": 2}


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


def readable(key: ScopeKey, tenant: np.ndarray, owner: np.ndarray, audience: np.ndarray,
             alive: np.ndarray) -> np.ndarray:
    """ScopeKey.reads over columns of entries (tenant, owner view, audience code, live slot)."""
    mine = np.isin(tenant, list(key.tenants)) if key.tenants else np.zeros(tenant.size, dtype=bool)
    outside = audience == AUDIENCE_CODE["public"]
    if key.peers:
        outside |= (audience == AUDIENCE_CODE["network"]) & np.isin(tenant, list(key.peers))
    return alive & np.where(mine, owner, outside)
