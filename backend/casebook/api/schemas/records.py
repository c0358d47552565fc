"""What every record kind (cases, lessons) answers alike: its publishing state and its revision history."""

from __future__ import annotations

from datetime import datetime

from casebook.api.schemas import Shape


class Publication(Shape):
    """The publishing state as the owner sees it (also what a transition answers); `pending`: the working
    copy is not the published one."""

    state: str
    visibility: str
    published_version: int | None
    published_visibility: str | None
    published_at: datetime | None
    review_comment: str | None
    pending: bool


class Revision(Shape):
    """One entry of a record's history; `author` only inside the owner."""

    version: int
    action: str
    visibility: str
    created_at: datetime
    published_at: datetime | None
    author: str | None
