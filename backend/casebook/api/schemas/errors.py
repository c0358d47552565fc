"""The error answer every API operation may send (see casebook.api.errors)."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET, UnsetType

from casebook.api.schemas import Shape


class ProblemBody(Shape):
    """One thing wrong with the request: where, why, and a stable `code` (`invalid`, `required`, …)."""

    message: str
    code: str
    field: str | None | UnsetType = UNSET
    source: str | None | UnsetType = UNSET
    line: int | UnsetType = UNSET
    file: str | UnsetType = UNSET
    missing: str | UnsetType = UNSET  # a `required` problem: the key `field` lacks


class ErrorBody(Shape):
    """`error` for people, `code` for programs (`not_found`, `stale_version`, `forbidden`, `invalid_input`,
    `invalid_case_file`, …); `problems` on 400, `current` on a stale-version 409."""

    error: str
    status: int
    code: str
    problems: list[ProblemBody] | UnsetType = UNSET
    current: dict[str, Any] | UnsetType = UNSET
