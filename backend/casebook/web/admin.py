"""Organisation admin pages: members and roles, invitations, API tokens (shown once), the audit log, and
rebuilding the shared search index (in the background, with progress the page polls).

Every page is scoped to one organisation the actor belongs to (others are 404, never named), and
every rule (who may change roles, see tokens, read the log) is the services' own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, PathInt, PathStr, RuntimeDep
from casebook.domain.access import Actor
from casebook.domain.errors import CasebookError, NotFound
from casebook.domain.permissions import can, require
from casebook.runtime import Runtime
from casebook.services import audit, invitations, tenants, tokens, users
from casebook.web.context import page_context
from casebook.web.session import sign_in
from casebook.web.site import site_url

TABS = (("members", "Members"), ("tokens", "API tokens"), ("audit", "Audit log"), ("search", "Search index"))
ADMIN_TABS = ("audit", "search")


def _tenant_id(actor: Actor, tenant: str) -> int:
    for tenant_id, slug in actor.tenant_slugs.items():
        if slug == tenant:
            return tenant_id
    raise NotFound("organisation not found")


def _login(path: str) -> Redirect:
    return Redirect(path=f"/login?next={quote(path)}", status_code=303)


def _page(actor: Actor, tenant: str, tab: str, status: int = 200, **extra: Any) -> Template:
    tenant_id = _tenant_id(actor, tenant)
    return Template(f"admin/{tab}.html", status_code=status, context=page_context(
        actor, tenant=tenant, tab=tab, tabs=TABS, admin_tabs=ADMIN_TABS, admin=can(actor, "member.manage", tenant_id),
        role=actor.role_in(tenant_id), **extra))


@get("/admin", name="admin")
async def admin_home(actor: ActorDep) -> Redirect:
    if not actor.authenticated:
        return _login("/admin")
    slug = actor.tenant_slugs.get(actor.active_tenant or 0)
    if slug is None:
        raise NotFound("you are not a member of any organisation yet; ask an admin for an invitation")
    return Redirect(path=f"/admin/{slug}/members", status_code=303)


async def _members_page(actor: Actor, tenant: str, status: int = 200, **extra: Any) -> Template:
    tenant_id = _tenant_id(actor, tenant)
    pending = await invitations.list_invitations(actor, tenant_id) if can(actor, "member.manage", tenant_id) else []
    return _page(actor, tenant, "members", status, members=await tenants.members(actor, tenant_id),
                 invitations=pending, **extra)


@get("/admin/{tenant:str}/members", name="admin-members")
async def members_page(actor: ActorDep, tenant: PathStr) -> Template | Redirect:
    if not actor.authenticated:
        return _login(f"/admin/{tenant}/members")
    return await _members_page(actor, tenant)


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


async def _then(actor: Actor, tenant: str, work: Awaitable[Any], page: Callable[..., Awaitable[Template]],
                back: str) -> Template | Redirect:
    """Runs a change; back to the page on success, the same page with the error otherwise."""
    try:
        await work
    except CasebookError as exc:
        return await page(actor, tenant, exc.status_code, error=exc.message)
    return Redirect(path=f"/admin/{tenant}/{back}", status_code=303)


@post("/admin/{tenant:str}/members/{user_id:int}/role")
async def change_role(request: Request, actor: ActorDep, tenant: PathStr, user_id: PathInt) -> Template | Redirect:
    role = (await _form(request)).get("role", "")
    return await _then(actor, tenant, tenants.set_membership(_tenant_id(actor, tenant), user_id, role, actor=actor),
                       _members_page, "members")


@post("/admin/{tenant:str}/members/{user_id:int}/remove")
async def remove_member(actor: ActorDep, tenant: PathStr, user_id: PathInt) -> Template | Redirect:
    return await _then(actor, tenant, tenants.remove_member(actor, _tenant_id(actor, tenant), user_id),
                       _members_page, "members")


@post("/admin/{tenant:str}/invitations")
async def invite(request: Request, actor: ActorDep, tenant: PathStr) -> Template:
    form = await _form(request)
    try:
        days = int(form.get("days") or 7)
    except ValueError:
        days = 0
    try:
        created = await invitations.create_invitation(actor, _tenant_id(actor, tenant), form.get("role", ""),
                                                      form.get("email"), days)
    except CasebookError as exc:
        return await _members_page(actor, tenant, exc.status_code, error=exc.message, invite_form=form)
    link = site_url(request) + f"/join/{created['token']}"
    return await _members_page(actor, tenant, 201, new_invitation={**created, "link": link})


@post("/admin/{tenant:str}/invitations/{invitation_id:int}/revoke")
async def revoke_invitation(actor: ActorDep, tenant: PathStr, invitation_id: PathInt) -> Template | Redirect:
    return await _then(actor, tenant, invitations.revoke_invitation(actor, _tenant_id(actor, tenant), invitation_id),
                       _members_page, "members")


async def _tokens_page(actor: Actor, tenant: str, status: int = 200, **extra: Any) -> Template:
    return _page(actor, tenant, "tokens", status, tokens=await tokens.list_tokens(actor, _tenant_id(actor, tenant)),
                 **extra)


@get("/admin/{tenant:str}/tokens", name="admin-tokens")
async def tokens_page(actor: ActorDep, tenant: PathStr) -> Template | Redirect:
    if not actor.authenticated:
        return _login(f"/admin/{tenant}/tokens")
    return await _tokens_page(actor, tenant)


@post("/admin/{tenant:str}/tokens")
async def create_token(request: Request, actor: ActorDep, tenant: PathStr) -> Template:
    form = await _form(request)
    try:
        created = await tokens.create_token(actor.user_id or 0, _tenant_id(actor, tenant), form.get("name", ""),
                                            actor=actor)
    except CasebookError as exc:
        return await _tokens_page(actor, tenant, exc.status_code, error=exc.message, name=form.get("name", ""))
    return await _tokens_page(actor, tenant, 201, new_token=created)


@post("/admin/{tenant:str}/tokens/{token_id:int}/revoke")
async def revoke_token(actor: ActorDep, tenant: PathStr, token_id: PathInt) -> Template | Redirect:
    return await _then(actor, tenant, tokens.revoke_token(actor, _tenant_id(actor, tenant), token_id),
                       _tokens_page, "tokens")


@get("/admin/{tenant:str}/audit", name="admin-audit")
async def audit_page(actor: ActorDep, tenant: PathStr) -> Template | Redirect:
    if not actor.authenticated:
        return _login(f"/admin/{tenant}/audit")
    events = await audit.events(actor, _tenant_id(actor, tenant), limit=200)
    return _page(actor, tenant, "audit", events=events)


def _admin_of(actor: Actor, tenant: str) -> int:
    tenant_id = _tenant_id(actor, tenant)
    require(actor, "search.reindex", tenant_id)
    return tenant_id


@get("/admin/{tenant:str}/search", name="admin-search")
async def search_page(actor: ActorDep, runtime: RuntimeDep, tenant: PathStr) -> Template | Redirect:
    if not actor.authenticated:
        return _login(f"/admin/{tenant}/search")
    _admin_of(actor, tenant)
    return _page(actor, tenant, "search", job=runtime.reindex.status())


def _status(actor: Actor, runtime: Runtime, tenant: str) -> Template:
    return Template("admin/search_status.html",
                    context=page_context(actor, tenant=tenant, job=runtime.reindex.status()))


@get("/admin/{tenant:str}/search/status", name="admin-search-status")
async def search_status(actor: ActorDep, runtime: RuntimeDep, tenant: PathStr) -> Template:
    """The progress fragment htmx polls while a rebuild runs."""
    _admin_of(actor, tenant)
    return _status(actor, runtime, tenant)


@post("/admin/{tenant:str}/search/reindex", name="admin-search-reindex")
async def search_reindex(request: Request, actor: ActorDep, runtime: RuntimeDep,
                         tenant: PathStr) -> Template | Redirect:
    """Starts the rebuild and answers at once: the fragment for htmx, the page for a plain form."""
    await runtime.reindex.start(actor, _admin_of(actor, tenant))
    if request.headers.get("hx-request"):
        return _status(actor, runtime, tenant)
    return Redirect(path=f"/admin/{tenant}/search", status_code=303)


@get("/join/{token:str}", name="join")
async def join_page(actor: ActorDep, token: PathStr) -> Template:
    invitation = await invitations.open_invitation(token)
    return Template("admin/join.html", context=page_context(actor, invitation=invitation, token=token,
                                                            error=None, form={}))


@post("/join/{token:str}")
async def join(request: Request, actor: ActorDep, token: PathStr) -> Template | Redirect:
    """Signed in: accept. Otherwise create the account from the form, then accept and sign in."""
    invitation = await invitations.open_invitation(token)
    form = await _form(request)
    try:
        user_id = actor.user_id
        if user_id is None:
            email = invitation["email"] or form.get("email", "")
            user_id = (await users.create_user(email, form.get("name", ""), form.get("password", "")))["id"]
        joined = await invitations.accept_invitation(token, user_id)
    except CasebookError as exc:
        return Template("admin/join.html", status_code=exc.status_code, context=page_context(
            actor, invitation=invitation, token=token, error=exc.message, form=form))
    await sign_in(request, user_id, joined["tenant_id"])
    return Redirect(path="/", status_code=303)


PAGES = [admin_home, members_page, change_role, remove_member, invite, revoke_invitation, tokens_page,
         create_token, revoke_token, audit_page, search_page, search_status, search_reindex, join_page, join]
