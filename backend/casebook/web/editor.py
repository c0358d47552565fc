"""The case editor (create, edit, resolve a conflict: casebook.web.record_editor) and YAML import, as pages.
Services do the work."""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep
from casebook.domain import casediff
from casebook.domain.access import Actor
from casebook.domain.casefile import load_case_text
from casebook.domain.errors import Forbidden, InvalidInput, Problem
from casebook.domain.permissions import can
from casebook.domain.vocabulary import VISIBILITIES
from casebook.services import cases, library
from casebook.web import forms
from casebook.web.context import page_context
from casebook.web.record_editor import RecordEditor, signed_in_or_redirect, writable_tenants

__all__ = ["signed_in_or_redirect", "writable_tenants"]

MAX_UPLOAD = 1_000_000  # bytes per file; a case file is a few kilobytes


def _case_extra(c: dict[str, Any], conflict: dict | None) -> dict[str, Any]:
    changes = casediff.by_section(casediff.diff_cases(conflict["case"], c)) if conflict else []
    return {"c": c, "changes": changes, "field_id": forms.field_id, "groups": forms.GROUPS}


EDITOR = RecordEditor(
    noun="case", path="cases", template="editor/edit.html", home=("/", "Library"),
    visibility_hint="Who may read it once approved. Saving leaves a draft: submit it for review from the case page "
                    "(network: a network admin approves; public: an admin of the organisation). Until then others "
                    "keep seeing the last published version.",
    create=cases.create_case, update=cases.update_case, get=cases.get_case, from_form=forms.form_to_case,
    field_errors=forms.field_errors, extra=_case_extra,
    may_not_create="creating cases needs the editor or admin role in an organisation",
    anchor_groups=(*forms.GROUPS, "lessons"), keep_stored=forms.keep_unshown,
)
_problems = EDITOR.problems


@get("/cases/new", name="case-new")
async def new_case(actor: ActorDep) -> Template | Redirect:
    return EDITOR.new_page(actor, {"status": "active", "sources": [{}], "partners": [{}]}, "/cases/new")


@post("/cases/new")
async def create(request: Request, actor: ActorDep) -> Template | Redirect:
    return await EDITOR.create_from(request, actor)


def _import_page(actor: Actor, status: int = 200, **extra: Any) -> Template:
    context = {"files": [], "general": [], "result": None, "visibility": "private", "replace": False,
               "tenant": actor.tenant_slugs.get(actor.active_tenant or 0), **extra}
    return Template("editor/import.html", status_code=status,
                    context=page_context(actor, tenants=writable_tenants(actor), **context))


@get("/import", name="import")
async def import_form(actor: ActorDep) -> Template | Redirect:
    if redirect := signed_in_or_redirect(actor, "/import"):
        return redirect
    if not can(actor, "record.import"):
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
    if not can(actor, "record.import", tenant):
        general.append("choose an organisation you can edit for")
    if visibility not in VISIBILITIES:
        general.append(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if general or any(f["problems"] for f in files):
        return _import_page(actor, 400, files=files, general=general, **keep)
    try:
        result = await library.import_documents(actor, tenant, documents, visibility, replace=replace)
    except (InvalidInput, Forbidden) as exc:
        by_file: dict[str | None, list[Problem]] = {}
        slugs = {f["name"]: f["slug"] for f in files}
        for problem in _problems(exc):
            if problem.code == "slug_exists":  # the service's hint names the CLI's flag; this page has a box
                problem.message = (f"a case with slug {slugs.get(problem.file)!r} already exists in {tenant} "
                                   "(tick 'Replace cases that exist' to update it)")
            by_file.setdefault(problem.file, []).append(problem)
        for f in files:
            f["problems"] = by_file.pop(f["name"], [])
        general = [p.message for ps in by_file.values() for p in ps]
        return _import_page(actor, exc.status_code, files=files, general=general, **keep)
    return _import_page(actor, files=files, result=result, **keep)


PAGES = [new_case, create, *EDITOR.edit_routes(), import_form, import_files]
