"""Lesson pages: the list with filters, one page per lesson, the editor with a live Markdown preview, the
publishing buttons, and the list of lessons linked to a case (loaded into the case page by htmx).

The editor pages are the shared ones of casebook.web.record_editor, configured for lessons.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Template
from markupsafe import Markup

from casebook.api.params import ActorDep, OptQueryStr, PathStr, QueryStr
from casebook.domain.access import Actor
from casebook.domain.errors import Conflict, Forbidden, InvalidInput, Problem
from casebook.domain.lessonfile import MAX_BODY
from casebook.domain.markdown import render
from casebook.domain.numbers import is_digits
from casebook.domain.permissions import can
from casebook.services import lessons, publishing
from casebook.web.context import page_context
from casebook.web.forms import field_id, form_version
from casebook.web.record_editor import RecordEditor

PER_PAGE = 20
LIST_FIELDS = ("tags", "msp_steps", "dimensions", "cases", "sources")


def form_to_lesson(form: Any) -> dict[str, Any]:
    """A lesson document from the form; lists are typed comma- or line-separated, steps and dimensions ticked."""
    def one(name: str) -> str:
        values = form.getall(name, [])
        return str(values[-1]).replace("\r\n", "\n").strip() if values else ""

    data: dict[str, Any] = {k: one(k) for k in ("slug", "title", "body") if one(k)}
    if one("tags"):
        data["tags"] = [t.strip() for t in one("tags").split(",") if t.strip()]
    steps = [v for v in form.getall("msp_steps", []) if v]
    if steps:
        data["msp_steps"] = [int(v) if is_digits(str(v)) else v for v in steps]
    dims = [v for v in form.getall("dimensions", []) if v]
    if dims:
        data["dimensions"] = dims
    for key in ("cases", "sources"):
        lines = [x.strip() for x in re.split(r"[\n]" if key == "sources" else r"[,\n]", one(key)) if x.strip()]
        if lines:
            data[key] = lines
    return data


def field_errors(problems: list[Problem]) -> tuple[dict[str, list[str]], list[str]]:
    """`lesson.tags[3]` belongs to the `tags` input; `visibility`, `tenant` to theirs; the rest is general."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems:
        name = re.sub(r"^lesson\.?", "", p.field or "")
        name = re.sub(r"\[\d+\]$", "", name)
        if name in ("slug", "title", "body", "visibility", "tenant", "version", *LIST_FIELDS):
            by_field.setdefault(name, []).append(p.message)
        else:
            general.append(f"{p.field}: {p.message}" if p.field else p.message)
    return by_field, general


def _lesson_extra(lesson: dict[str, Any], conflict: dict | None) -> dict[str, Any]:
    return {"lesson": lesson, "field_id": field_id, "max_body": MAX_BODY,
            "preview": Markup(render(lesson.get("body") or ""))}


EDITOR = RecordEditor(
    noun="lesson", path="lessons", template="lessons/edit.html", home=("/lessons", "Lessons learned"),
    visibility_hint="Network and public lessons are read by others once a reviewer approves them",
    create=lessons.create_lesson, update=lessons.update_lesson, get=lessons.get_lesson, from_form=form_to_lesson,
    field_errors=field_errors, extra=_lesson_extra,
    may_not_create="writing lessons needs the editor or admin role in an organisation",
)


def _filters_url(values: dict[str, Any], **change: Any) -> str:
    merged = {k: v for k, v in {**values, **change}.items() if v not in (None, "")}
    return "/lessons" + (f"?{urlencode(merged)}" if merged else "")


