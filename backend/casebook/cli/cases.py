"""`casebook cases validate | import | export | list`."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.runner import echo_json, reader_of_everything, run, sync_index
from casebook.domain.casefile import load_case_files
from casebook.domain.errors import InvalidInput
from casebook.domain.vocabulary import VISIBILITIES


@click.group("cases", help="Validate, import, export and list case files.")
def cases_group() -> None:
    pass


@cases_group.command("validate", help="Check case files against cases/schema.json; writes nothing.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    async def check() -> int:
        loaded = load_case_files(list(paths))
        if not loaded:
            raise InvalidInput("no case files found (*.yaml)")
        return len(loaded)
    count = run(check())
    click.echo(f"{count} case file(s) valid.")


async def _operator_for(tenant: str) -> object:
    from casebook.services.actors import system_actor
    from casebook.services.tenants import get_tenant
    return system_actor((await get_tenant(tenant))["id"])


@cases_group.command("import", help="Import case files into a tenant, all or nothing.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--tenant", required=True, help="Slug of the owner organisation.")
@click.option("--visibility", type=click.Choice(VISIBILITIES), default="private", show_default=True)
@click.option("--replace", is_flag=True, help="Update cases whose slug exists (as a new revision).")
def import_(paths: tuple[Path, ...], tenant: str, visibility: str, replace: bool) -> None:
    from casebook.services import library

    async def go() -> dict[str, int]:
        result = await library.import_files(await _operator_for(tenant), tenant, list(paths), visibility, replace)
        await sync_index()
        return result
    result = run(go())
    click.echo(f"Imported into {tenant}: {result['created']} created, {result['updated']} updated, "
               f"{result['unchanged']} unchanged.")


@cases_group.command("export", help="Write a tenant's cases as YAML files into DIR.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--tenant", required=True)
def export(folder: Path, tenant: str) -> None:
    from casebook.services import library

    async def go() -> list[Path]:
        return await library.export_files(await _operator_for(tenant), tenant, folder)
    written = run(go())
    click.echo(f"Exported {len(written)} case(s) to {folder}.")


@cases_group.command("list", help="List cases (all tenants, or one).")
@click.option("--tenant", default=None)
@click.option("--json", "as_json", is_flag=True)
def list_(tenant: str | None, as_json: bool) -> None:
    from casebook.services import cases

    async def go() -> list[dict]:
        operator = await reader_of_everything()
        items, page = [], 1
        while True:
            result = await cases.list_cases(operator, cases.CaseFilters.parse(tenant=tenant), page, 100)
            items.extend(result["items"])
            if page * 100 >= result["total"]:
                return items
            page += 1
    items = run(go())
    if as_json:
        echo_json(items)
        return
    for c in items:
        click.echo(f"{c['tenant']}/{c['slug']}\t{c['country'] or '--'}\t{c['status']}\t{c['visibility']}\t{c['title']}")
    click.echo(f"{len(items)} case(s)")
