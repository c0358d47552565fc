"""`casebook import un-registry FILE --tenant SLUG`: other registries' records as cases, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.runner import run
from casebook.domain.vocabulary import VISIBILITIES


@click.group("import", help="Import records from other registries as cases.")
def import_group() -> None:
    pass


@import_group.command("un-registry", help="Import the UN Partnerships for SDGs registry (JSON lines).")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", required=True, help="Slug of the owner organisation.")
@click.option("--visibility", type=click.Choice(VISIBILITIES), default="private", show_default=True)
@click.option("--replace", is_flag=True, help="Update cases imported before (as new revisions).")
def un_registry(path: Path, tenant: str, visibility: str, replace: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from casebook.domain.errors import InvalidInput
    from casebook.importers.un_registry import convert
    from casebook.search import service
    from casebook.search.interface import SearchUnavailable
    from casebook.services import library
    from casebook.services.actors import system_actor
    from casebook.services.clock import now
    from casebook.services.tenants import get_tenant

    console = Console(stderr=True)
    total = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())

    async def go() -> tuple[dict, str]:
        operator = system_actor((await get_tenant(tenant))["id"])
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("Reading and validating", total=total)
            documents, problems = convert(path, now().year, lambda: progress.advance(task))
            if problems:
                raise InvalidInput(problems)
            writing = progress.add_task(f"Writing {len(documents)} cases (one transaction)", total=None)
            result = await library.import_documents(operator, tenant, documents, visibility, replace)
            progress.update(writing, total=1, completed=1)
            indexing = progress.add_task("Updating the search index", total=None)
            try:
                applied = await service.sync_pending()
                note = f"search index updated ({applied['applied']} change(s))"
            except SearchUnavailable as exc:
                note = f"search index not reachable; it will catch up ({exc.message})"
            progress.update(indexing, total=1, completed=1)
        return result, note

    result, note = run(go())
    click.echo(f"Imported into {tenant}: {result['created']} created, {result['updated']} updated, "
               f"{result['unchanged']} unchanged; {note}.")
