"""Building blocks as first-class units: a stable identity for each block of a case.

A block is addressed as ``/cases/{tenant}/{case-slug}/blocks/{block-id}``. The id is the block's own
``id`` key when the case file gives one, else a slug of its title; a repeated title gets ``-2``, ``-3``
in order. Ids therefore survive reordering and edits to descriptions, which a position would not.
"""

from __future__ import annotations

import re
from typing import Any

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens (what slugs and block ids are made of)."""
    return _NON_WORD.sub("-", text.lower()).strip("-")[:limit].strip("-") or "block"


def block_ids(blocks: list[dict[str, Any]]) -> list[str]:
    """The id of each block, in order, unique within the case."""
    seen: dict[str, int] = {}
    ids = []
    for block in blocks:
        base = str(block.get("id") or slugify(str(block.get("title") or "")))
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def case_blocks(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(id, block) for every building block of a case document."""
    blocks = list(doc.get("building_blocks") or [])
    return list(zip(block_ids(blocks), blocks, strict=True))


def find_block(doc: dict[str, Any], block_id: str) -> dict[str, Any] | None:
    """The block with this id, or None."""
    return next((block for bid, block in case_blocks(doc) if bid == block_id), None)


def carry_ids(blocks: list[dict[str, Any]], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`blocks` with the explicit ids of `previous` carried over to the blocks of the same title, for an
    editor that does not show ids (its form would otherwise move every block page whose title it keeps)."""
    by_title = {b.get("title"): b["id"] for b in previous if b.get("id")}
    taken = {b["id"] for b in blocks if b.get("id")}
    out = []
    for block in blocks:
        old = by_title.get(block.get("title"))
        if not block.get("id") and old and old not in taken:
            block = {"id": old, **block}
            taken.add(old)
        out.append(block)
    return out
