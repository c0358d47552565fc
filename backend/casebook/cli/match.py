"""`casebook match (--case SLUG | --context FILE.yaml) [--top N] [--json]`."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.runner import current_runtime, echo_json, run


def _load_context(path: Path) -> object:
    from casebook.domain.casefile import parse_yaml
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    return data


@click.command("match", help="Find the cases most like a case or a target context (YAML), and why.")
@click.option("--case", "case", default=None, help="Slug of a case (tenant/slug when ambiguous).")
@click.option("--context", "context_file", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A target context file: the case keys, title and country required, plus goals.")
@click.option("--top", default=10, show_default=True, type=int, help="How many results (at most 50).")
@click.option("--json", "as_json", is_flag=True, help="Print the full JSON result.")
def match_command(case: str | None, context_file: Path | None, top: int, as_json: bool) -> None:
    from casebook.services import matching as service
    from casebook.services.actors import reader_of_everything

    if (case is None) == (context_file is None):
        raise click.UsageError("give exactly one of --case or --context")

    async def go() -> dict:
        context = _load_context(context_file) if context_file else None
        return await service.match(await reader_of_everything(system=True), case=case, context=context, top=top,
                                   index=current_runtime().matcher)
    result = run(go())
    if as_json:
        echo_json(result)
        return
    for rank, r in enumerate(result["results"], 1):
        click.echo(f"{rank:>2}. {r['score']:.3f}  {r['tenant']}/{r['slug']}  ({r['country'] or '--'})")
        click.echo(f"    {r['explanation']}")
    if result["capped"]:
        click.echo(f"(showing at most {result['top']} results)")
    if not result["results"]:
        click.echo("No comparable cases found.")
