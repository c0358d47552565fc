"""Replication plans as the API answers them: a plan (its generated document with the edits applied), the
list of plans, a revision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from msgspec import UNSET, UnsetType

from casebook.api.schemas import Shape


class Plan(Shape):
    """The saved plan: its identity and edits, then the generated document (casebook.planning.plan)."""

    id: int
    tenant: str
    version: int
    created_at: datetime
    updated_at: datetime
    edits: dict[str, dict[str, Any]]  # by line id
    orphaned_edits: list[str]  # edits whose line the plan no longer has (kept, never dropped)
    # The generated document: a plan saved by an older version may lack a part a newer planner writes, so
    # each part is optional (omitted when absent) rather than a 500 on reading an old plan.
    schema: int | UnsetType = UNSET
    title: str | UnsetType = UNSET
    template: dict[str, Any] | UnsetType = UNSET
    target: dict[str, Any] | UnsetType = UNSET
    target_country_name: str | None | UnsetType = UNSET
    caveats: list[Any] | UnsetType = UNSET
    goals: list[Any] | UnsetType = UNSET
    fit: dict[str, Any] | UnsetType = UNSET
    dimensions: dict[str, Any] | UnsetType = UNSET
    steps: list[Any] | UnsetType = UNSET
    building_blocks: list[Any] | UnsetType = UNSET
    proposed_blocks: list[Any] | UnsetType = UNSET
    partner_map: dict[str, Any] | UnsetType = UNSET
    owners: list[Any] | UnsetType = UNSET
    phases: list[Any] | UnsetType = UNSET
    risks: list[Any] | UnsetType = UNSET
    indicators: dict[str, Any] | UnsetType = UNSET
    similar_cases: list[Any] | UnsetType = UNSET
    evidence: Any = UNSET
    brief: Any = UNSET


class PlanSummary(Shape):
    id: int
    tenant: str
    title: str
    template_tenant: str
    template_slug: str
    version: int
    updated_at: datetime


class PlanList(Shape):
    items: list[PlanSummary]
    total: int


class PlanRevision(Shape):
    version: int
    action: str
    created_at: datetime
    author: str | None


class PlanAtRevision(PlanRevision):
    target: dict[str, Any]
    edits: dict[str, dict[str, Any]]
    plan: dict[str, Any]
