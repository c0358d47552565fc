"""Builds test data: valid case documents and a world of tenants, users, tokens and cases."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from casebook.services import cases, tenants, tokens, users
from casebook.services.actors import actor_for_user, system_actor

PASSWORD = "correct horse battery"


def make_case(slug: str, **overrides: Any) -> dict[str, Any]:
    """A small, schema-valid case; the content is test data, not a real partnership."""
    data: dict[str, Any] = {
        "slug": slug,
        "title": f"Test case {slug}",
        "country": "CO",
        "locality": "Test locality",
        "period": {"start": 2019, "end": None},
        "status": "active",
        "scenarios": ["company-community-relations"],
        "sectors": ["mining"],
        "summary": f"Summary of {slug}: a company, a municipality and a community organisation work together.",
        "context": {"conflict": "post-conflict", "trust": "low", "state_capacity": "low"},
        "partners": [
            {"name": "Mining Co", "type": "business-multinational", "roles": ["company"]},
            {"name": "Community Council", "type": "community", "roles": ["community-organisation"]},
        ],
        "population_groups": ["residents"],
        "human_security": ["economic", "community"],
        "sdgs": [8, "16.7"],
        "challenges": ["mistrust"],
        "lessons": [f"A lesson of {slug}."],
        "evidence_level": "documented",
        "sources": [{"title": "Test source", "publisher": "Tests", "year": 2020, "locator": "section 1"}],
    }
    data.update(copy.deepcopy(overrides))
    return data


@dataclass
class World:
    tenant_ids: dict[str, int] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    async def actor(self, user: str) -> Any:
        return await actor_for_user(self.user_ids[user])

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"} if user != "anonymous" else {}


# Organisation -> (kind, networks it joins). alpha and gamma share the network "net"; beta is alone.
TENANTS = {"alpha": ("organisation", ["net"]), "beta": ("organisation", []), "gamma": ("organisation", ["net"]),
           "net": ("network", [])}
# User -> (tenant, role). "outsider" has an account but no organisation.
USERS = {
    "alpha_admin": ("alpha", "admin"), "alpha_editor": ("alpha", "editor"), "alpha_viewer": ("alpha", "viewer"),
    "beta_admin": ("beta", "admin"), "beta_editor": ("beta", "editor"), "beta_viewer": ("beta", "viewer"),
    "gamma_editor": ("gamma", "editor"), "net_admin": ("net", "admin"), "outsider": (None, None),
}
CASES = [(t, v) for t in ("alpha", "beta") for v in ("private", "network", "public")] + [("gamma", "network")]


def case_slug(tenant: str, visibility: str) -> str:
    return f"{tenant}-{visibility}"


async def build_world() -> World:
    world = World()
    for slug, (kind, _) in sorted(TENANTS.items(), key=lambda kv: kv[1][0] == "organisation"):
        world.tenant_ids[slug] = (await tenants.create_tenant(slug, slug.title(), kind))["id"]
    for slug, (_, networks) in TENANTS.items():
        for network in networks:
            await tenants.join_network(world.tenant_ids[network], world.tenant_ids[slug])
    for name, (tenant, role) in USERS.items():
        user = await users.create_user(f"{name}@example.org", name, PASSWORD)
        world.user_ids[name] = user["id"]
        if tenant:
            await tenants.set_membership(world.tenant_ids[tenant], user["id"], role)
            world.tokens[name] = (await tokens.create_token(user["id"], world.tenant_ids[tenant], "test"))["token"]
    for tenant, visibility in CASES:
        owner = system_actor(world.tenant_ids[tenant])
        slug = case_slug(tenant, visibility)
        await cases.create_case(owner, tenant, make_case(slug, title=f"Secret-{slug} partnership"), visibility)
    return world
