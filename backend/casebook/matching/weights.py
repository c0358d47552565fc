"""Facet weights: documented defaults, per-request overrides, validation.

The global similarity is sum(w_f * s_f) / sum(w_f) over the facets the target describes
(a facet the target leaves empty says nothing, so it drops out of the normalisation).

Defaults, and why:
- text 3: the situation in the user's own words carries most of the meaning.
- context 2: conflict, trust, state capacity and power asymmetry decide what can be replicated.
- scenarios 1.5, challenges 1.5: why a partnership was set up and what it had to overcome.
- sectors 1, human_security 1, sdgs 1, partners 1, geography 1: useful, but shared by many cases.
- population_groups 0.75, tools 0.5: tools are the answer more than the question.
"""

from __future__ import annotations

import math
from typing import Any

from casebook.domain.errors import InvalidInput, Problem

DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 3.0,
    "context": 2.0,
    "scenarios": 1.5,
    "challenges": 1.5,
    "sectors": 1.0,
    "human_security": 1.0,
    "sdgs": 1.0,
    "partners": 1.0,
    "geography": 1.0,
    "population_groups": 0.75,
    "tools": 0.5,
}
FACETS = tuple(DEFAULT_WEIGHTS)
MAX_WEIGHT = 100.0


def resolve_weights(overrides: Any = None) -> dict[str, float]:
    """Defaults merged with the request's overrides; every problem is named in one 400."""
    if overrides is None:
        return dict(DEFAULT_WEIGHTS)
    if not isinstance(overrides, dict):
        raise InvalidInput(Problem("must be an object of facet name to weight", field="weights"))
    problems = []
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in overrides.items():
        where = f"weights.{name}"
        if name not in DEFAULT_WEIGHTS:
            problems.append(Problem(f"unknown facet; use one of {', '.join(FACETS)}", field=where))
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(Problem("must be a number", field=where))
        elif value < 0:
            problems.append(Problem("must not be negative", field=where))
        elif value > MAX_WEIGHT:
            problems.append(Problem(f"must be at most {MAX_WEIGHT:g}", field=where))
        else:
            merged[name] = float(value)
    if not problems and not any(merged.values()):
        problems.append(Problem("at least one weight must be above zero", field="weights"))
    if problems:
        raise InvalidInput(problems)
    return merged
