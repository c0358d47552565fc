"""A scope model (a text model and the vectors of the rows one access scope reads) and the rules that
say when one is stale, when the public model can serve a scope instead, and what a fit learns from.

Text features depend on corpus statistics (IDF, the latent space), so they are fitted only on the
views one scope reads: a tenant's private case, pending edit or redacted field never shapes another
tenant's vocabulary, IDF, latent space, shared terms or explanations. The tuning constants live here
alone (tests and benchmarks patch them on this module).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from casebook.matching import text
from casebook.matching.entries import Entry
from casebook.matching.scopes import PUBLIC, ScopeKey

REFIT_SHARE = 0.25  # refit a scope model once this share of its rows arrived after the fit
REFIT_MIN = 20
CHEAP_REFIT = 200  # scopes this small refit on any addition (well under a second), so new words count at once
REUSE_SHARE = 0.10  # a scope reuses the public model while its extra cases are at most this share of it
REUSE_MAX = 500  # ... and at most this many
MAX_SCOPES = 32


def reusable(public_rows: int, extra_rows: int) -> bool:
    """Whether a scope of the public rows plus `extra_rows` others is well served by the public model:
    a small public scope fits its own model in well under a second, so only a large one is reused."""
    return public_rows > CHEAP_REFIT and extra_rows <= min(REUSE_MAX, REUSE_SHARE * public_rows)


@dataclass
class ScopeModel:
    """A text model and the vectors of the rows of one scope. With a `base` (the public scope model,
    see Reuse in model_cache.py), `model` is the base's and the rows are the base's followed by this
    scope's own extra ones; base rows the scope does not read (its own tenants' published snapshots)
    are masked."""

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
        if self.base is not None:  # the base drifts on its own; outgrowing it: ScopeCache.outgrown
            return False
        return refit_due(self.fitted, self.added)

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


def refit_due(fitted: int, added: int) -> bool:
    """Whether a model fitted on `fitted` rows, with `added` rows transformed in since, is stale."""
    if fitted <= CHEAP_REFIT:
        return added > 0
    return added > max(REFIT_MIN, REFIT_SHARE * fitted)


def arrives(scope: ScopeModel, entry: Entry) -> bool:
    """Whether a new view becomes a row of this scope model (a reused base already holds public views)."""
    return scope.key.reads(entry) and not (scope.base is not None and PUBLIC.reads(entry))


def fit_sample(digests: list[bytes], size: int) -> list[int]:
    """Rows to fit on: the distinct texts with the smallest digests. Content-addressed, so a new case
    changes the sample only if its digest falls inside it, and the same corpus gives the same model."""
    first: dict[bytes, int] = {}
    for i, d in enumerate(digests):
        first.setdefault(d, i)
    return sorted(first[d] for d in sorted(first)[:size])
