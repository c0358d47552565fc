"""Building blocks as things of their own: one block with its case, lessons and where else it is used, and
the blocks an actor may read that answer a text (what the planner proposes from other cases).

A block is read exactly as its case is (casebook.services.cases): the owner sees the working copy, everyone
else the redacted published snapshot, so a block of a case one may not read is a 404 like the case.
"""

from __future__ import annotations

from typing import Any

from casebook.db.tables import CaseRecord
from casebook.domain.access import Actor, read_condition
from casebook.domain.blocks import case_blocks, find_block
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.domain.visibility import visible_data
from casebook.domain.vocabulary import MSP_STEPS
from casebook.services import case_facets, cases, lessons
from casebook.services import search as search_service
from casebook.services.search import MAX_PER_PAGE, MAX_QUERY_CHARS, SearchBackend, SearchQuery

MAX_USED_IN = 50


def block_url(tenant: str, slug: str, block_id: str) -> str:
    return f"/cases/{tenant}/{slug}/blocks/{block_id}"


def _steps(block: dict[str, Any]) -> list[dict[str, Any]]:
    """MSP steps by number and by the name the guidelines give them."""
    return [{"number": s, "name": MSP_STEPS[s].replace("-", " ").capitalize()}
            for s in block.get("msp_steps") or [] if s in MSP_STEPS]


def _visible_rows(actor: Actor, where: Any) -> Any:
    return CaseRecord.select(*cases.COLUMNS).where(
        read_condition(CaseRecord, actor) & CaseRecord.deleted_at.is_null() & where).order_by(CaseRecord.id)


async def used_in(actor: Actor, case: dict[str, Any], block_id: str) -> list[dict[str, Any]]:
    """Other cases the actor reads that hold a block with the same id, or that name this case's slug as the
    one they replicate. Each is checked on what the actor sees of it (the redacted snapshot outside its owner),
    since the facet rows are made before redaction."""
    owned = sorted(actor.roles)
    this = (case["tenant"], case["slug"])
    where = (case_facets.facet_filter("blocks", block_id, owned)
             | case_facets.facet_filter("replicates", case["slug"], owned))
    out = []
    for row in await _visible_rows(actor, where).limit(MAX_USED_IN + 1):
        if (row["tenant_slug"], row["slug"]) == this:
            continue
        data = visible_data(row, actor)
        if data is None:
            continue
        same = find_block(data, block_id)
        replicates = (data.get("lineage") or {}).get("replicates") == case["slug"]
        if same is None and not replicates:
            continue
        out.append({
            "tenant": row["tenant_slug"], "slug": row["slug"], "title": data["title"],
            "country": data.get("country"), "url": f"/cases/{row['tenant_slug']}/{row['slug']}",
            "block": {"id": block_id, "title": same["title"], "url": block_url(row["tenant_slug"], row["slug"],
                                                                                block_id)} if same else None,
            "replicates": replicates,
        })
    return out[:MAX_USED_IN]


async def get_block(actor: Actor, tenant: str, slug: str, block_id: str) -> dict[str, Any]:
    """One building block as the actor may read it, with its case, MSP steps by name, the lessons learned
    linked to its case, and the other cases it is used in."""
    case = await cases.get_case(actor, tenant, slug)
    data = case["case"]
    ids = [bid for bid, _ in case_blocks(data)]
    block = find_block(data, block_id)
    if block is None:
        raise NotFound("building block not found")
    linked = await lessons.visible_lessons(actor, lessons.LessonFilters(case=f"{tenant}/{slug}"))
    steps = set(block.get("msp_steps") or [])
    return {
        "id": block_id, "position": ids.index(block_id) + 1, "of": len(ids), "title": block["title"],
        "description": block.get("description") or "", "enabling_factors": list(block.get("enabling_factors") or []),
        "msp_steps": _steps(block), "url": block_url(tenant, slug, block_id),
        "case": {"tenant": tenant, "slug": slug, "title": data["title"], "country": data.get("country"),
                 "countries": list(data.get("countries") or []), "status": data["status"],
                 "evidence_level": data.get("evidence_level"), "url": f"/cases/{tenant}/{slug}",
                 "visibility": case["visibility"], "version": case["version"]},
        "lessons": [{"tenant": row["tenant_slug"], "slug": row["slug"], "title": ldata["title"],
                     "url": f"/lessons/{row['tenant_slug']}/{row['slug']}",
                     "shared_steps": sorted(steps & set(ldata.get("msp_steps") or []))}
                    for row, ldata in linked],
        "used_in": await used_in(actor, case, block_id),
    }


async def find_blocks(actor: Actor, text: str, backend: SearchBackend, limit: int = 10) -> list[dict[str, Any]]:
    """The building blocks the actor may read that answer `text`, most relevant first (the search service
    with kind=block, so access labels, published snapshots and redaction are the index's; any word may
    match, ranked by BM25). Each names its case by tenant, slug and the title the actor sees."""
    if not 1 <= limit <= MAX_PER_PAGE:
        raise InvalidInput(Problem(f"must be 1 to {MAX_PER_PAGE}", field="limit"))
    words = " ".join(text.split())
    if len(words) >= MAX_QUERY_CHARS:  # a goal may be long: keep whole words within the search's limit
        words = words[:MAX_QUERY_CHARS - 1].rsplit(" ", 1)[0]
    if not words:
        return []
    query = SearchQuery(q=words + " ", filters={"kind": ["block"]}, per_page=limit)  # whole words, no prefix
    found = await search_service.search(actor, query, backend)
    titles = await lessons.readable_cases(actor, {f"{h.tenant}/{h.slug}" for h in found.hits})
    return [{"tenant": h.tenant, "slug": h.slug, "block": h.block, "title": h.title, "description": h.summary,
             "case_title": titles[f"{h.tenant}/{h.slug}"], "score": h.score, "url": h.url}
            for h in found.hits if h.block and f"{h.tenant}/{h.slug}" in titles]
