"""Query-string filter values checked the same way for every record kind: stripped, blanks as absent, each
bad value named, and all of them refused together in one 400 (never the first one only)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from casebook.domain.errors import InvalidInput, Problem


class FilterValues:
    """The raw filters of one request; `number`, `choice` and `check` collect problems, `valid` raises them."""

    def __init__(self, raw: dict[str, str | None]) -> None:
        self.values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in raw.items()}
        self.problems: list[Problem] = []

    def number(self, key: str, allowed: Collection[int], message: str) -> None:
        """An integer in `allowed`, converted in place."""
        if self.values.get(key) is None:
            return
        try:
            self.values[key] = int(self.values[key])
        except ValueError:
            self.problems.append(Problem(message, field=key))
            return
        if self.values[key] not in allowed:
            self.problems.append(Problem(message, field=key))

    def choice(self, key: str, allowed: Sequence[str]) -> None:
        if self.values.get(key) and self.values[key] not in allowed:
            self.problems.append(Problem(f"must be one of {', '.join(allowed)}", field=key))

    def check(self, key: str, ok: Callable[[str], bool], message: str) -> None:
        if self.values.get(key) and not ok(self.values[key]):
            self.problems.append(Problem(message, field=key))

    def valid(self) -> dict[str, Any]:
        if self.problems:
            raise InvalidInput(self.problems)
        return self.values
