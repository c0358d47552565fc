"""Who is calling: API requests carry a bearer token; page requests carry a session cookie."""

from __future__ import annotations

from litestar import Request

from casebook.domain.access import ANONYMOUS, Actor
from casebook.domain.errors import Unauthenticated
from casebook.services import sessions, tokens
from casebook.services.actors import actor_for_user


async def api_actor(request: Request) -> Actor:
    """Bearer token, or anonymous. Cookies are ignored here, so the API needs no CSRF defence."""
    header = request.headers.get("authorization", "")
    if not header:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("use 'Authorization: Bearer <token>'")
    found = await tokens.resolve_token(token.strip())
    if found is None:
        raise Unauthenticated("the token is unknown or revoked")
    actor = await actor_for_user(found[0], only_tenant=found[1])
    if not actor.authenticated or not actor.roles:
        raise Unauthenticated("the token's user is no longer a member of its organisation")
    return actor


async def page_actor(request: Request) -> Actor:
    session = request.session if "session" in request.scope else {}
    user_id = session.get("user_id") if session else None
    if not isinstance(user_id, int):
        return ANONYMOUS
    if session.get("epoch") != await sessions.session_epoch(user_id):  # ended on the server
        request.clear_session()
        return ANONYMOUS
    actor = await actor_for_user(user_id, active_tenant=session.get("tenant_id"))
    if not actor.authenticated:
        request.clear_session()
    return actor
