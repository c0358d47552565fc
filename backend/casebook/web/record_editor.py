"""The editor pages every record kind shares (new, create, edit, save), written once; each kind gives its
services, its form reader and its own template context (see `RecordEditor`).

A failed save re-renders the form with what the user typed and each problem beside its field. A stale
save (someone else saved first) re-renders it with both versions side by side: the form keeps the
user's edit, now based on the stored version, so saving again re-applies it deliberately.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, PathStr
from casebook.domain.access import Actor
from casebook.domain.errors import Conflict, Forbidden, InvalidInput, Problem
from casebook.domain.permissions import can
from casebook.web.context import page_context
from casebook.web.forms import form_version


def writable_tenants(actor: Actor) -> list[tuple[int, str]]:
    """The organisations the actor may create records in: the choices of an organisation picker."""
    return sorted((t, s) for t, s in actor.tenant_slugs.items() if can(actor, "record.create", t))


def signed_in_or_redirect(actor: Actor, path: str) -> Redirect | None:
    return None if actor.authenticated else Redirect(path=f"/login?next={quote(path)}", status_code=303)


@dataclass(frozen=True)
class RecordEditor:
    noun: str  # "case" | "lesson": the document's key in API views, messages, form id
    path: str  # URL segment: /{path}/{tenant}/{slug}
    template: str
    home: tuple[str, str]  # (url, label) of the list the crumbs start from
    visibility_hint: str
    create: Callable[[Actor, str, Any, str], Awaitable[dict[str, Any]]]
    update: Callable[[Actor, str, str, Any, int | None, str | None], Awaitable[dict[str, Any]]]
    get: Callable[[Actor, str, str], Awaitable[dict[str, Any]]]
    from_form: Callable[[Any], dict[str, Any]]
    field_errors: Callable[[list[Problem]], tuple[dict[str, list[str]], list[str]]]
    # The kind's own template context for a document (and the stored version it conflicts with).
    extra: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]
    may_not_create: str  # the 403 for an actor who writes in no organisation
    anchor_groups: tuple[str, ...] = ()  # error links point at `group-<name>` for these fields
    # On save: what the form has no field for, kept from the stored document (new, stored) -> document.
    keep_stored: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None

    def render(self, actor: Actor, doc: dict[str, Any], *, mode: str, status: int = 200, item: dict | None = None,
               problems: list[Problem] | None = None, version: int | None = None, visibility: str = "private",
               tenant: str | None = None, conflict: dict | None = None) -> Template:
        errors, general = self.field_errors(problems or [])
        return Template(self.template, status_code=status, context=page_context(
            actor, doc=doc, noun=self.noun, path=self.path, home=self.home, visibility_hint=self.visibility_hint,
            anchor_groups=self.anchor_groups, mode=mode, item=item, errors=errors, general=general,
            version=version, visibility=visibility, tenant=tenant, tenants=writable_tenants(actor),
            conflict=conflict, **self.extra(doc, conflict)))

    def problems(self, exc: InvalidInput | Conflict | Forbidden) -> list[Problem]:
        if isinstance(exc, InvalidInput):
            return exc.problems
        return [Problem(exc.message, field=f"{self.noun}.slug" if isinstance(exc, Conflict) else "visibility")]

    def new_page(self, actor: Actor, start: dict[str, Any], path: str) -> Template | Redirect:
        if redirect := signed_in_or_redirect(actor, path):
            return redirect
        if not can(actor, "record.create"):
            raise Forbidden(self.may_not_create)
        active = actor.tenant_slugs.get(actor.active_tenant or 0)
        return self.render(actor, start, mode="new", tenant=active if can(actor, "record.create", active) else None)

    async def create_from(self, request: Request, actor: Actor) -> Template | Redirect:
        form = await request.form()
        data = self.from_form(form)
        tenant, visibility = str(form.get("tenant") or ""), str(form.get("visibility") or "private")
        try:
            if not can(actor, "record.create", tenant):
                raise InvalidInput(Problem("choose an organisation you can edit for", field="tenant"))
            created = await self.create(actor, tenant, data, visibility)
        except (InvalidInput, Conflict, Forbidden) as exc:
            return self.render(actor, data, mode="new", status=exc.status_code, problems=self.problems(exc),
                               visibility=visibility, tenant=tenant)
        return Redirect(path=f"/{self.path}/{created['tenant']}/{created['slug']}", status_code=303)

    async def edit_page(self, actor: Actor, tenant: str, slug: str) -> Template | Redirect:
        if redirect := signed_in_or_redirect(actor, f"/{self.path}/{quote(tenant)}/{quote(slug)}/edit"):
            return redirect
        item = await self.get(actor, tenant, slug)  # 404 first, so a private record's existence never leaks
        if not can(actor, "record.edit", item):
            raise Forbidden(f"your role does not allow changing this {self.noun}")
        return self.render(actor, item[self.noun], mode="edit", item=item, version=item["version"],
                           visibility=item["visibility"], tenant=tenant)

    async def save_from(self, request: Request, actor: Actor, tenant: str, slug: str) -> Template | Redirect:
        form = await request.form()
        data = self.from_form(form)
        if self.keep_stored is not None:
            data = self.keep_stored(data, (await self.get(actor, tenant, slug))[self.noun])
        data["slug"] = slug
        visibility = str(form.get("visibility") or "") or None
        version = form_version(form)
        try:
            await self.update(actor, tenant, slug, data, version, visibility)
        except Conflict as exc:
            if exc.current is None:
                raise
            current = exc.current
            return self.render(actor, data, mode="edit", status=409, item=current, version=current["version"],
                               visibility=visibility or current["visibility"], tenant=tenant, conflict=current)
        except (InvalidInput, Forbidden) as exc:
            item = await self.get(actor, tenant, slug)
            return self.render(actor, data, mode="edit", status=exc.status_code, item=item, version=version,
                               visibility=visibility or item["visibility"], tenant=tenant,
                               problems=self.problems(exc))
        return Redirect(path=f"/{self.path}/{tenant}/{slug}", status_code=303)

    def edit_routes(self) -> list[HTTPRouteHandler]:
        """GET and POST /{path}/{tenant}/{slug}/edit, the edit page and its save."""
        editor = self

        @get(f"/{self.path}/{{tenant:str}}/{{slug:str}}/edit", name=f"{self.noun}-edit")
        async def edit(actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template | Redirect:
            return await editor.edit_page(actor, tenant, slug)

        @post(f"/{self.path}/{{tenant:str}}/{{slug:str}}/edit")
        async def save(request: Request, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template | Redirect:
            return await editor.save_from(request, actor, tenant, slug)

        return [edit, save]
