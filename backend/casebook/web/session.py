"""Sign in and sign out with a password; the session cookie holds the user and tenant ids and the session epoch."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, FormData, OptQueryStr
from casebook.domain.errors import RateLimited, Unauthenticated
from casebook.services import sessions, users
from casebook.web.context import page_context
from casebook.web.site import client_address

# What the sign-in form says; the services' messages are written for logs and the API.
WRONG_PASSWORD = "The email or password is wrong. Check both and try again."
TOO_MANY = ("Sign-in is paused after too many failed sign-ins for this account. "
            "Wait a few minutes (the pause grows with each failure, up to 15 minutes), then try again.")


def _safe_next(target: str | None) -> str:
    """Only local paths, so a crafted link cannot bounce a user to another site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


async def sign_in(request: Request, user_id: int, tenant_id: int | None = None) -> None:
    """Starts a session carrying the user's current epoch (see services/sessions.py)."""
    session: dict[str, Any] = {"user_id": user_id, "epoch": await sessions.session_epoch(user_id)}
    if tenant_id is not None:
        session["tenant_id"] = tenant_id
    request.set_session(session)


@get("/login", name="login")
async def login_form(actor: ActorDep, next: OptQueryStr = None) -> Template:
    return Template("login.html", context=page_context(actor, next=_safe_next(next), error=None, email=""))


@post("/login")
async def login(
    request: Request, actor: ActorDep,
    data: FormData,
) -> Template | Redirect:
    email, password = str(data.get("email", "")), str(data.get("password", ""))
    target = _safe_next(str(data.get("next") or "/"))
    address = client_address(request)
    try:
        user_id = await users.authenticate(email, password, address)
    except (Unauthenticated, RateLimited) as exc:
        limited = isinstance(exc, RateLimited)
        return Template("login.html", status_code=429 if limited else 401,
                        context=page_context(actor, next=target, error=TOO_MANY if limited else WRONG_PASSWORD,
                                             email=email))
    await sign_in(request, user_id)
    return Redirect(path=target, status_code=303)


@post("/logout")
async def logout(request: Request, actor: ActorDep) -> Redirect:
    """Ends the user's sessions on the server too (on every device), so a copied cookie stops working."""
    if actor.user_id is not None:
        await sessions.end_sessions(actor.user_id)
    request.clear_session()
    return Redirect(path="/", status_code=303)
