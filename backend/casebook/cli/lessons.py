"""`casebook lessons import | list`: the same services as the API, acting as the operator."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.runner import echo_json, reader_of_everything, run, sync_index
from casebook.domain.vocabulary import VISIBILITIES


@click.group("lessons", help="Import and list lessons learned.")
def lessons_group() -> None:
    pass


@lessons_group.command("import", help="Import lesson YAML files into a tenant, all or nothing (network and "
                                      "public lessons are published at once).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--tenant", required=True, help="Slug of the owner organisation.")
@click.option("--visibility", type=click.Choice(VISIBILITIES), default="private", show_default=True)
def import_(paths: tuple[Path, ...], tenant: str, visibility: str) -> None:
    from casebook.cli.cases import _operator_for
    from casebook.services import lessons

    async def go() -> dict[str, int]:
        result = await lessons.import_files(await _operator_for(tenant), tenant, list(paths), visibility)
        await sync_index()
        return result
    result = run(go())
    click.echo(f"Imported into {tenant}: {result['created']} lesson(s) created.")


@lessons_group.command("list", help="List lessons (all tenants, or one).")
@click.option("--tenant", default=None)
@click.option("--json", "as_json", is_flag=True)
def list_(tenant: str | None, as_json: bool) -> None:
    from casebook.services import lessons

    async def go() -> list[dict]:
        operator = await reader_of_everything()
        found = await lessons.visible_lessons(operator, lessons.LessonFilters.parse(tenant=tenant))
        linked = await lessons.readable_cases(operator, {c for _, d in found for c in d.get("cases") or []})
        return [lessons.lesson_out(row, data, operator, linked, full=False) for row, data in found]
    items = run(go())
    if as_json:
        echo_json(items)
        return
    for item in items:
        state = item["publication"]["state"] if item["publication"] else ""
        click.echo(f"{item['tenant']}/{item['slug']}\t{item['visibility']}\t{state}\t{item['title']}")
    click.echo(f"{len(items)} lesson(s)")
