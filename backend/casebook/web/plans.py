"""The plan wizard and plan pages: choose a template, describe the target, generate; list, read, tick, edit,
delete.

Every page calls services.plans with the session actor, so plans stay private to their organisation
(another one gets the same 404 as for a plan that does not exist). Downloads live under /plans/{id}.pdf
and .json because the API's routes want a bearer token. Ticks and text edits post to one route that
answers JSON to the page's script (409 with a message on a stale version) and redirects plain forms.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response, get, post
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, PathInt, PathStr, RuntimeDep
from casebook.domain.access import Actor
from casebook.domain.errors import CasebookError, Conflict, Forbidden, InvalidInput, NotFound, Problem
from casebook.domain.numbers import parse_int
from casebook.domain.permissions import can
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.services import case_picker, contexts, plans
from casebook.web.context import page_context
from casebook.web.forms import field_errors, form_version

TEXT_KEYS = ("title", "country", "locality", "summary", "goals")
TARGET_CSV = ("sectors", "population_groups", "scenarios")
FORM_KEYS = {*TEXT_KEYS, *TARGET_CSV, "context", "partners"}
MESSAGES = {"regenerated": "Re-generated from the current library; your edits and ticks were kept.",
            "conflict": "Someone else changed this plan meanwhile; this is the current version. Try again.",
            "deleted": "The plan and its history were deleted."}


def _login(path: str) -> Redirect:
    return Redirect(path=f"/login?next={quote(path)}", status_code=303)


def _csv(value: str) -> list[str]:
    return [p.strip() for p in value.replace("\n", ",").split(",") if p.strip()]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def form_to_target(form: dict[str, str]) -> dict[str, Any]:
    """A target context from the wizard's fields, leaving out empty ones (the validator names what is missing)."""
    target: dict[str, Any] = {}
    for key in TEXT_KEYS:
        value = (form.get(key) or "").strip()
        if value:
            target[key] = value.upper() if key == "country" else value
    for key in TARGET_CSV:
        if _csv(form.get(key) or ""):
            target[key] = _csv(form[key])
    context: dict[str, Any] = {k: form[f"context.{k}"] for k in CONTEXT_SCALES if form.get(f"context.{k}")}
    if _lines(form.get("context.policy_frameworks") or ""):
        context["policy_frameworks"] = _lines(form["context.policy_frameworks"])
    if context:
        target["context"] = context
    partners = []
    for line in _lines(form.get("partners") or ""):
        name, _, kind = line.rpartition(":")
        partners.append({"name": name.strip(), "type": kind.strip()} if name.strip() else {"name": kind.strip()})
    if partners:
        target["partners"] = partners
    try:
        carried = json.loads(form.get("carry") or "{}")
    except ValueError:
        carried = {}
    if isinstance(carried, dict):
        target.update({k: v for k, v in carried.items() if k not in FORM_KEYS})
    return target


def target_to_form(target: Any) -> dict[str, str]:
    """The wizard's fields from a target context (the `from` link of find-comparable); junk gives an empty form."""
    if not isinstance(target, dict):
        return {}
    form: dict[str, str] = {}
    for key in TEXT_KEYS:
        if isinstance(target.get(key), str):
            form[key] = target[key]
    for key in TARGET_CSV:
        if isinstance(target.get(key), list):
            form[key] = ", ".join(str(v) for v in target[key])
    context = target.get("context") if isinstance(target.get("context"), dict) else {}
    for key, values in CONTEXT_SCALES.items():
        if context.get(key) in values:
            form[f"context.{key}"] = context[key]
    if isinstance(context.get("policy_frameworks"), list):
        form["context.policy_frameworks"] = "\n".join(str(v) for v in context["policy_frameworks"])
    partners = [p for p in target.get("partners") or [] if isinstance(p, dict) and p.get("name")] \
        if isinstance(target.get("partners"), list) else []
    if partners:
        form["partners"] = "\n".join(f"{p['name']}: {p.get('type', '')}".rstrip(": ") for p in partners)
    carried = {k: v for k, v in target.items() if k not in FORM_KEYS}
    if carried:  # keys the form has no field for (SDGs, human security...) travel on unchanged
        form["carry"] = json.dumps(carried, sort_keys=True)
    return form


def _from_param(raw: str | None) -> dict[str, str]:
    try:
        return target_to_form(json.loads(raw)) if raw else {}
    except ValueError:
        return {}


async def _wizard(actor: Actor, form: dict[str, str], template: str, status: int = 200,
                  problems: list[Problem] | None = None, source: str = "") -> Template:
    errors, general = field_errors(problems or [], prefix="target")
    for name in list(errors):
        for group in ("template", "partners"):
            if name.startswith(group) and name != group:
                errors.setdefault(group, []).extend(errors.pop(name))
    return Template("plans/new.html", status_code=status, context=page_context(
        actor, form=form, template=template, source=source, choices=[], errors=errors, general=general,  # a picker
        scales=CONTEXT_SCALES, saved_contexts=await contexts.list_contexts(actor)))


@get("/plans", name="plans")
async def plan_list(request: Request, actor: ActorDep) -> Template | Redirect:
    if not actor.authenticated:
        return _login("/plans")
    listed = await plans.list_plans(actor)
    return Template("plans/list.html", context=page_context(
        actor, plans=listed["items"], message=MESSAGES.get(request.query_params.get("said") or "")))


@get("/plans/new", name="plan-new")
async def plan_new(request: Request, actor: ActorDep) -> Template | Redirect:
    if not actor.authenticated:
        return _login(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""))
    saved = (request.query_params.get("saved") or "").strip()
    if saved:  # a saved context of the actor's organisation; another's is a 404
        form = target_to_form((await contexts.get_context(actor, parse_int(saved) or 0))["context"])
    else:
        form = _from_param(request.query_params.get("from"))
    return await _wizard(actor, form, request.query_params.get("template") or "",
                         source=request.query_params.get("source") or "")


