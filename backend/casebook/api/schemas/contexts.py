"""Saved target contexts as the API answers them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from casebook.api.schemas import Shape


class SavedContext(Shape):
    id: int
    tenant: str
    name: str
    context: dict[str, Any]  # a target context, as a match or a plan takes it
    created_by: str | None
    created_at: datetime
    updated_at: datetime


class SavedContextList(Shape):
    items: list[SavedContext]
    total: int
