"""Where each handler argument comes from, in Litestar 3's explicit style, named once for the API and the pages.

Litestar 2.25 still infers dependencies, path/query parameters and bodies from bare types but warns that
Litestar 3 will not; these aliases keep the handler signatures short while saying it explicitly.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, PathParameter, QueryParameter, URLEncodedBody

from casebook.domain.access import Actor
from casebook.domain.numbers import MAX_ID
from casebook.runtime import Runtime

ActorDep = NamedDependency[Actor]
"""The caller, from the router's `actor` dependency (bearer token for the API, session for the pages)."""

RuntimeDep = NamedDependency[Runtime]
"""The app's runtime (casebook.runtime), from the app's `runtime` dependency: its search backend, matcher, jobs."""

PathStr = FromPath[str]
PathInt = Annotated[int, PathParameter(ge=0, le=MAX_ID)]
"""An id or version in the path: one no column can hold answers 404 (PostgreSQL integers are 32-bit)."""
QueryStr = FromQuery[str]
OptQueryStr = FromQuery[str | None]

Page = Annotated[int, QueryParameter(ge=1, le=100000, description="Page number, from 1")]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match")]
FormData = URLEncodedBody[dict[str, Any]]
"""A plain HTML form post, as field name to value."""
