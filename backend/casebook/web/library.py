"""The library pages: the home page listing the cases and one page per case."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from casebook.domain.access import Actor, can_write
from casebook.domain.errors import InvalidInput
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


@get("/cases/{tenant:str}/{slug:str}", name="case")
async def case_page(actor: Actor, tenant: str, slug: str) -> Template:
    case = await cases.get_case(actor, tenant, slug)
    context: dict[str, Any] = page_context(actor, item=case, c=case["case"])
    context["editable"] = any(can_write(actor, t) for t, s in actor.tenant_slugs.items() if s == tenant)
    return Template("case.html", context=context)
