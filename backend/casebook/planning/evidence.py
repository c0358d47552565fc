"""The evidence register of a plan: every case, lesson, lesson record, building block and source a line cites.

Lines hold evidence ids; the register resolves each id to a case page URL
(/cases/{tenant}/{slug}#lesson-N, 1-based like the page's anchors; a block's own page
/cases/{tenant}/{slug}/blocks/{id}) or to a source locator.
"""

from __future__ import annotations

from typing import Any

from casebook.domain.blocks import case_blocks
from casebook.planning.guidelines import Locator
from casebook.planning.provenance import source_citation, status_clause


def case_url(tenant: str, slug: str, anchor: str | None = None) -> str:
    return f"/cases/{tenant}/{slug}" + (f"#{anchor}" if anchor else "")


def block_url(tenant: str, slug: str, block_id: str) -> str:
    return f"/cases/{tenant}/{slug}/blocks/{block_id}"


def merged_label(a: str, b: str) -> str:
    """Two labels of one place: the more specific if one extends the other, else the first with the second's
    parenthesis added ("step 5 '…' (facilitator)" + "step 5 '…' (protocols)" -> "step 5 '…' (facilitator;
    protocols)")."""
    if b.startswith(a) or a.startswith(b):
        return max(a, b, key=len)
    base, _, extra = b.partition(" (")
    if extra and a.startswith(base + " (") and extra.rstrip(")") not in a:
        return f"{a[:-1]}; {extra}" if a.endswith(")") else f"{a} ({extra}"
    return a


def _provenance(case: dict[str, Any] | None) -> dict[str, Any]:
    """What the annex prints beside a case item: the source document and locator the case records (`cited`),
    and, for a case never carried out or never evaluated, a note saying so (`status_note`)."""
    clause = status_clause(case)
    return {"cited": source_citation(case), "status_note": f"A case {clause}." if clause else None}


class Register:
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}

    def _add(self, key: str, entry: dict[str, Any]) -> str:
        self.entries.setdefault(key, {"id": key, **entry})
        return key

    def source(self, locator: Locator) -> str:
        """One entry per place in a source document, however many labels cite it: the labels are merged
        ("Task 3.2 'Assess rewards and risks'" and "… (five risk areas)" are one entry, not two)."""
        entry = self.entries.get(locator.key)
        if entry is not None and entry["locator"] != locator.label:
            entry["locator"] = merged_label(entry["locator"], locator.label)
        return self._add(locator.key, locator.as_dict())

    def case(self, ref: dict[str, Any]) -> str:
        return self._add(f"case:{ref['tenant']}/{ref['slug']}", {
            "kind": "case", "tenant": ref["tenant"], "slug": ref["slug"], "title": ref["title"],
            "url": case_url(ref["tenant"], ref["slug"]), **_provenance(ref["case"])})

    def lesson(self, ref: dict[str, Any], index: int) -> str:
        """`index` is 0-based into the case's lessons; the anchor is 1-based."""
        n = index + 1
        return self._add(f"lesson:{ref['tenant']}/{ref['slug']}#{n}", {
            "kind": "lesson", "tenant": ref["tenant"], "slug": ref["slug"], "title": ref["title"], "number": n,
            "text": ref["case"]["lessons"][index], "url": case_url(ref["tenant"], ref["slug"], f"lesson-{n}"),
            **_provenance(ref["case"])})

    def block(self, ref: dict[str, Any], block_id: str) -> str:
        """A building block of a case by its stable id (domain.blocks), linked to the block's own page."""
        block = dict(case_blocks(ref["case"]))[block_id]
        return self._block(ref["tenant"], ref["slug"], ref["title"], block_id, block["title"], ref["case"])

    def library_block(self, cand: dict[str, Any]) -> str:
        """A block of another case, proposed for one of the target's goals."""
        return self._block(cand["tenant"], cand["slug"], cand["case_title"], cand["block_id"], cand["block"]["title"],
                           cand.get("case"))

    def _block(self, tenant: str, slug: str, title: str, block_id: str, block_title: str,
               case: dict[str, Any] | None) -> str:
        return self._add(f"block:{tenant}/{slug}/{block_id}", {
            "kind": "block", "tenant": tenant, "slug": slug, "title": title, "block": block_id,
            "text": block_title, "url": block_url(tenant, slug, block_id), **_provenance(case)})

    def lesson_record(self, rec: dict[str, Any]) -> str:
        """A lesson learned kept as its own record (casebook.services.lessons), not a line of a case."""
        return self._add(f"lesson-record:{rec['tenant']}/{rec['slug']}", {
            "kind": "lesson-record", "tenant": rec["tenant"], "slug": rec["slug"], "title": rec["title"],
            "text": f"lesson learned by {rec['organisation']}", "url": f"/lessons/{rec['tenant']}/{rec['slug']}"})

    def annex(self) -> list[dict[str, Any]]:
        """Cases first (grouped with their lessons and blocks), then the lesson records, then sources; stable
        order for diffs."""
        order = {"case": 0, "block": 1, "lesson": 2, "lesson-record": 3, "source": 4}

        def sort_key(e: dict[str, Any]) -> tuple:
            if e["kind"] == "source":
                return (2, e["source"], e["line"], e["locator"])
            if e["kind"] == "lesson-record":  # one group of lesson records, after the cases
                return (1, e["tenant"], e["slug"], 0, 0, "")
            return (0, e["tenant"], e["slug"], order[e["kind"]], e.get("number", 0), e.get("block", ""))
        return sorted(self.entries.values(), key=sort_key)
