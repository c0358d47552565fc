"""The library pages: the home page listing the cases and one page per case."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from casebook.domain import casediff
from casebook.domain.access import Actor, can_write
from casebook.domain.errors import InvalidInput, Problem
from casebook.services import cases
from casebook.web.context import page_context


@get("/", name="home")
async def home(request: Request, actor: Actor) -> Template:
    params = {k: request.query_params.get(k) for k in ("country", "sector", "sdg", "scenario", "status")}
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    error = None
    try:
        result = await cases.list_cases(actor, cases.CaseFilters.parse(**params), page=page, per_page=24)
    except InvalidInput as exc:
        error = exc.message
        result = await cases.list_cases(actor, cases.CaseFilters(), page=1, per_page=24)
    pages = max(1, -(-result["total"] // result["per_page"]))
    return Template("home.html", context=page_context(
        actor, result=result, filters={k: v for k, v in params.items() if v}, pages=pages, error=error))


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
