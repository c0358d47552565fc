"""`casebook import un-registry|undp-south-south FILE --tenant SLUG`: other registries' records as cases.

Both run the same pipeline: read and validate every record (any problem: nothing is written), write
them in one transaction (new ones created, changed ones updated as a new version, the rest left
alone, so an import can be run again), then apply the search outbox once.
"""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.runner import current_runtime, run
from casebook.domain.vocabulary import VISIBILITIES
from casebook.services.registries import Registry


@click.group("import", help="Import records from other registries as cases (re-runnable).")
def import_group() -> None:
    pass


def import_registry(registry: Registry, path: Path, tenant: str, visibility: str) -> dict:
    """The whole import with a progress bar on stderr; returns the counts and the index note."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from casebook.domain.clock import now
    from casebook.domain.errors import InvalidInput
    from casebook.services import library
    from casebook.services import search as service
    from casebook.services.actors import system_actor
    from casebook.services.registries import convert, count_records
    from casebook.services.search import SearchUnavailable
    from casebook.services.tenants import get_tenant

    console = Console(stderr=True)
    total = count_records(registry, path)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())

    async def go() -> dict:
        operator = system_actor((await get_tenant(tenant))["id"])
        with Progress(*columns, console=console, transient=False) as progress:
            reading = progress.add_task("Reading and validating", total=total)
            documents, problems = convert(registry, path, now().year, lambda: progress.advance(reading))
            if problems:
                raise InvalidInput(problems)
            writing = progress.add_task("Writing (one transaction)", total=len(documents))
            result = await library.import_documents(operator, tenant, documents, visibility, replace=True,
                                                    progress=lambda n: progress.advance(writing, n))
            indexing = progress.add_task("Updating the search index", total=None)
            try:
                applied = await service.sync_pending(current_runtime().search)
                result["note"] = f"search index updated ({applied['applied']} change(s))"
            except SearchUnavailable as exc:
                result["note"] = f"search index not reachable; it will catch up ({exc.message})"
            progress.update(indexing, total=1, completed=1)
        return result

    return run(go())


def _command(name: str, registry: Registry, help_text: str) -> click.Command:
    @import_group.command(name, help=help_text)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--tenant", required=True, help="Slug of the owner organisation.")
    @click.option("--visibility", type=click.Choice(VISIBILITIES), default="private", show_default=True)
    def command(path: Path, tenant: str, visibility: str) -> None:
        result = import_registry(registry, path, tenant, visibility)
        click.echo(f"Imported into {tenant}: {result['created']} created, {result['updated']} updated, "
                   f"{result['unchanged']} unchanged; {result['note']}.")
    return command


def _register() -> None:
    from casebook.services.registries import UN_REGISTRY, UNDP_SOUTH_SOUTH

    _command("un-registry", UN_REGISTRY, "Import the UN Partnerships for SDGs registry (JSON lines).")
    _command("undp-south-south", UNDP_SOUTH_SOUTH, "Import UNDP South-South cooperation projects (CSV).")


_register()
