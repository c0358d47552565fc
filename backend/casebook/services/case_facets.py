"""The list-filter facets of a case (see casebook.services.list_facets, which holds the mechanism)."""

from __future__ import annotations

from typing import Any

from casebook.services.list_facets import CASES, PUBLISHED

__all__ = ["PUBLISHED", "facet_filter", "facet_rows", "sync"]


def facet_rows(case_id: int, data: dict[str, Any], published_data: dict[str, Any] | None, version: int,
               published_version: int | None) -> list[dict[str, Any]]:
    """The facet rows of a case (column -> value): its working copy's, plus its snapshot's while that differs."""
    return CASES.rows(case_id, data, published_data, version, published_version)


async def sync(case_id: int) -> None:
    await CASES.sync(case_id)


def facet_filter(facet: str, value: str, owned: list[int], working: Any = None) -> Any:
    return CASES.filter(facet, value, owned, working)
