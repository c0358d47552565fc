"""Indicators: the template's outcome indicators, aligned to its SDGs, and the HSBP principles as meta-indicators.

MSP Task 2.4 (4) asks for a baseline of SDG-related indicators and Task 8.3 for reporting aligned with
the global indicator framework; HSBP step 7 makes the five principles 'meta-indicators' for joint
monitoring.
"""

from __future__ import annotations

import re
from typing import Any

from casebook.domain.facets import sdg_goal
from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, PRINCIPLES, principle_locator, task
from casebook.planning.words import listing
from casebook.search.vocabulary import SDG_NAMES

_WORD = re.compile(r"[a-z]+")
# Words of the SDG names that say nothing about one goal (several names use them, or every goal is about them).
GENERIC = frozenset({"sustainable", "communities", "growth", "strong", "institutions", "economic", "quality",
                     "responsible", "affordable", "clean"})


def sdg_label(goal: int) -> str:
    return f"SDG {goal} ({SDG_NAMES.get(goal, 'Sustainable Development Goal')})"


def goal_sdg(text: str, fallback: list[int]) -> int | None:
    """The SDG a goal statement serves: the one whose name shares a distinctive word with it (water, health,
    education, hunger…); None when no name does (the caller then asks the partners to choose)."""
    words = set(_WORD.findall(text.casefold()))
    named = [g for g, name in SDG_NAMES.items()
             if {w for w in _WORD.findall(name.casefold()) if len(w) >= 5 and w not in GENERIC} & words]
    return named[0] if named else None


def indicators(template_ref: dict[str, Any], reg: Register, target: dict[str, Any] | None = None,
               goals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The template's recorded outcomes; for each goal of the target, an indicator for the partners to choose
    under the SDG it serves; where the template records no outcome, the SDGs it served with the same request."""
    case = template_ref["case"]
    sdgs = [str(s) for s in case.get("sdgs") or []]
    sdg_goals = sorted({sdg_goal(s) for s in sdgs})
    case_ev = reg.case(template_ref)
    outcome = []
    for i, o in enumerate(case.get("outcomes") or []):
        outcome.append({
            "id": f"indicator-{i + 1}", "indicator": o["indicator"], "unit": o.get("unit"),
            "sdgs": [str(o["sdg"])] if o.get("sdg") else sdgs,
            "template": {k: o.get(k) for k in ("baseline", "target", "actual")},
            "target_site": "Measure the baseline in the target before work starts (Task 2.4).",
            "source": "template", "evidence": [case_ev, reg.source(task("2.4")), reg.source(task("8.3"))],
        })
    fallback = sorted({sdg_goal(s) for s in (target or {}).get("sdgs") or []}) or sdg_goals
    for g in [g for g in goals or [] if g["kind"] == "goal"]:
        sdg = goal_sdg(g["text"], fallback) or (fallback[0] if len(fallback) == 1 else None)
        if sdg:
            serves = f"It serves {sdg_label(sdg)}"
        elif fallback:
            serves = ("Agree with the partners which SDG it serves (the template served "
                      + listing([sdg_label(x) for x in fallback], "or") + ")")
        else:
            serves = "Agree with the partners which SDG it serves"
        outcome.append({
            "id": f"indicator-{g['id']}", "indicator": f"Progress towards the goal “{g['text']}”", "unit": None,
            "sdgs": [str(sdg)] if sdg else [], "template": None, "source": "target goal",
            "target_site": f"{serves}: choose one indicator of that goal's targets with the partners from the "
                           "global SDG indicator framework, and measure its baseline (Tasks 2.4 and 8.3).",
            "evidence": [reg.source(task("2.4")), reg.source(task("8.3"))],
        })
    if not case.get("outcomes"):
        for goal in sdg_goals:
            outcome.append({
                "id": f"indicator-sdg-{goal}", "indicator": f"Contribution to {sdg_label(goal)}", "unit": None,
                "sdgs": [s for s in sdgs if sdg_goal(s) == goal], "template": None, "source": "template SDG",
                "target_site": "The template records no indicator for it: choose one with the partners from the "
                               "global SDG indicator framework (Task 8.3), and measure its baseline (Task 2.4).",
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
