"""The context-scale rule, defined once: how close a case's ordinal context is to a target's.

The index scores every candidate at once from a matrix of scale positions (`context_rows`); the
one-to-one comparison and the explanations ask the same question of a single case. Both go through
`context_rows`, the scalar path with one row, so the two can never drift apart. The scalar path
evaluates it in float64 (what it always returned), the index in float32 (its arrays' precision).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from casebook.domain.vocabulary import CONTEXT_SCALES

CONTEXT_FIELDS = tuple(CONTEXT_SCALES)
MIXED = "mixed"  # the one non-ordinal setting: half-way to anything else


def scale_closeness(name: str, target: int, case: Any) -> Any:
    """1 - ordinal distance over the scale's span, for one case position or an array of them;
    'mixed' (the one non-ordinal setting) is half-way to anything else."""
    scale = CONTEXT_SCALES[name]
    case = np.asarray(case, dtype=np.int16)
    sim = 1.0 - np.abs(case - target) / (len(scale) - 1)
    if name == "setting":
        mixed = scale.index(MIXED)
        sim = np.where((case != target) & ((case == mixed) | (target == mixed)), 0.5, sim)
    return sim


def context_codes(context: dict[str, str]) -> np.ndarray:
    """A context as scale positions, one per field of CONTEXT_FIELDS; -1 where it records nothing."""
    return np.array([CONTEXT_SCALES[f].index(context[f]) if context.get(f) is not None else -1
                     for f in CONTEXT_FIELDS], dtype=np.int8)


def context_rows(codes: np.ndarray, target: dict[str, str],
                 dtype: type[np.floating] = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `codes` (from context_codes): the mean closeness over the target's fields the row
    records (0 where it records none), and the share of the target's fields it records."""
    total = np.zeros(codes.shape[0], dtype=dtype)
    known = np.zeros(codes.shape[0], dtype=dtype)
    for name, value in target.items():
        column = codes[:, CONTEXT_FIELDS.index(name)].astype(np.int16)
        recorded = column >= 0
        total += np.where(recorded, scale_closeness(name, CONTEXT_SCALES[name].index(value), column), 0.0)
        known += recorded
    return total / np.maximum(known, 1), known / len(target)


def context_parts(target: dict[str, str], case: dict[str, str]) -> tuple[float, float] | None:
    """`context_rows` for one case: (mean closeness over the fields both record, share of the target's
    fields the case records); None when the target describes none, (0, 0) when the case records none.
    Only the target's fields of the case are encoded (a field the target leaves out is never read)."""
    if not target:
        return None
    shown = {name: case[name] for name in target if case.get(name) is not None}
    sims, shares = context_rows(context_codes(shown)[None, :], target, np.float64)
    return float(sims[0]), float(shares[0])


def context_similarity(target: dict[str, str], case: dict[str, str]) -> float | None:
    """Mean ordinal closeness over the fields the target describes that the case records too."""
    parts = context_parts(target, case)
    return None if parts is None or not parts[1] else parts[0]


def context_field_similarity(name: str, target: str, case: str | None) -> float | None:
    """One field: None when the case does not record it (unknown, not half a match)."""
    return None if case is None else context_similarity({name: target}, {name: case})
