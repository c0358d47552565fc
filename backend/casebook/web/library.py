"""The library pages: the home page searching the cases, and one page per case."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Redirect, Template

from casebook.api.params import ActorDep, PathStr, RuntimeDep
from casebook.domain import casediff
from casebook.domain.access import Actor
from casebook.domain.blocks import case_blocks
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.permissions import can
from casebook.services import blocks, cases, publishing
from casebook.web import search_page
from casebook.web.context import page_context


@get("/", name="home")
async def home(request: Request, actor: ActorDep, runtime: RuntimeDep) -> Template:
    """The library: search with facets; every state is a plain GET URL, so it works without JavaScript."""
    found = await search_page.run(actor, request.query_params, runtime.search)
    return Template("home.html", context=page_context(actor, **found))


@get("/search/results", name="search-results")
async def search_results(request: Request, actor: ActorDep, runtime: RuntimeDep) -> Template | Redirect:
    """The results region for htmx; tells htmx to put the page's own URL (/?...) in the address bar."""
    found = await search_page.run(actor, request.query_params, runtime.search)
    url = found["state"].url()
    if request.headers.get("hx-request") != "true":
        return Redirect(url)
    return Template("search/results.html", context=page_context(actor, partial=True, **found),
                    headers={"HX-Push-Url": url})


@get("/cases/{tenant:str}/{slug:str}", name="case")
async def case_page(actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template:
    return await render_case(actor, tenant, slug)


async def render_case(actor: Actor, tenant: str, slug: str, status: int = 200, problem: str | None = None) -> Template:
    """The case as the actor may read it, its publishing panel (state, the transitions the actor may make)
    and, for its writers, the staleness flag with its confirm button. `problem`: why the last action failed."""
    case = await cases.get_case(actor, tenant, slug)
    history = await cases.revisions(actor, tenant, slug)
    actions = await publishing.actions_for(actor, publishing.CASES, tenant, slug)
    block_ids = [block_id for block_id, _ in case_blocks(case["case"])]
    country_names = [search_page.facet_label("country", c) for c in case["case"].get("countries") or []]
    context: dict[str, Any] = page_context(actor, item=case, c=case["case"], block_ids=block_ids,
                                           country_names=country_names, history=history[:8],
                                           more_history=len(history) > 8, editable=can(actor, "record.edit", case),
                                           pub=case.get("publication"), actions=actions, problem=problem)
    return Template("case.html", context=context, status_code=status)


@get("/cases/{tenant:str}/{slug:str}/blocks/{block_id:str}", name="block")
async def block_page(actor: ActorDep, tenant: PathStr, slug: PathStr, block_id: PathStr) -> Template:
    """One building block: what it is, what it needs, the lessons of its case and where else it is used."""
    block = await blocks.get_block(actor, tenant, slug, block_id)
    codes = [c for c in [block["case"]["country"], *block["case"]["countries"]] if c]
    country = ", ".join(search_page.facet_label("country", c) for c in codes) if len(codes) <= 6 else \
        f"{len(codes)} countries"
    return Template("block.html", context=page_context(actor, b=block, country=country))


def _version(raw: str | None, default: int, latest: int, name: str, listed: list[int]) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(Problem("must be a version number", field=name)) from None
    if not 1 <= value <= latest:
        raise InvalidInput(Problem(f"must be a version from 1 to {latest}", field=name))
    if value not in listed:
        raise InvalidInput(Problem(f"version {value} was never published", field=name))
    return value


@get("/cases/{tenant:str}/{slug:str}/history", name="case-history")
async def case_history(request: Request, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Template:
    """Two revisions side by side as a diff per field; by default the latest against the one before."""
    case = await cases.get_case(actor, tenant, slug)
    history = await cases.revisions(actor, tenant, slug)  # outside the owner: the approved revisions only
    listed = [r["version"] for r in history]
    latest = listed[0]
    new = _version(request.query_params.get("to"), latest, latest, "to", listed)
    older = [v for v in listed if v < new]
    old = _version(request.query_params.get("from"), older[0] if older else new, latest, "from", listed)
    earlier = await cases.revision(actor, tenant, slug, old) if old != new else None
    after = await cases.revision(actor, tenant, slug, new)
    changes = casediff.diff_cases(earlier["case"], after["case"]) if earlier is not None else []
    return Template("case_history.html", context=page_context(
        actor, item=case, c=case["case"], history=history, old=old, new=new, after=after,
        visibility_from=earlier["visibility"] if earlier else None,
        sections=casediff.by_section(changes), same=old == new))
