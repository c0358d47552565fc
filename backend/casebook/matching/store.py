"""Fitted scope models on disk, so the first match after a restart loads a model instead of fitting one.

One file per access scope under CASEBOOK_HOME/matcher, holding the text model, the content digests
of the texts it was fitted on, and the vectors of every document it transformed, keyed by digest.
Everything is content-addressed: a stored model is used only when every text it learnt from is
still read by the scope (so a case that left the scope, or another database's cases, can never
shape it), and a stored vector only for the exact text it was computed from (entries.digest).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from casebook.matching.scope_models import ScopeModel
from casebook.matching.scopes import ScopeKey
from casebook.matching.text import TextModel
from casebook.settings import get_settings

FORMAT = 3  # bump when the stored layout or the text model changes (2: words stored as CSC; 3: BM25 words)


@dataclass
class Stored:
    model: TextModel
    fit_digests: frozenset[bytes]
    fitted: int  # documents in the scope when it was fitted
    digests: list[bytes]  # one per row of words / latent
    words: sp.csc_matrix  # the layout scoring reads, so an unchanged corpus loads without a copy
    latent: np.ndarray


def _path(name: str) -> Path:
    return get_settings().home / "matcher" / f"scope-{name}-v{FORMAT}.pkl"


def save(name: str, stored: Stored) -> None:
    """Atomic write (temp file + rename), so a crash never leaves half a model to load."""
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(stored, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)  # a read-only home only costs the next start a refit


def load(name: str) -> Stored | None:
    """The stored model, or None when absent or unreadable (another version of the code wrote it)."""
    path = _path(name)
    if not path.exists():
        return None
    try:
        with path.open("rb") as src:
            stored = pickle.load(src)  # our own file, in the app's data folder
    except Exception:  # any unreadable file just means: fit again
        return None
    return stored if isinstance(stored, Stored) else None


def restore(key: ScopeKey, slots: np.ndarray, texts: list[str], digests: list[bytes]) -> ScopeModel | None:
    """The scope's model on disk, if every text it learnt from is still read by the scope (`texts` and
    `digests`: those of `slots`); stored vectors are reused by digest and only new or edited texts are
    transformed."""
    stored = load(key.name)
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
