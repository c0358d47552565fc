"""`casebook search "QUERY" | reindex | check | sync`."""

from __future__ import annotations

import html as html_lib
from typing import Any

import click

from casebook.cli.runner import current_runtime, echo_json, run, sync_index
from casebook.domain.search_filters import FACETS, KINDS


class SearchGroup(click.Group):
    """`casebook search "words"` runs a query; `casebook search reindex|check|sync` manage the index."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple:
        if args and args[0] not in self.commands:
            return "query", self.commands["query"], args
        return super().resolve_command(ctx, args)


@click.group("search", cls=SearchGroup, invoke_without_command=False,
             help='Search cases, lessons and blocks: casebook search "QUERY" [--kind lesson] [--country CO] [--json]; '
                  'or reindex, check, sync.')
def search_group() -> None:
    pass


def _operator_actor() -> Any:
    from casebook.services.actors import reader_of_everything
    return reader_of_everything(system=True)


@search_group.command("query", help="Search the whole library as the operator (every tenant).")
@click.argument("words", nargs=-1)
@click.option("--tenant", default=None, help="Search as a member of this organisation only.")
@click.option("--page", default=1, type=int, show_default=True)
@click.option("--per-page", default=10, type=int, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--kind", multiple=True, type=click.Choice(list(KINDS)),
              help="Only cases, lessons or building blocks.")
@click.option("--country", multiple=True)
@click.option("--region", multiple=True)
@click.option("--sector", multiple=True)
@click.option("--sdg", multiple=True)
@click.option("--scenario", multiple=True)
@click.option("--human-security", "human_security", multiple=True)
@click.option("--scaling", multiple=True)
@click.option("--status", multiple=True)
@click.option("--evidence-level", "evidence_level", multiple=True)
def query(words: tuple[str, ...], tenant: str | None, page: int, per_page: int, sort: str, as_json: bool,
          **facets: tuple[str, ...]) -> None:
    from casebook.services import search as service
    from casebook.services.search import SearchQuery

    async def go() -> object:
        await sync_index()
        if tenant:
            from casebook.services.actors import system_actor
            from casebook.services.tenants import get_tenant
            actor = system_actor((await get_tenant(tenant))["id"])
        else:
            actor = await _operator_actor()
        filters = {k: list(v) for k, v in facets.items() if v}
        return await service.search(actor, SearchQuery(q=" ".join(words), filters=filters, page=page,
                                                       per_page=per_page, sort=sort), current_runtime().search)
    result = run(go())
    if as_json:
        echo_json(result.as_dict())
        return
    _print(result)


def _print(result: object) -> None:
    from rich.console import Console
    from rich.markup import escape
    console = Console(highlight=False)
    console.print(f"[bold]{result.total}[/bold] result(s)")
    for hit in result.hits:
        badge = {"lesson": "[magenta]lesson[/magenta] ", "block": "[cyan]block[/cyan] "}.get(hit.kind, "")
        console.print(f"{badge}[bold]{escape(hit.title)}[/bold]  [dim]{hit.url} {hit.country or ''} "
                      f"{hit.score:.2f}[/dim]")
        for field, marked in hit.highlights.items():
            if field == "title":
                continue
            text = escape(marked.replace("<mark>", "\x00").replace("</mark>", "\x01"))
            text = text.replace("\x00", "[reverse]").replace("\x01", "[/reverse]")
            console.print(f"  [dim]{field}:[/dim] {html_lib.unescape(text)}")
    shown = {f: v for f, v in result.facets.items() if v}
    for facet in FACETS:
        if shown.get(facet):
            values = ", ".join(f"{k} ({n})" for k, n in list(shown[facet].items())[:8])
            console.print(f"[dim]{facet}:[/dim] {escape(values)}")


@search_group.command("reindex", help="Rebuild the index from the database (no downtime: build, then swap).")
def reindex() -> None:
    from casebook.services import search as service
    async def go() -> dict:
        return await service.reindex(current_runtime().search)
    result = run(go())
    click.echo(f"Reindexed {result['indexed']} document(s) (cases and lessons) on {result['backend']}; "
               f"{result['replayed']} change(s) made meanwhile replayed.")


@search_group.command("check", help="Report drift between the database and the index (exit 1 on drift).")
@click.option("--json", "as_json", is_flag=True)
def check(as_json: bool) -> None:
    from casebook.services import search as service
    async def go() -> dict:
        return await service.check_drift(current_runtime().search)
    report = run(go())
    if as_json:
        echo_json(report)
    else:
        kinds = ", ".join(f"{n} {kind}" for kind, n in report["kinds"].items())
        click.echo(f"{report['backend']}: {report['documents']} document(s) expected ({kinds}), "
                   f"{report['indexed']} indexed, {report['pending']} change(s) pending.")
        for key in ("missing", "extra", "stale"):
            if report[key]:
                click.echo(f"  {key}: {len(report[key])} (ids {', '.join(map(str, report[key][:20]))})")
        click.echo("No drift." if report["ok"] else
                   "Drift found: run `casebook search sync` or `casebook search reindex`.")
    if not report["ok"]:
        raise SystemExit(1)


@search_group.command("sync", help="Apply pending changes (the outbox) to the index now.")
def sync() -> None:
    from casebook.services import search as service
    async def go() -> dict:
        return await service.sync_pending(current_runtime().search)
    result = run(go())
    click.echo(f"Applied {result['applied']} change(s); index up to date.")
