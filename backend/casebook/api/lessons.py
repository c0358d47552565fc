"""Lessons under /api/v1/lessons: list, read, create, update, delete, restore, revisions, publishing.

Every read returns `body_html` (the sanitised rendering) next to the Markdown source in `lesson.body`.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from casebook.api.params import ActorDep, IfMatch, OptQueryStr, Page, PathInt, PathStr
from casebook.api.records import TransitionBody, run_transition, version_from, with_etag
from casebook.services import lessons, publishing


class LessonCreate(msgspec.Struct, forbid_unknown_fields=True):
    tenant: str
    lesson: dict[str, Any]
    visibility: str = "private"


class LessonUpdate(msgspec.Struct, forbid_unknown_fields=True):
    lesson: dict[str, Any]
    version: int | None = None
    visibility: str | None = None


PerPage = Annotated[int, QueryParameter(ge=1, le=lessons.MAX_PER_PAGE, description="Items per page")]


class LessonController(Controller):
    path = "/lessons"
    tags = ["lessons"]

    @get("/", summary="List the lessons you may read; filter by tag, MSP step, scaling dimension or case")
    async def list_lessons(self, actor: ActorDep, page: Page = 1, per_page: PerPage = 20, tag: OptQueryStr = None,
                           step: OptQueryStr = None, dimension: OptQueryStr = None, case: OptQueryStr = None,
                           tenant: OptQueryStr = None) -> dict[str, Any]:
        filters = lessons.LessonFilters.parse(tag=tag, step=step, dimension=dimension, case=case, tenant=tenant)
        return await lessons.list_lessons(actor, filters, page=page, per_page=per_page)

    @post("/", summary="Create a lesson in one of your organisations (a draft until approved)",
          status_code=HTTP_201_CREATED)
    async def create_lesson(self, actor: ActorDep, data: JSONBody[LessonCreate]) -> Response:
        created = await lessons.create_lesson(actor, data.tenant, data.lesson, data.visibility)
        return with_etag(created, HTTP_201_CREATED)

    @get("/{tenant:str}/{slug:str}", summary="Read a lesson, with its body rendered as HTML")
    async def get_lesson(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response:
        return with_etag(await lessons.get_lesson(actor, tenant, slug))

    @put("/{tenant:str}/{slug:str}", summary="Replace a lesson; send the edited version or If-Match")
    async def update_lesson(self, actor: ActorDep, tenant: PathStr, slug: PathStr, data: JSONBody[LessonUpdate],
                            if_match: IfMatch = None) -> Response:
        version = version_from(if_match, data.version)
        return with_etag(await lessons.update_lesson(actor, tenant, slug, data.lesson, version, data.visibility))

    @delete("/{tenant:str}/{slug:str}", summary="Delete a lesson (it can be restored)",
            status_code=HTTP_204_NO_CONTENT)
    async def delete_lesson(self, actor: ActorDep, tenant: PathStr, slug: PathStr, if_match: IfMatch = None) -> None:
        await lessons.delete_lesson(actor, tenant, slug, version_from(if_match, None))

    @post("/{tenant:str}/{slug:str}/restore", summary="Restore a deleted lesson", status_code=200)
    async def restore_lesson(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response:
        return with_etag(await lessons.restore_lesson(actor, tenant, slug))

    @get("/{tenant:str}/{slug:str}/revisions", summary="The revision history of a lesson")
    async def revisions(self, actor: ActorDep, tenant: PathStr, slug: PathStr) -> list[dict[str, Any]]:
        return await lessons.revisions(actor, tenant, slug)

    @get("/{tenant:str}/{slug:str}/revisions/{version:int}", summary="One revision of a lesson")
    async def revision(self, actor: ActorDep, tenant: PathStr, slug: PathStr, version: PathInt) -> dict[str, Any]:
        return await lessons.revision(actor, tenant, slug, version)

    @post("/{tenant:str}/{slug:str}/{action:str}", status_code=200,
          summary="Publishing: submit, approve (send the version reviewed), return (with a comment) or withdraw")
    async def transition(self, actor: ActorDep, tenant: PathStr, slug: PathStr, action: PathStr,
                         data: TransitionBody = None) -> dict[str, Any]:
        return await run_transition(actor, publishing.LESSONS, tenant, slug, action, data)
