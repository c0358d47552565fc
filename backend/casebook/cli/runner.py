"""Runs a service coroutine for a command inside a runtime (casebook.runtime, built from the environment
as the app builds its own), and turns domain errors into clear messages and exit codes."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

from casebook import active
from casebook.domain.errors import CasebookError, InvalidInput

T = TypeVar("T")


async def _in_runtime(coro: Coroutine[Any, Any, T]) -> T:
    """Runs the command in a runtime of its own, then closes it (workers, the database's connections) so
    the process can exit. No connection pool: a command makes few queries."""
    from casebook.runtime import Runtime
    try:
        runtime = Runtime.build()
    except BaseException:
        coro.close()
        raise
    async with runtime.running(pool=False):
        return await coro


def current_runtime() -> Any:
    """The running command's runtime (casebook.runtime.Runtime): its search backend and matcher."""
    return active.require()


async def sync_index() -> None:
    """Applies pending changes to the search index after a CLI write; an index outage only delays it."""
    from casebook.services import search as service
    try:
        await service.sync_pending(current_runtime().search)
    except Exception as exc:  # the outbox keeps the changes; the server or `casebook search sync` applies them
        click.echo(f"note: search index not updated yet ({exc}); run `casebook search sync` later", err=True)


async def ensure_index() -> None:
    """At start-up: apply pending changes, then rebuild if the index still disagrees with the database
    (a new index format, a lost index folder). Cheap when the index is already right."""
    from casebook.services import search as service
    await sync_index()
    backend = current_runtime().search
    try:
        report = await service.check_drift(backend)
        if not report["ok"] and not report["pending"]:
            click.echo(f"Rebuilding the search index ({len(report['missing'])} missing, "
                       f"{len(report['stale'])} stale, {len(report['extra'])} extra)...")
            await service.reindex(backend)
    except Exception as exc:  # search can catch up later; serving cases must not wait for it
        click.echo(f"note: search index check failed ({exc}); run `casebook search reindex`", err=True)


def run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(_in_runtime(coro))
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
