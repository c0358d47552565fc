"""Lessons under /api/v1/lessons: the record routes (casebook.api.records) plus the lesson's list, filtered
by tag, MSP step, scaling dimension or linked case.

Every read returns `body_html` (the sanitised rendering) next to the Markdown source in `lesson.body`.
"""

from litestar import Controller, get

from casebook.api.params import ActorDep, OptQueryStr, Page
from casebook.api.records import PerPage, RecordApi, record_controller
from casebook.api.schemas import shaped
from casebook.api.schemas.lessons import Lesson, LessonAtRevision, LessonPage
from casebook.services import lessons


@get("/", summary="List the lessons you may read; filter by tag, MSP step, scaling dimension or case")
async def list_lessons(self: Controller, actor: ActorDep, page: Page = 1, per_page: PerPage = 20,
                       tag: OptQueryStr = None, step: OptQueryStr = None, dimension: OptQueryStr = None,
                       case: OptQueryStr = None, tenant: OptQueryStr = None) -> LessonPage:
    filters = lessons.LessonFilters.parse(tag=tag, step=step, dimension=dimension, case=case, tenant=tenant)
    return shaped(LessonPage, await lessons.list_lessons(actor, filters, page=page, per_page=per_page))


LESSONS = RecordApi(kind=lessons.KIND, view=Lesson, at_revision=LessonAtRevision)
LessonController = record_controller(LESSONS, list_lessons=list_lessons)
