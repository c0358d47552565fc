"""Runs Piccolo's migrations forwards on whichever engine the settings select."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationFailed(RuntimeError):
    pass


async def migrate() -> None:
    """Quiet on success; on failure the error carries Piccolo's own output."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name="casebook", migration_id="all")
    if not result.success:
        raise MigrationFailed(f"{result.message}\n{output.getvalue()}")
