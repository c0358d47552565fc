"""`casebook cases validate | import | export | list`."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.records import Importer, add_import, add_list, operator_for
from casebook.cli.runner import run
from casebook.domain.casefile import load_case_files
from casebook.domain.errors import InvalidInput


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


_operator_for = operator_for  # the name other commands import


def _importer() -> Importer:
    from casebook.services import library
    return library.import_files


add_import(cases_group, "case", _importer, "Import case files into a tenant, all or nothing.")


@cases_group.command("export", help="Write a tenant's cases as YAML files into DIR.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--tenant", required=True)
def export(folder: Path, tenant: str) -> None:
    from casebook.services import library

    async def go() -> list[Path]:
        return await library.export_files(await _operator_for(tenant), tenant, folder)
    written = run(go())
    click.echo(f"Exported {len(written)} case(s) to {folder}.")


def _kind() -> object:
    from casebook.services import cases
    return cases.KIND


def _filters(tenant: str | None) -> object:
    from casebook.services import cases
    return cases.CaseFilters.parse(tenant=tenant)


def _line(c: dict) -> str:
    return f"{c['tenant']}/{c['slug']}\t{c['country'] or '--'}\t{c['status']}\t{c['visibility']}\t{c['title']}"


add_list(cases_group, "case", _kind, _filters, _line)
