"""The case editor (create, edit, resolve a conflict) and YAML import, as pages. Services do the work.

A failed save re-renders the form with what the user typed and each problem beside its field. A
stale save (someone else saved first) re-renders it with both versions side by side: the form keeps
the user's edit, now based on the stored version, so saving again re-applies it deliberately.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import anyio
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, PathStr
from casebook.domain import casediff
from casebook.domain.access import Actor, can_write
from casebook.domain.casefile import load_case_text
from casebook.domain.errors import Conflict, Forbidden, InvalidInput, Problem
from casebook.domain.vocabulary import VISIBILITIES
from casebook.services import cases, library
from casebook.web import forms
from casebook.web.context import page_context

MAX_UPLOAD = 1_000_000  # bytes per file; a case file is a few kilobytes


def writable_tenants(actor: Actor) -> list[tuple[int, str]]:
    return sorted((t, s) for t, s in actor.tenant_slugs.items() if can_write(actor, t))


def writes_in(actor: Actor, tenant_slug: str | None) -> bool:
    """Whether the actor may create and edit records of this organisation (editor or admin)."""
    return tenant_slug in dict(writable_tenants(actor)).values()


def signed_in_or_redirect(actor: Actor, path: str) -> Redirect | None:
    return None if actor.authenticated else Redirect(path=f"/login?next={quote(path)}", status_code=303)


def _editor(actor: Actor, c: dict[str, Any], *, mode: str, status: int = 200, item: dict | None = None,
            problems: list[Problem] | None = None, version: int | None = None, visibility: str = "private",
            tenant: str | None = None, conflict: dict | None = None) -> Template:
    errors, general = forms.field_errors(problems or [])
    changes = casediff.by_section(casediff.diff_cases(conflict["case"], c)) if conflict else []
    return Template("editor/edit.html", status_code=status, context=page_context(
        actor, c=c, mode=mode, item=item, errors=errors, general=general, version=version,
        visibility=visibility, tenant=tenant, tenants=writable_tenants(actor), conflict=conflict, changes=changes,
        field_id=forms.field_id, groups=forms.GROUPS))


@get("/cases/new", name="case-new")
async def new_case(actor: ActorDep) -> Template | Redirect:
    if redirect := signed_in_or_redirect(actor, "/cases/new"):
        return redirect
    if not writable_tenants(actor):
        raise Forbidden("creating cases needs the editor or admin role in an organisation")
    active = actor.tenant_slugs.get(actor.active_tenant or 0)
    return _editor(actor, {"status": "active", "sources": [{}], "partners": [{}]}, mode="new",
                   tenant=active if writes_in(actor, active) else None)


@post("/cases/new")
async def create(request: Request, actor: ActorDep) -> Template | Redirect:
    form = await request.form()
    data = forms.form_to_case(form)
    tenant, visibility = str(form.get("tenant") or ""), str(form.get("visibility") or "private")
    try:
        if not writes_in(actor, tenant):
            raise InvalidInput(Problem("choose an organisation you can edit for", field="tenant"))
        created = await cases.create_case(actor, tenant, data, visibility)
    except (InvalidInput, Conflict, Forbidden) as exc:
        return _editor(actor, data, mode="new", status=exc.status_code, problems=_problems(exc),
                       visibility=visibility, tenant=tenant)
    return Redirect(path=f"/cases/{created['tenant']}/{created['slug']}", status_code=303)


def _problems(exc: InvalidInput | Conflict | Forbidden) -> list[Problem]:
    if isinstance(exc, InvalidInput):
        return exc.problems
    field = "case.slug" if isinstance(exc, Conflict) else "visibility"
    return [Problem(exc.message, field=field)]


@get("/cases/{tenant:str}/{slug:str}/edit", name="case-edit")
async def edit_case(actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template | Redirect:
    if redirect := signed_in_or_redirect(actor, f"/cases/{tenant}/{slug}/edit"):
        return redirect
    item = await cases.get_case(actor, tenant, slug)  # 404 first, so a private case's existence never leaks
    if not writes_in(actor, tenant):
        raise Forbidden("your role does not allow changing this case")
    return _editor(actor, item["case"], mode="edit", item=item, version=item["version"],
                   visibility=item["visibility"], tenant=tenant)


@post("/cases/{tenant:str}/{slug:str}/edit")
async def save_case(request: Request, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template | Redirect:
    form = await request.form()
    data = forms.keep_unshown(forms.form_to_case(form), (await cases.get_case(actor, tenant, slug))["case"])
    data["slug"] = slug
    visibility = str(form.get("visibility") or "") or None
    version = forms.form_version(form)
    try:
        await cases.update_case(actor, tenant, slug, data, version, visibility)
    except Conflict as exc:
        if exc.current is None:
            raise
        current = exc.current
        return _editor(actor, data, mode="edit", status=409, item=current, version=current["version"],
                       visibility=visibility or current["visibility"], tenant=tenant, conflict=current)
    except (InvalidInput, Forbidden) as exc:
        item = await cases.get_case(actor, tenant, slug)
        return _editor(actor, data, mode="edit", status=exc.status_code, item=item, version=version,
                       visibility=visibility or item["visibility"], tenant=tenant, problems=_problems(exc))
    return Redirect(path=f"/cases/{tenant}/{slug}", status_code=303)


def _import_page(actor: Actor, status: int = 200, **extra: Any) -> Template:
    context = {"files": [], "general": [], "result": None, "visibility": "private", "replace": False,
               "tenant": actor.tenant_slugs.get(actor.active_tenant or 0), **extra}
    return Template("editor/import.html", status_code=status,
                    context=page_context(actor, tenants=writable_tenants(actor), **context))


@get("/import", name="import")
async def import_form(actor: ActorDep) -> Template | Redirect:
    if redirect := signed_in_or_redirect(actor, "/import"):
        return redirect
    if not writable_tenants(actor):
        raise Forbidden("importing cases needs the editor or admin role in an organisation")
    return _import_page(actor)


async def _read_upload(upload: UploadFile) -> tuple[dict[str, Any] | None, list[Problem]]:
    name = upload.filename or "upload.yaml"
    raw = await upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return None, [Problem(f"the file is larger than {MAX_UPLOAD // 1000} kB", file=name)]
    try:
        # Parsing is CPU work: off the event loop, so one large file never stalls other requests.
        return await anyio.to_thread.run_sync(load_case_text, raw.decode("utf-8"), name), []
    except UnicodeDecodeError:
        return None, [Problem("the file is not UTF-8 text", file=name)]
    except InvalidInput as exc:
        return None, sorted(exc.problems, key=lambda p: (p.line or 0, p.field or ""))


@post("/import")
async def import_files(request: Request, actor: ActorDep) -> Template | Redirect:
    """All files or none: every file is checked first; problems are listed per file and field."""
    form = await request.form()
    tenant, visibility = str(form.get("tenant") or ""), str(form.get("visibility") or "private")
    replace = form.get("replace") == "yes"
    uploads = [f for f in form.getall("files", []) if isinstance(f, UploadFile) and f.filename]
    keep = {"tenant": tenant, "visibility": visibility, "replace": replace}
    if not uploads:
        return _import_page(actor, 400, general=["choose one or more .yaml case files"], **keep)
    files, documents = [], []
    for upload in uploads:
        data, problems = await _read_upload(upload)
        files.append({"name": upload.filename, "problems": problems, "slug": data["slug"] if data else None})
        if data is not None:
            documents.append((upload.filename, data))
    general: list[str] = []
    if not writes_in(actor, tenant):
        general.append("choose an organisation you can edit for")
    if visibility not in VISIBILITIES:
        general.append(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if general or any(f["problems"] for f in files):
        return _import_page(actor, 400, files=files, general=general, **keep)
    try:
        result = await library.import_documents(actor, tenant, documents, visibility, replace=replace)
    except (InvalidInput, Forbidden) as exc:
        by_file: dict[str | None, list[Problem]] = {}
        for problem in _problems(exc):
            problem.message = problem.message.replace("use --replace", "tick 'Replace cases that exist'")
            by_file.setdefault(problem.file, []).append(problem)
        for f in files:
            f["problems"] = by_file.pop(f["name"], [])
        general = [p.message for ps in by_file.values() for p in ps]
        return _import_page(actor, exc.status_code, files=files, general=general, **keep)
    return _import_page(actor, files=files, result=result, **keep)


PAGES = [new_case, create, edit_case, save_case, import_form, import_files]
