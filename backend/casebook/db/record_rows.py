"""The one row shape of each record kind: the columns every read of a case (or a lesson) selects, and the
loader that decodes their JSON documents. A reader wanting fewer columns still takes these: one shape is
worth more than a few columns not sent."""

from __future__ import annotations

from typing import Any

from casebook.db.json_columns import Row, decoded
from casebook.db.publication import publication_columns
from casebook.db.tables import CaseRecord, LessonRecord


def record_columns(t: Any) -> tuple[Any, ...]:
    """The columns every record kind has: identity, versioning and publishing, and when it was created."""
    return (*publication_columns(t), t.created_at)


CASE_COLUMNS = (*record_columns(CaseRecord), CaseRecord.country, CaseRecord.status, CaseRecord.confirmed_at)
LESSON_COLUMNS = (*record_columns(LessonRecord), LessonRecord.tenant.name.as_alias("organisation"),
                  LessonRecord.created_by.name.as_alias("author"))
ROW_COLUMNS: dict[Any, tuple[Any, ...]] = {CaseRecord: CASE_COLUMNS, LessonRecord: LESSON_COLUMNS}


def select(t: Any) -> Any:
    """The select of a kind's rows (add where, order, limit); run it through `rows` or `first`."""
    return t.select(*ROW_COLUMNS.get(t) or record_columns(t))


async def rows(query: Any) -> list[Row]:
    return [decoded(r) for r in await query]


async def first(query: Any) -> Row | None:
    row = await query.first()
    return decoded(row) if row else None
