"""Domain errors. The API and the CLI turn each into a clear message; none becomes a 500.

Every error and every problem carries a stable machine `code` beside its human message, so callers (the
API's clients, the pages, the CLI) branch on the code and never on the wording, which may change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    """One thing wrong with an input: where (file, line, field), why, and its `code`.

    Codes: `invalid` (the default), `required` (a key is absent: `missing` names it when `field` is the
    object lacking it), `unknown_field`, `slug_exists` (an import would overwrite a record)."""

    message: str
    field: str | None = None
    file: str | None = None
    line: int | None = None
    code: str = "invalid"
    missing: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [p for p in (where, self.field) if p]
        return f"{' '.join(parts)}: {self.message}" if parts else self.message

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class CasebookError(Exception):
    """`code`: the class's stable machine code, or a narrower one given where the error is raised
    (`Conflict(..., code="stale_version")`)."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


@dataclass
class InvalidInput(CasebookError):
    """Input that fails validation; carries every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)
    status_code = 400
    code = "invalid_input"

    def __init__(self, problems: list[Problem] | Problem | str, *, code: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems), code=code)


class NotFound(CasebookError):
    """Also raised for things the actor may not read, so existence never leaks."""

    status_code = 404
    code = "not_found"


class Forbidden(CasebookError):
    """The actor can read the thing but may not do this to it."""

    status_code = 403
    code = "forbidden"


class Unauthenticated(CasebookError):
    status_code = 401
    code = "unauthenticated"


class Conflict(CasebookError):
    """A stale write or a duplicate. `current` carries what is stored now, when useful. Codes:
    `stale_version`, `already_exists`, `invalid_transition`, or `conflict` for any other state."""

    status_code = 409
    code = "conflict"

    def __init__(self, message: str, current: dict[str, Any] | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.current = current


class RateLimited(CasebookError):
    status_code = 429
    code = "rate_limited"