@get("/lessons", name="lessons")
async def list_page(request: Request, actor: ActorDep) -> Template:
    raw = {k: request.query_params.get(k) for k in ("tag", "step", "dimension", "case")}
    try:
        page = max(1, int(request.query_params.get("page") or 1))
    except ValueError:
        page = 1
    problems: list[Problem] = []
    try:
        filters = lessons.LessonFilters.parse(**raw)
    except InvalidInput as exc:
        problems, filters = exc.problems, lessons.LessonFilters()
    found = await lessons.list_lessons(actor, filters, page=page, per_page=PER_PAGE)
    values = {k: v for k, v in raw.items() if v}
    pages = (found["total"] + PER_PAGE - 1) // PER_PAGE
    return Template("lessons/list.html", status_code=400 if problems else 200, context=page_context(
        actor, found=found, values=values, problems=problems, page=page, pages=pages,
        prev_url=_filters_url(values, page=page - 1) if page > 1 else None,
        next_url=_filters_url(values, page=page + 1) if page < pages else None,
        clear_url=_filters_url({}), can_create=can(actor, "record.create")))


@get("/lessons/linked", name="lessons-linked")
async def linked(actor: ActorDep, case: QueryStr) -> Template:
    """The lessons the actor may read that are linked to a case, for the case page (htmx fragment)."""
    try:
        filters = lessons.LessonFilters.parse(case=case)
    except InvalidInput:
        filters = None
    found = await lessons.list_lessons(actor, filters, per_page=lessons.MAX_PER_PAGE) if filters else {"items": []}
    return Template("partials/case_lessons.html", context=page_context(
        actor, linked_lessons=found["items"], case_ref=case))


@get("/lessons/new", name="lesson-new")
async def new_lesson(actor: ActorDep, case: OptQueryStr = None) -> Template | Redirect:
    return EDITOR.new_page(actor, {"cases": [case]} if case else {}, "/lessons/new")


@post("/lessons/new")
async def create(request: Request, actor: ActorDep) -> Template | Redirect:
    return await EDITOR.create_from(request, actor)


@post("/lessons/preview", name="lesson-preview")
async def preview(request: Request) -> Template:
    """The rendered body, for the editor's live preview: exactly what the lesson page will show."""
    form = await request.form()
    body = str(form.get("body") or "")[:MAX_BODY]
    return Template("lessons/preview.html", context={"preview": Markup(render(body))})


async def _publishing(actor: Actor, item: dict[str, Any], tenant_id: int | None) -> dict[str, Any] | None:
    """The owner's view of the publishing state and the buttons the actor may press now."""
    state = item["publication"]
    if state is None or tenant_id is None:
        return None
    actions = await publishing.actions_on(actor, tenant_id, state["visibility"], state["state"],
                                          state["published_visibility"] is not None)
    return {**state, "actions": actions}


def _tenant_id(actor: Actor, slug: str) -> int | None:
    return next((t for t, s in actor.tenant_slugs.items() if s == slug), None)


async def _lesson_page(actor: Actor, tenant: str, slug: str, status: int = 200,
                       message: str | None = None) -> Template:
    item = await lessons.get_lesson(actor, tenant, slug)
    history = await lessons.revisions(actor, tenant, slug)
    return Template("lessons/lesson.html", status_code=status, context=page_context(
        actor, item=item, lesson=item["lesson"], body_html=Markup(item["body_html"]), history=history[:8],
        editable=can(actor, "record.edit", item), message=message,
        publishing=await _publishing(actor, item, _tenant_id(actor, tenant))))


@get("/lessons/{tenant:str}/{slug:str}", name="lesson")
async def lesson_page(actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template:
    return await _lesson_page(actor, tenant, slug)


@post("/lessons/{tenant:str}/{slug:str}/publication")
async def transition(request: Request, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template | Redirect:
    """A publishing button: submit, approve, return (with a comment) or withdraw; the page says what failed."""
    form = await request.form()
    action = str(form.get("action") or "")
    version = form_version(form)
    try:
        await publishing.transition(actor, publishing.LESSONS, tenant, slug, action,
                                    comment=str(form.get("comment") or "") or None, expected_version=version)
    except (InvalidInput, Conflict, Forbidden) as exc:
        return await _lesson_page(actor, tenant, slug, status=exc.status_code, message=exc.message)
    return Redirect(path=f"/lessons/{tenant}/{slug}", status_code=303)


PAGES = [list_page, linked, new_lesson, create, preview, lesson_page, transition, *EDITOR.edit_routes()]
