"""The `import` and `list` commands every record kind has, written once (see casebook.services.records)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import click

from casebook.cli.runner import echo_json, run, sync_index
from casebook.domain.vocabulary import VISIBILITIES

Importer = Callable[[Any, str, list[Path], str, bool], Awaitable[dict[str, int]]]


async def operator_for(tenant: str) -> object:
    """The system actor of one tenant: the operator, who publishes network and public records at once."""
    from casebook.services.actors import system_actor
    from casebook.services.tenants import get_tenant
    return system_actor((await get_tenant(tenant))["id"])


def add_import(group: click.Group, noun: str, importer: Callable[[], Importer], help_text: str) -> None:
    """`<group> import PATH… --tenant SLUG [--visibility …] [--replace]`, all or nothing."""
    @group.command("import", help=help_text)
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
    @click.option("--tenant", required=True, help="Slug of the owner organisation.")
    @click.option("--visibility", type=click.Choice(VISIBILITIES), default="private", show_default=True)
    @click.option("--replace", is_flag=True, help=f"Update {noun}s whose slug exists (as a new revision).")
    def import_(paths: tuple[Path, ...], tenant: str, visibility: str, replace: bool) -> None:
        async def go() -> dict[str, int]:
            result = await importer()(await operator_for(tenant), tenant, list(paths), visibility, replace)
            await sync_index()
            return result
        result = run(go())
        click.echo(f"Imported into {tenant}: {result['created']} created, {result['updated']} updated, "
                   f"{result['unchanged']} unchanged.")


def add_list(group: click.Group, noun: str, kind: Callable[[], Any], filters: Callable[[str | None], Any],
             line: Callable[[dict[str, Any]], str]) -> None:
    """`<group> list [--tenant SLUG] [--json]`: every record, read as a viewer of every tenant."""
    @group.command("list", help=f"List {noun}s (all tenants, or one).")
    @click.option("--tenant", default=None)
    @click.option("--json", "as_json", is_flag=True)
    def list_(tenant: str | None, as_json: bool) -> None:
        from casebook.services import records
        from casebook.services.actors import reader_of_everything

        async def go() -> list[dict[str, Any]]:
            operator = await reader_of_everything()
            rows, _ = await records.select_rows(kind(), operator, filters(tenant))
            return await kind().present(operator, rows, False)
        items = run(go())
        if as_json:
            echo_json(items)
            return
        for item in items:
            click.echo(line(item))
        click.echo(f"{len(items)} {noun}(s)")