@post("/plans/new", name="plan-create")
async def plan_create(request: Request, actor: ActorDep, runtime: RuntimeDep) -> Template | Redirect:
    if not actor.authenticated:
        return _login("/plans/new")
    form = {k: str(v) for k, v in (await request.form()).items()}
    template, source = form.get("template", "").strip(), form.get("source", "")
    if template.count("/") != 1 or " " in template:  # typed into the plain field: a title, a few words, a slug
        picked = await case_picker.resolve(actor, template, runtime.search)
        if picked.ref is None:
            listed = "; ".join(f"{c['title']} ({c['ref']})" for c in picked.candidates)
            problem = Problem(f"{picked.message}{': ' + listed if listed else ''}", field="template")
            return await _wizard(actor, form, template, 400, [problem], source)
        template = picked.ref
    try:
        plan = await plans.create_plan(actor, template, form_to_target(form), form.get("tenant") or None,
                                       source or None, index=runtime.matcher)
    except InvalidInput as exc:
        return await _wizard(actor, form, template, 400, exc.problems, source)
    except Forbidden as exc:
        return await _wizard(actor, form, template, 403, [Problem(exc.message, field="template")], source)
    return Redirect(path=f"/plans/{plan['id']}", status_code=303)


def _plan_id(ref: str, suffixes: tuple[str, ...]) -> tuple[int, str]:
    number, _, fmt = ref.partition(".")
    plan_id = parse_int(number)
    if plan_id is None or fmt not in suffixes:
        raise NotFound("plan not found")
    return plan_id, fmt


def _lines_done(plan: dict[str, Any]) -> tuple[int, int]:
    tasks = [t for m in plan["steps"] for s in m["steps"] for t in s["tasks"]]
    return sum(bool(t["done"]) for t in tasks), len(tasks)


@get("/plans/{ref:str}", name="plan")
async def plan_page(request: Request, actor: ActorDep, ref: PathStr) -> Template | Response | Redirect:
    plan_id, fmt = _plan_id(ref, ("", "pdf", "json", "docx"))
    if not actor.authenticated:
        return _login(f"/plans/{ref}")
    if fmt in plans.DOWNLOADS:
        body = await plans.render(actor, plan_id, fmt)
        return Response(content=body, media_type=plans.DOWNLOADS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.{fmt}"'})
    plan = await plans.get_plan(actor, plan_id)
    if fmt == "json":
        return Response(content=plan, media_type=MediaType.JSON,
                        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.json"'})
    done, total = _lines_done(plan)
    evidence = {e["id"]: (n, e) for n, e in enumerate(plan["evidence"], start=1)}
    writable = can(actor, "plan.edit", plan)
    return Template("plans/plan.html", context=page_context(
        actor, plan=plan, evidence=evidence, done=done, total=total, writable=writable,
        owners=plans.work_by_owner(plan),
        message=MESSAGES.get(request.query_params.get("said") or "")))


def _wants_json(request: Request) -> bool:
    return "application/json" in (request.headers.get("accept") or "")


@post("/plans/{plan_id:int}/edit", name="plan-edit", status_code=200)
async def plan_edit(request: Request, actor: ActorDep, plan_id: PathInt) -> Response | Redirect:
    """One line's field: `line`, `field` (done | text | note), `value`, `version` (optimistic)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    field = form.get("field", "")
    value: Any = form.get("value", "")
    if field == "done":
        value = value in ("true", "on", "1")
    elif field in ("text", "note"):
        value = value.strip() or None  # empty: back to the generated text
    version = form_version(form)
    try:
        plan = await plans.edit_plan(actor, plan_id, {form.get("line", ""): {field: value}}, version)
    except CasebookError as exc:
        if not _wants_json(request) or isinstance(exc, NotFound):
            raise
        problems = [{"field": p.field, "message": p.message} for p in getattr(exc, "problems", [])]
        return Response(content={"error": exc.message, "problems": problems}, status_code=exc.status_code,
                        media_type=MediaType.JSON)
    if _wants_json(request):
        done, total = _lines_done(plan)
        return Response(content={"version": plan["version"], "done": done, "total": total},
                        media_type=MediaType.JSON)
    return Redirect(path=f"/plans/{plan_id}#line-{form.get('line', '')}", status_code=303)


async def _versioned(request: Request, plan_id: int, change: Callable[[int | None], Awaitable[Any]],
                     done: str) -> Redirect:
    """Runs a whole-plan change with the form's version; a stale version goes back to the (changed) plan."""
    version = form_version(await request.form())
    try:
        await change(version)
    except Conflict:
        return Redirect(path=f"/plans/{plan_id}?said=conflict", status_code=303)
    return Redirect(path=done, status_code=303)


@post("/plans/{plan_id:int}/regenerate", name="plan-regenerate")
async def plan_regenerate(request: Request, actor: ActorDep, runtime: RuntimeDep, plan_id: PathInt) -> Redirect:
    return await _versioned(request, plan_id, lambda v: plans.regenerate_plan(actor, plan_id, v, index=runtime.matcher),
                            f"/plans/{plan_id}?said=regenerated")


@post("/plans/{plan_id:int}/delete", name="plan-delete")
async def plan_delete(request: Request, actor: ActorDep, plan_id: PathInt) -> Redirect:
    """The page's confirmed delete (the confirmation is the page's second button)."""
    return await _versioned(request, plan_id, lambda v: plans.delete_plan(actor, plan_id, v), "/plans?said=deleted")


PAGES = [plan_list, plan_new, plan_create, plan_page, plan_edit, plan_regenerate, plan_delete]
