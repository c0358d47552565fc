"""Cases as the API answers them: one case, a page of summaries, a revision, a building block."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from msgspec import UNSET, UnsetType

from casebook.api.schemas import Shape
from casebook.api.schemas.records import Publication, Revision


class CaseHeader(Shape):
    """What a case and its summary share. Outside the owner: the published snapshot's audience, version and
    date, and no `publication`."""

    tenant: str
    slug: str
    title: str
    country: str | None
    status: str | None
    visibility: str
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    confirmed_at: datetime | None
    last_activity: datetime
    stale: bool  # no activity for over a year
    publication: Publication | UnsetType = UNSET


class Case(CaseHeader, kw_only=True):
    case: dict[str, Any]  # the case document (cases/schema.json), redacted outside the owner


class CaseSummary(CaseHeader):
    """A list item: the header and, where the case has them, these keys of its document."""

    summary: Any = UNSET
    sectors: Any = UNSET
    scenarios: Any = UNSET
    sdgs: Any = UNSET
    locality: Any = UNSET
    period: Any = UNSET
    evidence_level: Any = UNSET
    human_security: Any = UNSET


class CasePage(Shape):
    items: list[CaseSummary]
    total: int
    page: int
    per_page: int


class CaseAtRevision(Revision):
    case: dict[str, Any]


class Link(Shape):
    id: str
    title: str
    url: str


class MspStep(Shape):
    number: int
    name: str


class BlockCase(Shape):
    tenant: str
    slug: str
    title: str
    country: str | None
    countries: list[str]
    status: str
    evidence_level: str | None
    url: str
    visibility: str
    version: int


class BlockLesson(Shape):
    tenant: str
    slug: str
    title: str
    url: str
    shared_steps: list[int]  # the MSP steps the lesson and the block both address


class BlockUse(Shape):
    """Another case holding a block of the same id (`block`), or replicating this case."""

    tenant: str
    slug: str
    title: str
    country: str | None
    url: str
    block: Link | None
    replicates: bool


class Block(Shape):
    id: str
    position: int
    of: int
    title: str
    description: str
    enabling_factors: list[str]
    msp_steps: list[MspStep]
    url: str
    case: BlockCase
    lessons: list[BlockLesson]
    used_in: list[BlockUse]
