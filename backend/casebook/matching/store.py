"""Fitted scope models on disk, so the first match after a restart loads a model instead of fitting one.

One file per access scope under CASEBOOK_HOME/matcher, holding the text model, the content digests
of the texts it was fitted on, and the vectors of every document it transformed, keyed by digest.
Everything is content-addressed: a stored model is used only when every text it learnt from is
still read by the scope (so a case that left the scope, or another database's cases, can never
shape it), and a stored vector only for the exact text it was computed from.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

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


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


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
