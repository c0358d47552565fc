"""`casebook lessons import | list`: the same services as the API, acting as the operator."""

from __future__ import annotations

import click

from casebook.cli.records import Importer, add_import, add_list


@click.group("lessons", help="Import and list lessons learned.")
def lessons_group() -> None:
    pass


def _importer() -> Importer:
    from casebook.services import lessons
    return lessons.import_files


def _kind() -> object:
    from casebook.services import lessons
    return lessons.KIND


def _filters(tenant: str | None) -> object:
    from casebook.services import lessons
    return lessons.LessonFilters.parse(tenant=tenant)


def _line(item: dict) -> str:
    state = item["publication"]["state"] if item["publication"] else ""
    return f"{item['tenant']}/{item['slug']}\t{item['visibility']}\t{state}\t{item['title']}"


add_import(lessons_group, "lesson", _importer, "Import lesson YAML files into a tenant, all or nothing (network "
                                               "and public lessons are published at once).")
add_list(lessons_group, "lesson", _kind, _filters, _line)
