"""Maps every failure to a clear 4xx answer; a 500 is logged and never shows internals."""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any, TypedDict

from litestar import Controller, MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from casebook.domain.errors import CasebookError, Conflict, InvalidInput
from casebook.settings import MAX_FORM_PARTS, MAX_REQUEST_BYTES

log = logging.getLogger("casebook")
MAX_MESSAGE = 300
"""Longest message sent back: a message quoting a huge submitted value is cut, never echoed whole."""
RETRY_AFTER = 2
"""Seconds a client should wait before retrying a write the database could not take (503)."""


_FIELD_IN_MESSAGE = re.compile(r"(?:missing required|contains unknown) field `([^`]+)`")


def _named(error: dict[str, Any]) -> dict[str, Any]:
    """Litestar names the whole body `data`; name the field itself, or the missing body, instead."""
    field, message = error.get("key"), str(error.get("message"))
    if field == "data":
        named = _FIELD_IN_MESSAGE.search(message)
        if named:
            field = named.group(1)
        elif message == "'data'":  # no body at all
            field, message = "body", "send a JSON object"
    return {"field": field, "message": message, "source": error.get("source")}


def _short(message: Any) -> Any:
    if isinstance(message, str) and len(message) > MAX_MESSAGE:
        return f"{message[:MAX_MESSAGE]}… ({len(message)} characters)"
    return message


def error_body(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The status and JSON body for any failure; every message is cut to MAX_MESSAGE characters."""
    status, body = _error_body(exc)
    body["error"] = _short(body["error"])
    for problem in body.get("problems", []):
        problem["message"] = _short(problem.get("message"))
    return status, body


def _error_body(exc: Exception) -> tuple[int, dict[str, Any]]:
    if isinstance(exc, RecursionError) and "deserializing" in str(exc):  # msgspec decoding the body
        problem = {"field": "body", "message": "the JSON is nested too deeply", "source": "body"}
        return 400, {"error": "the request is not valid", "status": 400, "problems": [problem]}
    if _nul_refused(exc):
        problem = {"field": "body", "message": "text may not contain NUL (\\u0000) characters", "source": "body"}
        return 400, {"error": "the request is not valid", "status": 400, "problems": [problem]}
    if isinstance(exc, CasebookError):
        body: dict[str, Any] = {"error": exc.message, "status": exc.status_code}
        if isinstance(exc, InvalidInput):
            body["problems"] = [p.as_dict() for p in exc.problems]
        if isinstance(exc, Conflict) and exc.current is not None:
            body["current"] = exc.current
        return exc.status_code, body
    if isinstance(exc, ValidationException):
        problems = [_named(e) for e in (exc.extra or []) if isinstance(e, dict)]
        if problems and all(p["source"] == "path" for p in problems):  # e.g. an id no column holds
            return 404, {"error": "not found", "status": 404}
        return 400, {"error": "the request is not valid", "status": 400, "problems": problems}
    if isinstance(exc, NotAuthorizedException):
        return 401, {"error": exc.detail, "status": 401}
    if isinstance(exc, HTTPException):
        status = exc.status_code
        message = "not found" if status == 404 else exc.detail
        if status == 413 or message == "Request Entity Too Large":
            message = (f"the request is too large: at most {MAX_REQUEST_BYTES // 1_000_000} MB and "
                       f"{MAX_FORM_PARTS} files and fields per request")
        return status, {"error": message, "status": status}
    if _database_busy(exc):
        log.warning("database busy: %s", exc)
        return 503, {"error": f"the database is busy; retry in {RETRY_AFTER} seconds", "status": 503}
    log.exception("unhandled error", exc_info=exc)
    return HTTP_500_INTERNAL_SERVER_ERROR, {"error": "internal error", "status": 500}


def _database_busy(exc: Exception) -> bool:
    """SQLite's lock stayed taken past the busy timeout: nothing was written, the client may retry."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _nul_refused(exc: Exception) -> bool:
    """PostgreSQL refuses NUL characters in text and JSON; the transaction rolled back, nothing was written."""
    return type(exc).__name__ in ("CharacterNotInRepertoireError", "UntranslatableCharacterError") and (
        "0x00" in str(exc) or "\\u0000" in str(exc))


def error_headers(status: int, exc: Exception | None = None) -> dict[str, str] | None:
    """WWW-Authenticate on 401, Retry-After on 503, and the headers an HTTP error carries (405: Allow)."""
    if isinstance(exc, HTTPException) and exc.headers:
        return dict(exc.headers)
    if status == 401:
        return {"WWW-Authenticate": "Bearer"}
    if status == 503:
        return {"Retry-After": str(RETRY_AFTER)}
    return None


def json_error(request: Request, exc: Exception) -> Response:
    status, body = error_body(exc)
    headers = error_headers(status, exc)
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


class ProblemBody(TypedDict, total=False):
    field: str | None
    message: str
    source: str | None
    line: int | None
    file: str | None


class _ErrorRequired(TypedDict):
    error: str
    status: int


class ErrorBody(_ErrorRequired, total=False):
    """What every error answer of the API carries: `problems` on 400, `current` on a stale-version 409."""

    problems: list[ProblemBody]
    current: dict[str, Any]


ERROR_RESPONSES = {
    status: ResponseSpec(data_container=ErrorBody, description=description, generate_examples=False)
    for status, description in {
        400: "The request is not valid; `problems` names each field",
        401: "The bearer token is missing, unknown or revoked",
        403: "The caller may read this but not do this",
        404: "Not found, or not readable by the caller (the two look the same)",
        409: "A conflict: a stale version (`current` holds the stored one) or a state that forbids the change",
        503: "The database is busy; retry after the Retry-After header's seconds",
    }.items()
}


def document_errors(handlers: list[Any]) -> list[Any]:
    """Declares the error answers on every API operation, so the OpenAPI document says what the API sends."""
    for item in handlers:
        found = [v for v in vars(item).values() if isinstance(v, HTTPRouteHandler)] if (
            isinstance(item, type) and issubclass(item, Controller)) else [item]
        for handler in found:
            handler.responses = {**ERROR_RESPONSES, **(handler.responses or {})}
    return handlers
