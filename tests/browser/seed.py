"""Seeds the browser-test server's own database and serves it: `python -m tests.browser.seed PORT`.

Runs in its own process with the server's CASEBOOK_HOME, so the browser tests never share the unit
tests' database. Loads the library and the demo account (bootstrap.init), then two organisations
whose data could leak into each other. With CASEBOOK_SEED_REGISTRY=FILE it also imports the UN registry
records of FILE into the library (the pickers' tests at scale).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from casebook.services import bootstrap, cases, tenants, users
from casebook.services.actors import actor_for_user, system_actor
from tests.factory import make_case

PASSWORD = "browser-test-password"
# user -> (organisation, role)
USERS = {"ana@acme.test": ("acme", "editor"), "ada@acme.test": ("acme", "admin"),
         "bo@beacon.test": ("beacon", "editor"), "locked@acme.test": ("acme", "viewer")}
PRIVATE_CASE = ("acme", "acme-private-pilot", "Secret Acme pilot partnership")
EDIT_CASES = ["acme-edit", "acme-conflict"]
SHARED_CASE = ("acme", "acme-shared", "Shared acme-shared partnership")  # a network draft, for publishing
RETIRED_CASE = ("acme", "acme-retired", "Retired acme-retired partnership")  # published, then asked private


async def seed() -> None:
    await bootstrap.init()
    ids = {slug: (await tenants.create_tenant(slug, slug.title() + " Ltd"))["id"] for slug in ("acme", "beacon")}
    for email, (tenant, role) in USERS.items():
        user = await users.create_user(email, email.split("@")[0].title(), PASSWORD)
        await tenants.set_membership(ids[tenant], user["id"], role)
    owner = system_actor(ids["acme"])
    tenant, slug, title = PRIVATE_CASE
    await cases.create_case(owner, tenant, make_case(slug, title=title), "private")
    for slug in EDIT_CASES:
        await cases.create_case(owner, "acme", make_case(slug, title=f"Editable {slug}"), "private")
    await seed_network(ids["acme"])
    tenant, slug, title = RETIRED_CASE
    await cases.create_case(owner, tenant, make_case(slug, title=title), "public")  # the CLI publishes at once
    ada = await actor_for_user((await users.user_by_email("ada@acme.test"))["id"])  # a person: the snapshot stays
    await cases.update_case(ada, tenant, slug, make_case(slug, title=title), 1, "private")


async def seed_network(acme: int) -> None:
    """The publishing walk: acme and cedar share the network alliance; an acme editor's network draft."""
    alliance = (await tenants.create_tenant("alliance", "Alliance Network", "network"))["id"]
    cedar = (await tenants.create_tenant("cedar", "Cedar Ltd"))["id"]
    for member in (acme, cedar):
        await tenants.join_network(alliance, member)
    for email, tenant in (("nia@alliance.test", alliance), ("cy@cedar.test", cedar)):
        user = await users.create_user(email, email.split("@")[0].title(), PASSWORD)
        await tenants.set_membership(tenant, user["id"], "admin" if tenant == alliance else "editor")
    ana = await users.user_by_email("ana@acme.test")
    tenant, slug, title = SHARED_CASE
    await cases.create_case(await actor_for_user(ana["id"]), tenant, make_case(slug, title=title), "network")


def serve(port: int) -> None:
    """Seeds, then serves the app in this same process (one interpreter start instead of two)."""
    import uvicorn

    asyncio.run(seed())
    registry = os.environ.get("CASEBOOK_SEED_REGISTRY")
    if registry:  # the registry records next to the seed library, through the command users run
        subprocess.run([sys.executable, "-m", "casebook.cli", "import", "un-registry", registry, "--tenant", "library",
                        "--visibility", "public"], check=True)
    uvicorn.run("casebook.app:create_app", factory=True, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
