"""/api/v1/me: who the caller is, as the access rule sees it."""

from __future__ import annotations

from litestar import get

from casebook.api.params import ActorDep
from casebook.api.schemas.account import Me, Membership


@get("/me", tags=["account"], summary="The caller's identity and organisations")
async def me(actor: ActorDep) -> Me:
    memberships = [Membership(slug=actor.tenant_slugs.get(t), role=r) for t, r in sorted(actor.roles.items())]
    return Me(authenticated=actor.authenticated, email=actor.email, name=actor.name, organisations=memberships)
