"""The (filter, value) pairs a case or lesson is listed and found by, shared by list filters and the search index."""

from __future__ import annotations

from typing import Any

from casebook.domain.blocks import block_ids


def sdg_goal(value: int | str) -> int:
    """16 -> 16; "16.7" -> 16."""
    return int(str(value).split(".")[0])


def facet_pairs(data: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key in ("sectors", "scenarios", "human_security", "tools", "challenges", "population_groups"):
        pairs.extend((key, str(v)) for v in data.get(key) or [])
    goals = sorted({sdg_goal(v) for v in data.get("sdgs") or []})
    pairs.extend(("sdgs", str(g)) for g in goals)
    pairs.extend(("sdg_targets", str(v)) for v in data.get("sdgs") or [] if isinstance(v, str))
    countries = [data.get("country"), *(data.get("countries") or [])]
    pairs.extend(("countries", c) for c in dict.fromkeys(c for c in countries if c))
    pairs.extend(("scaling", s["dimension"]) for s in data.get("scaling") or [])
    pairs.extend(("partner_types", p["type"]) for p in data.get("partners") or [])
    pairs.extend(("blocks", b) for b in block_ids(list(data.get("building_blocks") or [])))  # a block's "used in"
    replicates = (data.get("lineage") or {}).get("replicates")
    if replicates:
        pairs.append(("replicates", str(replicates)))
    return list(dict.fromkeys(pairs))


def lesson_facet_pairs(data: dict[str, Any]) -> list[tuple[str, str]]:
    """A lesson's list facets. Tags match whatever their case (casefolded); steps as their numbers."""
    pairs = [("tags", str(t).casefold()) for t in data.get("tags") or []]
    pairs += [("msp_steps", str(s)) for s in data.get("msp_steps") or []]
    pairs += [("dimensions", str(d)) for d in data.get("dimensions") or []]
    pairs += [("cases", str(c)) for c in data.get("cases") or []]
    return list(dict.fromkeys(pairs))
