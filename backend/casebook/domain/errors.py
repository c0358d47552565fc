"""Domain errors. The API and the CLI turn each into a clear message; none becomes a 500."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One thing wrong with an input: where (file, line, field) and why."""

    message: str
    field: str | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [p for p in (where, self.field) if p]
        return f"{' '.join(parts)}: {self.message}" if parts else self.message

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class CasebookError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class InvalidInput(CasebookError):
    """Input that fails validation; carries every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)
    status_code = 400

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class NotFound(CasebookError):
    """Also raised for things the actor may not read, so existence never leaks."""

    status_code = 404


class Forbidden(CasebookError):
    """The actor can read the thing but may not do this to it."""

    status_code = 403


class Unauthenticated(CasebookError):
    status_code = 401


class Conflict(CasebookError):
    """A stale write or a duplicate. `current` carries what is stored now, when useful."""

    status_code = 409

    def __init__(self, message: str, current: dict | None = None) -> None:
        super().__init__(message)
        self.current = current


class RateLimited(CasebookError):
    status_code = 429
