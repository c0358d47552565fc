"""Refuses NUL characters in a request's path and its JSON or form body, on every engine alike: PostgreSQL
cannot store them in text, and no field of ours has a use for them. Query strings are only filters (a value
nothing matches finds nothing), so they are left to the handlers."""

from __future__ import annotations

from litestar import Request

from casebook.domain.errors import InvalidInput, Problem

_JSON_NUL = (b"\x00", b"\\u0000")
_FORM_NUL = (b"\x00", b"%00")


async def refuse_nul(request: Request) -> None:
    """App hook before every handler. Multipart uploads are files, checked by their own parsers."""
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
    where = None
    if b"%00" in raw_path or "\x00" in request.scope["path"]:
        where = "path"
    elif request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.headers.get("content-type", "")
        markers = _JSON_NUL if "json" in content_type else _FORM_NUL if "urlencoded" in content_type else ()
        if markers:
            body = await request.body()
            if any(marker in body for marker in markers):
                where = "body"
    if where:
        raise InvalidInput(Problem("text may not contain NUL (\\u0000) characters", field=where))
