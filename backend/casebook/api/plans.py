"""Replication plans under /api/v1/plans: create, list, read (JSON, PDF, HTML), edit, re-generate, delete,
revisions."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, MediaType, Response, delete, get, patch, post
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from casebook.api.params import ActorDep, IfMatch, PathInt, PathStr, RuntimeDep
from casebook.api.records import version_from, with_etag
from casebook.api.schemas import shaped
from casebook.api.schemas.plans import Plan, PlanAtRevision, PlanList, PlanRevision
from casebook.domain.errors import NotFound
from casebook.domain.numbers import parse_int
from casebook.services import plans


class PlanCreate(msgspec.Struct, forbid_unknown_fields=True):
    template: str
    target: dict[str, Any]
    tenant: str | None = None
    source: str | None = None  # the case the target was taken from; the owner's members must read it


class PlanEdit(msgspec.Struct, forbid_unknown_fields=True):
    edits: dict[str, Any]
    version: int | None = None


class PlanRegenerate(msgspec.Struct, forbid_unknown_fields=True):
    version: int | None = None
    target: dict[str, Any] | None = None


FORMATS = {"html": MediaType.HTML, **plans.DOWNLOADS}


class PlanController(Controller):
    path = "/plans"
    tags = ["plans"]

    @post("/", summary="Generate and save a replication plan for your organisation", status_code=HTTP_201_CREATED)
    async def create_plan(self, actor: ActorDep, runtime: RuntimeDep, data: JSONBody[PlanCreate]) -> Response[Plan]:
        created = await plans.create_plan(actor, data.template, data.target, data.tenant, data.source,
                                          index=runtime.matcher)
        return with_etag(shaped(Plan, created), HTTP_201_CREATED)

    @get("/", summary="The plans of your organisations")
    async def list_plans(self, actor: ActorDep) -> PlanList:
        return shaped(PlanList, await plans.list_plans(actor))

    @get("/{plan_ref:str}", summary="A plan as JSON; add .pdf, .docx or .html for the report",
         responses={200: ResponseSpec(Plan, description="The plan as JSON, or with .pdf, .docx or .html the "
                                                        "report in that format", generate_examples=False)})
    async def get_plan(self, actor: ActorDep, plan_ref: PathStr) -> Response:
        number, _, fmt = plan_ref.partition(".")
        plan_id = parse_int(number)
        if plan_id is None or fmt not in ("", *FORMATS):
            raise NotFound("plan not found")
        if not fmt:
            return with_etag(shaped(Plan, await plans.get_plan(actor, plan_id)))
        body = await plans.render(actor, plan_id, fmt)
        headers = {"Content-Disposition": f'inline; filename="plan-{number}.{fmt}"'}
        return Response(content=body, media_type=FORMATS[fmt], headers=headers)

    @patch("/{plan_id:int}", summary="Edit lines or tick tasks; send the version you edited or If-Match")
    async def edit_plan(self, actor: ActorDep, plan_id: PathInt, data: JSONBody[PlanEdit],
                        if_match: IfMatch = None) -> Response[Plan]:
        edited = await plans.edit_plan(actor, plan_id, data.edits, version_from(if_match, data.version))
        return with_etag(shaped(Plan, edited))

    @post("/{plan_id:int}/regenerate", summary="Re-generate (optionally for a changed target), keeping edits",
          status_code=200)
    async def regenerate(self, actor: ActorDep, runtime: RuntimeDep, plan_id: PathInt, if_match: IfMatch = None,
                         data: JSONBody[PlanRegenerate | None] = None) -> Response[Plan]:
        body = data or PlanRegenerate()  # with If-Match the body is optional
        version = version_from(if_match, body.version)
        return with_etag(shaped(Plan, await plans.regenerate_plan(actor, plan_id, version, body.target,
                                                                      index=runtime.matcher)))

    @delete("/{plan_id:int}", summary="Delete a plan and its revisions; send the version (?version= or If-Match)",
            status_code=HTTP_204_NO_CONTENT)
    async def delete_plan(self, actor: ActorDep, plan_id: PathInt, if_match: IfMatch = None,
                          version: FromQuery[int | None] = None) -> None:
        await plans.delete_plan(actor, plan_id, version_from(if_match, version))

    @get("/{plan_id:int}/revisions", summary="The revision history of a plan")
    async def revisions(self, actor: ActorDep, plan_id: PathInt) -> list[PlanRevision]:
        return shaped(list[PlanRevision], await plans.revisions(actor, plan_id))

    @get("/{plan_id:int}/revisions/{version:int}", summary="One revision of a plan")
    async def revision(self, actor: ActorDep, plan_id: PathInt, version: PathInt) -> PlanAtRevision:
        return shaped(PlanAtRevision, await plans.revision(actor, plan_id, version))
