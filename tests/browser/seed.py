"""Seeds the browser-test server's own database and serves it: `python -m tests.browser.seed PORT`.

Runs in its own process with the server's CASEBOOK_HOME, so the browser tests never share the unit
tests' database. Loads the library and the demo account (bootstrap.init), then two organisations
whose data could leak into each other.
"""

from __future__ import annotations

import asyncio
import sys

from casebook.services import bootstrap, cases, tenants, users
from casebook.services.actors import system_actor
from tests.factory import make_case

PASSWORD = "browser-test-password"
# user -> (organisation, role)
USERS = {"ana@acme.test": ("acme", "editor"), "ada@acme.test": ("acme", "admin"),
         "bo@beacon.test": ("beacon", "editor"), "locked@acme.test": ("acme", "viewer")}
PRIVATE_CASE = ("acme", "acme-private-pilot", "Secret Acme pilot partnership")
EDIT_CASES = ["acme-edit", "acme-conflict"]


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


def serve(port: int) -> None:
    """Seeds, then serves the app in this same process (one interpreter start instead of two)."""
    import uvicorn

    asyncio.run(seed())
    uvicorn.run("casebook.app:create_app", factory=True, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
