"""Compare two or three cases side by side, facet by facet, with the differing facets marked.

Each facet row holds one cell per case; a row differs when the cells are not all equal. In list
facets (sectors, SDGs...) the values every case shares are set apart from those only some have, so
the eye lands on what distinguishes the cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Template

from casebook.api.params import ActorDep, RuntimeDep
from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.services import case_picker, cases
from casebook.web.context import page_context

MAX_CASES = 3
LIST_FACETS = (("scenarios", "Scenarios"), ("sectors", "Sectors"), ("sdgs", "SDGs"),
               ("human_security", "Human security"), ("population_groups", "Population groups"),
               ("tools", "Tools"), ("challenges", "Challenges"))


@dataclass
class Row:
    group: str
    label: str
    cells: list[Any]  # a scalar, or a list of values
    shared: frozenset = frozenset()  # list facets: values every case has

    @property
    def differs(self) -> bool:
        normal = [sorted(map(str, c)) if isinstance(c, list) else c for c in self.cells]
        return any(c != normal[0] for c in normal[1:])


def parse_refs(raw: str) -> list[tuple[str, str]]:
    refs = [r.strip() for r in raw.split(",") if r.strip()]
    problems = [Problem(f"{r!r} is not tenant/slug", field="cases") for r in refs if r.count("/") != 1]
    if len(refs) > MAX_CASES:
        problems.append(Problem(f"compare at most {MAX_CASES} cases", field="cases"))
    if len(set(refs)) != len(refs):
        problems.append(Problem("the same case is listed twice", field="cases"))
    if problems:
        raise InvalidInput(problems)
    return [tuple(r.split("/")) for r in refs]  # type: ignore[misc]


def _period(period: dict | None) -> str | None:
    if not period or not (period.get("start") or period.get("end")):
        return None
    return f"{period.get('start') or '?'}–{period.get('end') or 'ongoing'}"


def _list_row(group: str, label: str, values: list[list[Any]]) -> Row:
    sets = [set(map(str, v)) for v in values]
    shared = frozenset(set.intersection(*sets)) if sets else frozenset()
    return Row(group, label, values, shared)


def facet_rows(docs: list[dict[str, Any]]) -> list[Row]:
    rows = [
        Row("Where and when", "Country", [d.get("country") or "multi-country" for d in docs]),
        Row("Where and when", "Locality", [d.get("locality") for d in docs]),
        Row("Where and when", "Period", [_period(d.get("period")) for d in docs]),
        Row("Where and when", "Status", [d.get("status") for d in docs]),
        Row("Where and when", "Evidence", [d.get("evidence_level") for d in docs]),
    ]
    rows += [_list_row("Facets", label, [d.get(key) or [] for d in docs]) for key, label in LIST_FACETS]
    rows += [Row("Context", key.replace("_", " ").capitalize(), [(d.get("context") or {}).get(key) for d in docs])
             for key in CONTEXT_SCALES]
    rows += [
        _list_row("Partnership", "Partner types",
                  [sorted({p.get("type") for p in d.get("partners") or []}) for d in docs]),
        _list_row("Partnership", "Scaling dimensions",
                  [sorted({s.get("dimension") for s in d.get("scaling") or []}) for d in docs]),
        _list_row("Partnership", "Risk areas", [sorted({r.get("area") for r in d.get("risks") or []}) for d in docs]),
        Row("Partnership", "Partners", [len(d.get("partners") or []) for d in docs]),
        Row("Partnership", "Building blocks", [len(d.get("building_blocks") or []) for d in docs]),
        Row("Partnership", "Lessons", [len(d.get("lessons") or []) for d in docs]),
    ]
    return rows


@get("/compare", name="compare")
async def compare(request: Request, actor: ActorDep, runtime: RuntimeDep) -> Template:
    """`cases` lists tenant/slug refs; `add` is what the picker sent: a ref, or typed text resolved to one case
    (without JavaScript the picker is a plain text field), else a message with the cases it could mean."""
    refs = parse_refs(request.query_params.get("cases") or "")
    typed = (request.query_params.get("add") or "").strip()
    picked = await case_picker.resolve(actor, typed, runtime.search) if typed else None
    if picked and picked.ref:
        refs = parse_refs(",".join([*(f"{t}/{s}" for t, s in refs), picked.ref]))
    items = [await cases.get_case(actor, tenant, slug) for tenant, slug in refs]
    rows = facet_rows([i["case"] for i in items]) if len(items) >= 2 else []
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    chosen = [f"{t}/{s}" for t, s in refs]
    return Template("compare.html", context=page_context(
        actor, items=items, groups=groups, can_add=len(items) < MAX_CASES, refs=chosen,
        typed=typed if picked and not picked.ref else "", picked=picked if picked and not picked.ref else None,
        differing=sum(r.differs for r in rows), total=len(rows)), status_code=200)


PAGES = [compare]
