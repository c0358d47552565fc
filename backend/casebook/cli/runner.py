"""Runs a service coroutine for a command and turns domain errors into clear messages and exit codes."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

import casebook.db  # noqa: F401  (sets PICCOLO_CONF)
from casebook.domain.errors import CasebookError, InvalidInput

T = TypeVar("T")


async def _closing(coro: Coroutine[Any, Any, T]) -> T:
    """Runs the command, then closes the database's shared connections so the process can exit."""
    from casebook.db.tables import CaseRecord
    try:
        return await coro
    finally:
        close = getattr(CaseRecord._meta.db, "close", None)
        if close is not None:
            await close()


async def sync_index() -> None:
    """Applies pending changes to the search index after a CLI write; an index outage only delays it."""
    from casebook.search import service
    try:
        await service.sync_pending()
    except Exception as exc:  # the outbox keeps the changes; the server or `casebook search sync` applies them
        click.echo(f"note: search index not updated yet ({exc}); run `casebook search sync` later", err=True)


def run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(_closing(coro))
    except InvalidInput as exc:
        click.echo(f"error: {len(exc.problems)} problem(s) found, nothing was changed", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except CasebookError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))
