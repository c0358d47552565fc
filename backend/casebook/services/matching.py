"""Matching for the API, the CLI, pages and the planner: the matcher's ranking, with case references
resolved here, among the cases the actor may read (the engine reads no case by reference itself).

The matcher is the caller's runtime's (`runtime.matcher`), passed as `index`. The weights, their facets and
`Warming` (what a page that must not block is told) are re-exported, so pages import this service only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from casebook.db.tables import CaseRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.domain.visibility import visible_data
from casebook.matching import explain, geography
from casebook.matching import service as matcher
from casebook.matching.entries import CASE_COLUMNS
from casebook.matching.index import MatcherIndex
from casebook.matching.service import Warming
from casebook.matching.weights import DEFAULT_WEIGHTS, FACETS, resolve_weights

__all__ = ["DEFAULT_WEIGHTS", "FACETS", "Warming", "countries", "match", "resolve_case", "resolve_weights"]


@lru_cache(maxsize=1)
def countries() -> list[tuple[str, str]]:
    """(code, name) of every country the matcher knows, by name."""
    codes = {code for group in geography.MEMBERS.values() for code in group.split()}
    return sorted(((c, explain.country_name(c)) for c in codes), key=lambda pair: pair[1])


async def resolve_case(actor: Actor, ref: Any) -> dict[str, Any]:
    """'tenant/slug' or a bare slug, among the cases the actor may read; `data` is the document the
    actor reads (the working copy for the owner, the redacted published snapshot for others)."""
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput(Problem("must be a case slug or tenant/slug", field="case"))
    tenant, _, slug = ref.strip().rpartition("/")
    where = read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null() & (CaseRecord.slug == slug)
    if tenant:
        where = where & (CaseRecord.tenant.slug == tenant)
    rows = await CaseRecord.select(*CASE_COLUMNS).where(where).order_by(CaseRecord.id)
    readable = [{"id": r["id"], "tenant_slug": r["tenant_slug"], "slug": r["slug"], "data": doc}
                for r in rows if (doc := visible_data(r, actor)) is not None]
    if not readable:
        raise NotFound("case not found")
    if len(readable) > 1:
        options = ", ".join(f"{r['tenant_slug']}/{r['slug']}" for r in readable)
        raise InvalidInput(Problem(f"more than one case you may read has this slug; use one of {options}",
                                   field="case"))
    return readable[0]


async def match(actor: Actor, *, case: str | None = None, context: dict[str, Any] | None = None,
                weights: dict[str, Any] | None = None, top: int = 10, index: MatcherIndex,
                wait: bool = True) -> dict[str, Any]:
    """The most comparable cases the actor may read to a case (by reference) or a target context, best first,
    each with its explanation (see matching.service.match for `wait`). `index`: the runtime's matcher."""
    return await matcher.match(actor, case=case, context=context, weights=weights, top=top, index=index,
                               wait=wait, resolve_case=resolve_case)
