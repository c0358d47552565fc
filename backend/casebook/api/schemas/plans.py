"""Replication plans as the API answers them: a plan (its generated document with the edits applied), the
list of plans, a revision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    schema: int
    title: str
    template: dict[str, Any]
    target: dict[str, Any]
    target_country_name: str | None
    caveats: list[Any]
    goals: list[Any]
    fit: dict[str, Any]
    dimensions: dict[str, Any]
    steps: list[Any]
    building_blocks: list[Any]
    proposed_blocks: list[Any]
    partner_map: dict[str, Any]
    owners: list[Any]
    phases: list[Any]
    risks: list[Any]
    indicators: dict[str, Any]
    similar_cases: list[Any]
    evidence: Any
    brief: Any


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
