"""Who the caller is (/api/v1/me)."""

from __future__ import annotations

from casebook.api.schemas import Shape


class Membership(Shape):
    slug: str | None
    role: str


class Me(Shape):
    authenticated: bool
    email: str | None
    name: str | None
    organisations: list[Membership]
