"""Sensitive fields and partners never leave the owner organisation: API reads, revisions, exports, search."""

from __future__ import annotations

from casebook.services import cases, search
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case

SECRET_PLACE = "Hamlet-Quorvin riverside"
SECRET_PERSON = "Elder Tavimoro"


async def test_sensitive_parts_are_left_out_outside_the_owner(world, client):
    partners = [{"name": "Mining Co", "type": "business-multinational", "roles": ["company"]},
                {"name": SECRET_PERSON, "type": "community", "roles": ["community-organisation"], "sensitive": True}]
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha",
                            make_case("guarded", locality=SECRET_PLACE, partners=partners, sensitive=["locality"]),
                            "network")
    await search.sync_pending(RUNTIME.search)
    paths = ["/api/v1/cases/alpha/guarded", "/api/v1/cases/alpha/guarded/revisions/1",
             "/api/v1/cases?tenant=alpha", "/api/v1/export?format=json", "/api/v1/export?format=csv",
             "/api/v1/export?format=un-registry", "/api/v1/search?q=guarded", "/api/v1/search?q=Quorvin"]
    for user, sees in (("gamma_editor", False), ("alpha_viewer", True)):
        for path in paths[:2]:
            body = (await client.get(path, headers=world.auth(user))).text
            assert (SECRET_PLACE in body, SECRET_PERSON in body) == (sees, sees), (user, path)
        for path in paths[2:]:
            body = (await client.get(path, headers=world.auth(user))).text
            if not sees:
                assert SECRET_PLACE not in body and SECRET_PERSON not in body, (user, path)
    peer_view = (await client.get(paths[0], headers=world.auth("gamma_editor"))).json()["case"]
    assert "locality" not in peer_view and [p["name"] for p in peer_view["partners"]] == ["Mining Co"]
