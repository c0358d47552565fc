"""`casebook plan --template SLUG --target FILE.yaml [--json] [--pdf OUT.pdf] [--html OUT.html] [--docx OUT.docx]`."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.runner import current_runtime, echo_json, run


@click.command("plan", help="Build a replication plan from a template case and a target context (YAML).")
@click.option("--template", "template", required=True, help="Template case: SLUG or TENANT/SLUG.")
@click.option("--target", "target_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path), help="Write the PDF report here.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write the HTML report.")
@click.option("--docx", "docx_out", type=click.Path(dir_okay=False, path_type=Path), help="Write a Word document.")
def plan_command(template: str, target_file: Path, as_json: bool, pdf_out: Path | None, html_out: Path | None,
                 docx_out: Path | None) -> None:
    from casebook.domain.casefile import parse_yaml
    from casebook.services import plans
    from casebook.services.actors import reader_of_everything
    from casebook.services.plan_documents import document

    async def go() -> dict:
        target, _ = parse_yaml(target_file.read_text(encoding="utf-8"), filename=str(target_file))
        # The operator has the machine, so reads every tenant's cases (as `cases list` does).
        return await plans.generate(await reader_of_everything(), template, target, index=current_runtime().matcher)
    for out in (html_out, pdf_out, docx_out):  # refuse before writing anything, rather than fail halfway
        if out is not None and not out.resolve().parent.is_dir():
            raise click.BadParameter(f"folder {out.parent} does not exist", param_hint=f"'{out}'")
    plan = run(go())
    try:
        if html_out:
            html_out.write_text(document(plan, "html"), encoding="utf-8")
            click.echo(f"Wrote {html_out}", err=as_json)
        if pdf_out:
            pdf_out.write_bytes(document(plan, "pdf"))
            click.echo(f"Wrote {pdf_out}", err=as_json)
        if docx_out:
            docx_out.write_bytes(document(plan, "docx"))
            click.echo(f"Wrote {docx_out}", err=as_json)
    except OSError as exc:
        raise click.ClickException(f"cannot write {exc.filename}: {exc.strerror}") from exc
    if as_json:
        echo_json(plan)
    elif not (pdf_out or html_out or docx_out):
        dims = ", ".join(f"{d}: {len(v['items'])}" for d, v in plan["dimensions"].items())
        click.echo(f"{plan['title']}\nFit: {plan['fit']['words']}; adaptation items ({dims}); "
                   f"{len(plan['risks'])} risks; {len(plan['evidence'])} evidence entries. "
                   "Use --json, --pdf, --html or --docx for the plan itself.")
