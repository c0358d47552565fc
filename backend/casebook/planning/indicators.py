"""Indicators: the template's outcome indicators, aligned to its SDGs, and the HSBP principles as meta-indicators.

MSP Task 2.4 (4) asks for a baseline of SDG-related indicators and Task 8.3 for reporting aligned with
the global indicator framework; HSBP step 7 makes the five principles 'meta-indicators' for joint
monitoring.
"""

from __future__ import annotations

from typing import Any

from casebook.domain.facets import sdg_goal
from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, PRINCIPLES, principle_locator, task


def indicators(template_ref: dict[str, Any], reg: Register) -> dict[str, Any]:
    case = template_ref["case"]
    sdgs = [str(s) for s in case.get("sdgs") or []]
    goals = sorted({sdg_goal(s) for s in sdgs})
    case_ev = reg.case(template_ref)
    outcome = []
    for i, o in enumerate(case.get("outcomes") or []):
        outcome.append({
            "id": f"indicator-{i + 1}", "indicator": o["indicator"], "unit": o.get("unit"),
            "sdgs": [str(o["sdg"])] if o.get("sdg") else sdgs,
            "template": {k: o.get(k) for k in ("baseline", "target", "actual")},
            "target_site": "baseline to establish in the target (Task 2.4)",
            "evidence": [case_ev, reg.source(task("2.4")), reg.source(task("8.3"))],
        })
    if not outcome:
        for goal in goals:
            outcome.append({
                "id": f"indicator-sdg-{goal}", "indicator": f"Contribution to SDG {goal}: choose an indicator from "
                "the global SDG indicator framework", "unit": None, "sdgs": [s for s in sdgs if sdg_goal(s) == goal],
                "template": {"baseline": None, "target": None, "actual": None},
                "target_site": "baseline to establish in the target (Task 2.4)",
                "evidence": [case_ev, reg.source(task("8.3"))],
            })
    meta = []
    for slug, (heading, _, question) in PRINCIPLES.items():
        meta.append({
            "id": f"meta-{slug}", "principle": slug, "title": heading.split(". ")[-1], "question": question,
            "template_practice": (case.get("principles") or {}).get(slug),
            "evidence": [reg.source(principle_locator(slug)), reg.source(PASSAGES["hsbp-step7"])],
        })
    return {"outcomes": outcome, "meta": meta}
