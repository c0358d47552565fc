"""The library pages: the home page searching the cases, and one page per case."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Redirect, Template

from casebook.domain import casediff
from casebook.domain.access import Actor, can_write
from casebook.domain.errors import InvalidInput, Problem
from casebook.services import cases
from casebook.web import search_page
from casebook.web.context import page_context


@get("/", name="home")
async def home(request: Request, actor: Actor) -> Template:
    """The library: search with facets; every state is a plain GET URL, so it works without JavaScript."""
    found = await search_page.run(actor, request.query_params)
    return Template("home.html", context=page_context(actor, **found))


@get("/search/results", name="search-results")
async def search_results(request: Request, actor: Actor) -> Template | Redirect:
    """The results region for htmx; tells htmx to put the page's own URL (/?...) in the address bar."""
    found = await search_page.run(actor, request.query_params)
    url = found["state"].url()
    if request.headers.get("hx-request") != "true":
        return Redirect(url)
    return Template("search/results.html", context=page_context(actor, partial=True, **found),
                    headers={"HX-Push-Url": url})


def _editable(actor: Actor, tenant: str) -> bool:
    return any(can_write(actor, t) for t, s in actor.tenant_slugs.items() if s == tenant)


@get("/cases/{tenant:str}/{slug:str}", name="case")
async def case_page(actor: Actor, tenant: str, slug: str) -> Template:
    case = await cases.get_case(actor, tenant, slug)
    history = await cases.revisions(actor, tenant, slug)
    context: dict[str, Any] = page_context(actor, item=case, c=case["case"], history=history[:8],
                                           more_history=len(history) > 8, editable=_editable(actor, tenant))
    return Template("case.html", context=context)


def _version(raw: str | None, default: int, latest: int, name: str) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(Problem("must be a version number", field=name)) from None
    if not 1 <= value <= latest:
        raise InvalidInput(Problem(f"must be a version from 1 to {latest}", field=name))
    return value


@get("/cases/{tenant:str}/{slug:str}/history", name="case-history")
async def case_history(request: Request, actor: Actor, tenant: str, slug: str) -> Template:
    """Two revisions side by side as a diff per field; by default the latest against the one before."""
    case = await cases.get_case(actor, tenant, slug)
    history = await cases.revisions(actor, tenant, slug)
    latest = history[0]["version"]
    new = _version(request.query_params.get("to"), latest, latest, "to")
    old = _version(request.query_params.get("from"), max(1, new - 1), latest, "from")
    before = (await cases.revision(actor, tenant, slug, old))["case"] if old != new else None
    after = await cases.revision(actor, tenant, slug, new)
    changes = casediff.diff_cases(before, after["case"]) if before is not None else []
    return Template("case_history.html", context=page_context(
        actor, item=case, c=case["case"], history=history, old=old, new=new, after=after,
        sections=casediff.by_section(changes), same=old == new))
