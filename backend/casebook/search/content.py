"""What a case, a lesson or a building block contributes to its search document: text fields and facets.

All kinds fill the same fields, so one index, one query and one highlighter serve them: a lesson's
body (as plain text) is its `summary`, its tags are `tags`, its scaling dimensions the `scaling` facet.
A block's description is its `summary`; it carries its case's facets, so a filter on country or sector
finds the blocks of the cases it finds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

from casebook.domain.blocks import case_blocks
from casebook.domain.record_filters import sdg_goal
from casebook.domain.vocabulary import MSP_STEPS
from casebook.search.interface import FACETS, FIELD_BOOSTS
from casebook.search.regions import regions_of
from casebook.search.vocabulary import country_names, sdg_label

TEXT = tuple(FIELD_BOOSTS)


def _words(slugs: Iterable[Any]) -> str:
    return " ".join(str(s).replace("-", " ") for s in slugs or [])


def date_key(start: int | None, stamp: Any) -> int:
    """Sort key for "date": the start year, then the last change (newest first when descending)."""
    seconds = int(stamp.timestamp()) if isinstance(stamp, datetime) else 0
    return (start or 0) * 10_000_000_000 + seconds


def _empty() -> dict[str, Any]:
    return {**{f: "" for f in TEXT}, **{f: [] for f in FACETS}}


def case_content(data: dict[str, Any], stamp: Any) -> dict[str, Any]:
    countries = list(dict.fromkeys(c for c in [data.get("country"), *(data.get("countries") or [])] if c))
    regions = list(dict.fromkeys(r for c in countries for r in regions_of(c)))
    goals = sorted({sdg_goal(v) for v in data.get("sdgs") or []})
    blocks = data.get("building_blocks") or []
    extra = [
        _words([data.get("slug")]),  # the slug's words, so a picker finds "zenica-steelworks" too
        data.get("locality") or "", _words(data.get("sectors")), _words(data.get("scenarios")),
        _words(data.get("tools")), _words(data.get("population_groups")), _words(data.get("human_security")),
        *(n for c in countries for n in country_names(c)), *regions, *(sdg_label(g) for g in goals),
        *(str(v) for v in (data.get("principles") or {}).values()),
        *(s.get("description", "") for s in data.get("scaling") or []),
    ]
    return {
        **_empty(),
        "title": data["title"],
        "summary": data.get("summary") or "",
        "lessons": "\n".join(data.get("lessons") or []),
        "building_blocks": "\n".join(f"{b['title']}: {b.get('description', '')}" for b in blocks),
        "challenges": _words(data.get("challenges")),
        "partners": "\n".join(p["name"] for p in data.get("partners") or []),
        "extra": "\n".join(e for e in extra if e),
        "kind": ["case"],
        "country": countries,
        "region": regions,
        "sector": list(data.get("sectors") or []),
        "sdg": [str(g) for g in goals],
        "scenario": list(data.get("scenarios") or []),
        "human_security": list(data.get("human_security") or []),
        "scaling": list(dict.fromkeys(s["dimension"] for s in data.get("scaling") or [])),
        "status": [data["status"]] if data.get("status") else [],
        "evidence_level": [data["evidence_level"]] if data.get("evidence_level") else [],
        "date": date_key((data.get("period") or {}).get("start"), stamp),
    }


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("js-default").enable(["table", "strikethrough"])


def plain_text(markdown: str) -> str:
    """The words a reader sees in a Markdown text, one block per line: no markup, no link targets."""
    lines = []
    for token in _markdown().parse(markdown or ""):
        if token.type == "inline":
            lines.append("".join(c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break")
                                 else "" for c in token.children or []))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.strip())
    return "\n".join(line for line in lines if line.strip())


def lesson_content(data: dict[str, Any], stamp: Any) -> dict[str, Any]:
    steps = [MSP_STEPS[s].replace("-", " ") for s in data.get("msp_steps") or [] if s in MSP_STEPS]
    dimensions = list(dict.fromkeys(data.get("dimensions") or []))
    year = stamp.year if isinstance(stamp, datetime) else None
    return {
        **_empty(),
        "title": data["title"],
        "summary": plain_text(data.get("body") or ""),
        "tags": "\n".join(data.get("tags") or []),
        "extra": "\n".join([*steps, *(f"{d} scaling" for d in dimensions)]),
        "kind": ["lesson"],
        "scaling": dimensions,
        "date": date_key(year, stamp),
    }


def block_contents(data: dict[str, Any], case: dict[str, Any], limit: int) -> list[tuple[str, dict[str, Any]]]:
    """(block id, content) of the first `limit` building blocks of a case, given the case's own content."""
    out = []
    for block_id, block in case_blocks(data)[:limit]:
        steps = [MSP_STEPS[s].replace("-", " ") for s in block.get("msp_steps") or [] if s in MSP_STEPS]
        out.append((block_id, {
            **_empty(), **{f: case[f] for f in FACETS},
            "title": block["title"],
            "summary": block.get("description") or "",
            "extra": "\n".join([*(block.get("enabling_factors") or []), *steps, data["title"]]),
            "kind": ["block"],
            "date": case["date"],
        }))
    return out
