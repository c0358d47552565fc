"""`casebook tenants create`, `casebook users create`, `casebook tokens create`."""

from __future__ import annotations

import os

import click

from casebook.cli.runner import echo_json, run
from casebook.domain.vocabulary import ROLES, TENANT_KINDS


@click.group("tenants", help="Organisations and networks.")
def tenants_group() -> None:
    pass


@tenants_group.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(TENANT_KINDS), default="organisation", show_default=True)
@click.option("--network", "networks", multiple=True, help="Slug of a network this organisation joins.")
def create_tenant(slug: str, name: str, kind: str, networks: tuple[str, ...]) -> None:
    from casebook.services import tenants

    async def go() -> dict:
        tenant = await tenants.create_tenant(slug, name, kind)
        for network in networks:
            await tenants.join_network((await tenants.get_tenant(network))["id"], tenant["id"])
        return tenant
    tenant = run(go())
    click.echo(f"Created {tenant['kind']} {tenant['slug']}.")


@click.group("users", help="User accounts.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", default=None, help="Default: $CASEBOOK_NEW_PASSWORD, else prompted.")
@click.option("--tenant", default=None, help="Organisation to join.")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
def create_user(email: str, name: str, password: str | None, tenant: str | None, role: str) -> None:
    from casebook.services import tenants, users
    password = password or os.environ.get("CASEBOOK_NEW_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)

    async def go() -> dict:
        target = await tenants.get_tenant(tenant) if tenant else None
        user = await users.create_user(email, name, password)
        if target:
            await tenants.set_membership(target["id"], user["id"], role)
        return user
    user = run(go())
    click.echo(f"Created user {user['email']}" + (f" ({role} in {tenant})." if tenant else "."))


@click.group("tokens", help="API tokens.")
def tokens_group() -> None:
    pass


@tokens_group.command("create")
@click.option("--email", required=True)
@click.option("--tenant", required=True)
@click.option("--name", default="cli", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def create_token(email: str, tenant: str, name: str, as_json: bool) -> None:
    from casebook.domain.errors import NotFound
    from casebook.services import tenants, tokens, users

    async def go() -> dict:
        user = await users.user_by_email(email)
        if user is None:
            raise NotFound(f"user {email} not found")
        return await tokens.create_token(user["id"], (await tenants.get_tenant(tenant))["id"], name)
    token = run(go())
    if as_json:
        echo_json(token)
    else:
        click.echo(token["token"])
        click.echo("Keep it safe: it is shown only once.", err=True)
