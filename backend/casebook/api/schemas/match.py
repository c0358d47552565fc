"""Match answers: the ranked cases, each with the facet scores and the reasons behind them."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET, UnsetType

from casebook.api.schemas import Shape


class Agreement(Shape):
    facet: str
    values: Any
    text: str


class Difference(Shape):
    facet: str
    field: str
    template: Any  # what the case records
    target: Any  # what the target has that the case does not
    text: str


class MatchResult(Shape):
    tenant: str
    slug: str
    title: str
    country: str | None
    score: float
    facets: dict[str, float]
    agreements: list[Agreement]
    differences: list[Difference]
    explanation: str


class MatchResults(Shape):
    results: list[MatchResult]
    weights: dict[str, float]
    top: int
    capped: bool
    note: str | UnsetType = UNSET  # when `top` was capped
