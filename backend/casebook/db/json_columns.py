"""JSON columns come back from the database as text on SQLite (PostgreSQL's driver decodes them); every reader
decodes them through `json_value` (defined in the domain, whose `visible_data` needs it and may import
nothing of ours), and whole record rows through `decoded`."""

from __future__ import annotations

from typing import Any

from casebook.domain.visibility import json_value

__all__ = ["DOCUMENTS", "Row", "decoded", "json_value"]

Row = dict[str, Any]
DOCUMENTS = ("data", "published_data")
"""The JSON columns of a record row (cases, lessons): the working copy and the published snapshot."""


def decoded(row: Row, columns: tuple[str, ...] = DOCUMENTS) -> Row:
    """A copy of `row` with those of `columns` it holds decoded."""
    return {**row, **{name: json_value(row[name]) for name in columns if name in row}}
