"""Cases under /api/v1/cases: list, read, create, update, delete, restore, revisions and publishing."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from casebook.api.params import ActorDep, IfMatch, OptQueryStr, Page, PathInt, PathStr
from casebook.api.records import Transition, TransitionBody, etag, run_transition, version_from, with_etag
from casebook.domain.access import Actor
from casebook.services import blocks, cases, publishing

__all__ = ["Transition", "TransitionBody", "etag", "version_from", "with_etag"]


class CaseCreate(msgspec.Struct, forbid_unknown_fields=True):
    tenant: str
    case: dict[str, Any]
    visibility: str = "private"


class CaseUpdate(msgspec.Struct, forbid_unknown_fields=True):
    case: dict[str, Any]
    version: int | None = None
    visibility: str | None = None


PerPage = Annotated[int, QueryParameter(ge=1, le=cases.MAX_PER_PAGE, description="Items per page")]


class CaseController(Controller):
    path = "/cases"
    tags = ["cases"]

    @get("/", summary="List the cases you may read, with paging and filters")
    async def list_cases(
        self, actor: ActorDep, page: Page = 1, per_page: PerPage = 20, country: OptQueryStr = None,
        sector: OptQueryStr = None, sdg: OptQueryStr = None, scenario: OptQueryStr = None,
        status: OptQueryStr = None, tenant: OptQueryStr = None, visibility: OptQueryStr = None,
        deleted: FromQuery[bool] = False,
    ) -> dict[str, Any]:
        filters = cases.CaseFilters.parse(country=country, sector=sector, sdg=sdg, scenario=scenario,
                                          status=status, tenant=tenant, visibility=visibility)
        return await cases.list_cases(actor, filters, page=page, per_page=per_page, deleted=deleted)

    @post("/", summary="Create a case in one of your organisations", status_code=HTTP_201_CREATED)
    async def create_case(self, actor: ActorDep, data: JSONBody[CaseCreate]) -> Response:
        created = await cases.create_case(actor, data.tenant, data.case, data.visibility)
        return with_etag(created, HTTP_201_CREATED)

    @get("/{tenant:str}/{slug:str}", summary="Read a case")
    async def get_case(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response:
        return with_etag(await cases.get_case(actor, tenant, slug))

    @get("/{tenant:str}/{slug:str}/blocks/{block_id:str}", summary="Read a building block of a case")
    async def get_block(self, actor: ActorDep, tenant: PathStr, slug: PathStr, block_id: PathStr) -> dict[str, Any]:
        """The block with its case, enabling factors, MSP steps, linked lessons and the cases it is used in."""
        return await blocks.get_block(actor, tenant, slug, block_id)

    @put("/{tenant:str}/{slug:str}", summary="Replace a case; send the edited version or If-Match")
    async def update_case(self, actor: ActorDep, tenant: PathStr, slug: PathStr, data: JSONBody[CaseUpdate],
                          if_match: IfMatch = None) -> Response:
        version = version_from(if_match, data.version)
        updated = await cases.update_case(actor, tenant, slug, data.case, version, data.visibility)
        return with_etag(updated)

    @delete("/{tenant:str}/{slug:str}", summary="Delete a case (it can be restored)",
            status_code=HTTP_204_NO_CONTENT)
    async def delete_case(self, actor: ActorDep, tenant: PathStr, slug: PathStr, if_match: IfMatch = None) -> None:
        await cases.delete_case(actor, tenant, slug, version_from(if_match, None))

    @post("/{tenant:str}/{slug:str}/restore", summary="Restore a deleted case", status_code=200)
    async def restore_case(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response:
        return with_etag(await cases.restore_case(actor, tenant, slug))

    @post("/{tenant:str}/{slug:str}/confirm", summary="Confirm an unchanged case is still current", status_code=200)
    async def confirm_case(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response:
        return with_etag(await cases.confirm_case(actor, tenant, slug))

    @get("/{tenant:str}/{slug:str}/revisions", summary="The revision history of a case")
    async def revisions(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> list[dict[str, Any]]:
        return await cases.revisions(actor, tenant, slug)

    @get("/{tenant:str}/{slug:str}/revisions/{version:int}", summary="One revision of a case")
    async def revision(self, actor: ActorDep, tenant: PathStr, slug: PathStr, version: PathInt) -> dict[str, Any]:
        return await cases.revision(actor, tenant, slug, version)

    @post("/{tenant:str}/{slug:str}/submit", status_code=200, summary="Submit a draft case for review")
    async def submit(self, actor: ActorDep, tenant: PathStr, slug: PathStr,
                    data: TransitionBody = None) -> dict[str, Any]:
        return await _transition(actor, tenant, slug, "submit", data)

    @post("/{tenant:str}/{slug:str}/approve", status_code=200,
          summary="Approve the reviewed version: it becomes what others see (409 if it changed since)")
    async def approve(self, actor: ActorDep, tenant: PathStr, slug: PathStr,
                     data: TransitionBody = None) -> dict[str, Any]:
        return await _transition(actor, tenant, slug, "approve", data)

    @post("/{tenant:str}/{slug:str}/return", status_code=200,
          summary="Send a case in review back to draft, with a comment")
    async def send_back(self, actor: ActorDep, tenant: PathStr, slug: PathStr,
                        data: TransitionBody = None) -> dict[str, Any]:
        return await _transition(actor, tenant, slug, "return", data)

    @post("/{tenant:str}/{slug:str}/withdraw", status_code=200,
          summary="Withdraw the published case: others stop seeing it at once")
    async def withdraw(self, actor: ActorDep, tenant: PathStr, slug: PathStr,
                      data: TransitionBody = None) -> dict[str, Any]:
        return await _transition(actor, tenant, slug, "withdraw", data)



async def _transition(actor: Actor, tenant: str, slug: str, action: str, data: Transition | None) -> dict[str, Any]:
    return await run_transition(actor, publishing.CASES, tenant, slug, action, data)
