"""Entry point: `casebook init | serve | cases … | tenants … | users … | tokens …`."""

from __future__ import annotations

import click

from casebook.cli.admin import tenants_group, tokens_group, users_group
from casebook.cli.cases import cases_group
from casebook.cli.imports import import_group
from casebook.cli.lessons import lessons_group
from casebook.cli.match import match_command
from casebook.cli.plan import plan_command
from casebook.cli.runner import ensure_index, run
from casebook.cli.search import search_group


@click.group(help="Casebook: partnership cases and replication plans.")
def cli() -> None:
    pass


def _print_init(report: object) -> None:
    from casebook.services.bootstrap import DEMO_EMAIL, DEMO_TENANT
    if report.imported:
        click.echo(f"Imported the seed library: {report.imported['created']} cases, "
                   f"{report.lessons_imported} lessons learned.")
    if report.demo_password:
        click.echo(f"Demo organisation '{DEMO_TENANT}' created. Sign in as {DEMO_EMAIL} "
                   f"with password: {report.demo_password}")
        click.echo("(shown once; set CASEBOOK_DEMO_PASSWORD to choose it)")


@cli.command(help="Create or migrate the database, the public library tenant and the demo account.")
@click.option("--no-library", is_flag=True, help="Do not import the seed cases from cases/.")
def init(no_library: bool) -> None:
    from casebook.services.bootstrap import init as do_init
    from casebook.settings import get_settings
    async def go() -> object:
        report = await do_init(load_library=not no_library)
        await ensure_index()
        return report
    report = run(go())
    settings = get_settings()
    where = "PostgreSQL" if settings.database_url else f"SQLite at {settings.sqlite_path}"
    click.echo(f"Database ready ({where}).")
    _print_init(report)


@cli.command(help="Run the web application and API (runs `init` first).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    import uvicorn

    from casebook.services.bootstrap import DEMO_EMAIL
    from casebook.services.bootstrap import init as do_init
    async def prepare() -> object:
        report = await do_init()
        await ensure_index()
        return report
    report = run(prepare())
    _print_init(report)
    if not report.demo_password:
        click.echo(f"Demo sign-in: {DEMO_EMAIL} (password printed on first run, or CASEBOOK_DEMO_PASSWORD)")
    click.echo(f"Casebook on http://{host}:{port}  (API: /api/v1, OpenAPI: /schema)")
    # proxy_headers=False: the app itself decides whom to believe about X-Forwarded-For (CASEBOOK_TRUSTED_PROXIES)
    uvicorn.run("casebook.app:create_app", factory=True, host=host, port=port, log_level="warning",
                proxy_headers=False)


cli.add_command(cases_group)
cli.add_command(tenants_group)
cli.add_command(users_group)
cli.add_command(tokens_group)
cli.add_command(match_command)
cli.add_command(search_group)
cli.add_command(import_group)
cli.add_command(plan_command)
cli.add_command(lessons_group)
