"""Lessons as the API answers them: one lesson (with its rendered body), a page of them, a revision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from casebook.api.schemas import Shape
from casebook.api.schemas.records import Publication, Revision


class LinkedCase(Shape):
    ref: str  # tenant/slug
    title: str
    url: str


class LessonSummary(Shape):
    """Outside the owner: the published snapshot, no author and no publication state."""

    tenant: str
    organisation: str
    slug: str
    title: str
    author: str | None
    visibility: str
    version: int
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None
    publication: Publication | None
    lesson: dict[str, Any]  # the lesson document, linking only the cases the reader may read
    linked_cases: list[LinkedCase]


class Lesson(LessonSummary):
    body_html: str  # the Markdown body, rendered and sanitised


class LessonPage(Shape):
    items: list[LessonSummary]
    total: int
    page: int
    per_page: int


class LessonAtRevision(Revision):
    lesson: dict[str, Any]
