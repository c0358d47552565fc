"""Recognises unique-constraint violations from either database driver, and integers no column can hold."""

from __future__ import annotations

import sqlite3

import asyncpg


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.exceptions.UniqueViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc)


MAX_INT = 2**31 - 1  # PostgreSQL's INTEGER; a larger id or version cannot exist, and would fail the query


def storable_int(value: int) -> bool:
    """Whether an id or version from a request fits the integer columns (else: not found, or a 400)."""
    return -MAX_INT - 1 <= value <= MAX_INT


def lock_version(expected: int) -> int:
    """The version an optimistic-lock query compares (and counts on from). One no column can hold cannot
    match any row, so it is used as -1 (versions start at 1): a conflict like any stale version, where the
    driver would overflow."""
    return expected if storable_int(expected) else -1
