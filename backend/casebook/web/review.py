"""Review pages: the queue of records waiting for the actor's review, one record's changes against what is
published, and the form posts that run a transition (submit, approve, send back, withdraw) or confirm a
case is still current. The services decide; these pages only show the outcome."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import get, post
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, FormData, PathStr
from casebook.domain import casediff
from casebook.domain.access import Actor
from casebook.domain.errors import CasebookError, NotFound
from casebook.services import cases, publishing
from casebook.web.context import page_context
from casebook.web.library import render_case


def _sign_in(path: str) -> Redirect:
    return Redirect(path=f"/login?next={quote(path)}", status_code=303)


@get("/review", name="review")
async def review_queue(actor: ActorDep) -> Template | Redirect:
    if not actor.authenticated:
        return _sign_in("/review")
    return Template("review/queue.html", context=page_context(actor, queue=await publishing.review_queue(actor)))


async def _review_page(actor: Actor, kind: str, tenant: str, slug: str, status: int = 200,
                       problem: str | None = None) -> Template:
    record = await publishing.review_record(actor, publishing.kind_named(kind), tenant, slug)
    changes = casediff.diff_cases(record["published"], record["submitted"])
    return Template("review/record.html", status_code=status, context=page_context(
        actor, r=record, sections=casediff.by_section(changes), problem=problem))


@get("/review/{kind:str}/{tenant:str}/{slug:str}", name="review-record")
async def review_record(actor: ActorDep, kind: PathStr, tenant: PathStr, slug: PathStr) -> Template | Redirect:
    """What approving would publish: the submitted working copy against the published snapshot."""
    if not actor.authenticated:
        return _sign_in(f"/review/{kind}/{tenant}/{slug}")
    return await _review_page(actor, kind, tenant, slug)


def _int(raw: Any) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


@post("/review/{kind:str}/{tenant:str}/{slug:str}/{action:str}", name="review-transition")
async def run_transition(actor: ActorDep, kind: PathStr, tenant: PathStr, slug: PathStr, action: PathStr,
                         data: FormData) -> Template | Redirect:
    """Runs the transition, then back to the record's page; a refusal re-renders the page it came from."""
    if not actor.authenticated:
        return _sign_in(f"/{publishing.kind_named(kind).path}/{tenant}/{slug}")
    found = publishing.kind_named(kind)
    from_review = data.get("from") == "review"  # the review page's forms; else the record's own page
    try:
        await publishing.transition(actor, found, tenant, slug, action, comment=str(data.get("comment") or ""),
                                    expected_version=_int(data.get("version")) if data.get("version") else None)
    except NotFound:
        raise
    except CasebookError as exc:
        if found is publishing.CASES and not from_review:
            return await render_case(actor, tenant, slug, status=exc.status_code, problem=exc.message)
        return await _review_page(actor, kind, tenant, slug, status=exc.status_code, problem=exc.message)
    if action in ("approve", "return") and from_review:
        return Redirect(path="/review", status_code=303)
    return Redirect(path=f"/{found.path}/{tenant}/{slug}", status_code=303)


@post("/cases/{tenant:str}/{slug:str}/confirm", name="case-confirm")
async def confirm_case(actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template | Redirect:
    """The owner's writers confirm an untouched case is still current (clears the staleness flag)."""
    if not actor.authenticated:
        return _sign_in(f"/cases/{tenant}/{slug}")
    try:
        await cases.confirm_case(actor, tenant, slug)
    except NotFound:
        raise
    except CasebookError as exc:
        return await render_case(actor, tenant, slug, status=exc.status_code, problem=exc.message)
    return Redirect(path=f"/cases/{tenant}/{slug}", status_code=303)


PAGES = [review_queue, review_record, run_transition, confirm_case]
