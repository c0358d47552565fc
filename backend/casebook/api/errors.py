"""Maps every failure to a clear 4xx answer; a 500 is logged and never shows internals.

Every answer carries a stable machine `code` beside the human `error` (the domain error's code, or one named
here for failures raised by the framework or the database), and each of its `problems` its own code."""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

from litestar import Controller, MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from casebook.api.schemas.errors import ErrorBody
from casebook.domain.errors import CasebookError, Conflict, InvalidInput
from casebook.settings import MAX_FORM_PARTS, MAX_REQUEST_BYTES

log = logging.getLogger("casebook")
MAX_MESSAGE = 300
"""Longest message sent back: a message quoting a huge submitted value is cut, never echoed whole."""
RETRY_AFTER = 2
"""Seconds a client should wait before retrying a write the database could not take (503)."""


_FIELD_IN_MESSAGE = re.compile(r"(missing required|contains unknown) field `([^`]+)`")
_FIELD_CODES = {"missing required": "required", "contains unknown": "unknown_field"}
HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 406: "not_acceptable", 413: "request_too_large",
              415: "unsupported_media_type", 429: "rate_limited"}
"""Codes of the failures the framework raises itself, by status; any other is `http_error`."""


def _named(error: dict[str, Any]) -> dict[str, Any]:
    """Litestar names the whole body `data`; name the field itself, or the missing body, instead. Litestar's
    messages are the only place its validation says what went wrong, so they are read here, once."""
    field, message, code = error.get("key"), str(error.get("message")), "invalid"
    if field == "data":
        named = _FIELD_IN_MESSAGE.search(message)
        if named:
            field, code = named.group(2), _FIELD_CODES[named.group(1)]
        elif message == "'data'":  # no body at all
            field, message, code = "body", "send a JSON object", "required"
    return {"field": field, "message": message, "source": error.get("source"), "code": code}


def _short(message: Any) -> Any:
    if isinstance(message, str) and len(message) > MAX_MESSAGE:
        return f"{message[:MAX_MESSAGE]}… ({len(message)} characters)"
    return message


def error_body(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The status and JSON body for any failure; every message is cut to MAX_MESSAGE characters."""
    status, body = _error_body(exc)
    body.setdefault("code", HTTP_CODES.get(status, "http_error"))
    body["error"] = _short(body["error"])
    for problem in body.get("problems", []):
        problem["message"] = _short(problem.get("message"))
    return status, body


def _body_problem(message: str) -> dict[str, Any]:
    return {"field": "body", "message": message, "source": "body", "code": "invalid"}


def _invalid(problems: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    return 400, {"error": "the request is not valid", "status": 400, "code": "invalid_input", "problems": problems}


def _error_body(exc: Exception) -> tuple[int, dict[str, Any]]:
    if isinstance(exc, RecursionError) and "deserializing" in str(exc):  # msgspec decoding the body
        return _invalid([_body_problem("the JSON is nested too deeply")])
    if _nul_refused(exc):
        return _invalid([_body_problem("text may not contain NUL (\\u0000) characters")])
    if isinstance(exc, CasebookError):
        body: dict[str, Any] = {"error": exc.message, "status": exc.status_code, "code": exc.code}
        if isinstance(exc, InvalidInput):
            body["problems"] = [p.as_dict() for p in exc.problems]
        if isinstance(exc, Conflict) and exc.current is not None:
            body["current"] = exc.current
        return exc.status_code, body
    if isinstance(exc, ValidationException):
        problems = [_named(e) for e in (exc.extra or []) if isinstance(e, dict)]
        if problems and all(p["source"] == "path" for p in problems):  # e.g. an id no column holds
            return 404, {"error": "not found", "status": 404}
        return _invalid(problems)
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
        return 503, {"error": f"the database is busy; retry in {RETRY_AFTER} seconds", "status": 503,
                     "code": "database_busy"}
    log.exception("unhandled error", exc_info=exc)
    return HTTP_500_INTERNAL_SERVER_ERROR, {"error": "internal error", "status": 500, "code": "internal_error"}


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
