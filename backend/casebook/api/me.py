"""/api/v1/me: who the caller is, as the access rule sees it."""

from __future__ import annotations

from typing import Any

from litestar import get

from casebook.api.params import ActorDep


@get("/me", tags=["account"], summary="The caller's identity and organisations")
async def me(actor: ActorDep) -> dict[str, Any]:
    return {
        "authenticated": actor.authenticated, "email": actor.email, "name": actor.name,
        "organisations": [{"slug": actor.tenant_slugs.get(t), "role": r} for t, r in sorted(actor.roles.items())],
    }
