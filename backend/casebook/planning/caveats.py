"""Caveats: what the reader must know before trusting the plan, shown at the top of every view.

The template's status when it was never implemented or ended early, its evidence level, the context the
target relies on that the template does not record (so the plan cannot compare it), and a weak fit.
"""

from __future__ import annotations

from typing import Any

from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.planning.words import field, listing, slug_words

WEAK_FIT = 0.4
STATUS = {
    "proposed": "The template was only proposed: its source reports no implementation, so none of its building "
                "blocks has been tried in practice. Treat them as ideas to test, not as proven practice.",
    "terminated": "The template partnership was terminated before it ended as planned: learn from why it stopped "
                  "before copying it.",
}
EVIDENCE = {
    "self-reported": "The evidence is self-reported by the partners and has not been checked by anyone else.",
    "documented": "The evidence is documented in a published source but has not been independently evaluated.",
}


def fit_words(score: float | None) -> str:
    if score is None:
        return "not scored"
    strength = "a strong" if score >= 0.6 else "a moderate" if score >= WEAK_FIT else "a weak"
    return f"{strength} match ({round(score * 100)} out of 100)"


def caveats(case: dict[str, Any], target: dict[str, Any], score: float | None) -> list[str]:
    out = []
    if case.get("status") in STATUS:
        out.append(STATUS[case["status"]])
    if case.get("evidence_level") in EVIDENCE:
        out.append(EVIDENCE[case["evidence_level"]])
    if case.get("evidence_level") != "independently-evaluated" and not any(
            o.get("actual") is not None for o in case.get("outcomes") or []):
        out.append("No result of the template has been measured: there is no outcome figure to aim for.")
    tpl, tgt = case.get("context") or {}, target.get("context") or {}
    unknown = [f"{field(k)} ({slug_words(tgt[k])} in the target)" for k in CONTEXT_SCALES
               if tgt.get(k) is not None and tpl.get(k) is None]
    if target.get("sectors") and not case.get("sectors"):
        unknown.append(f"sector ({listing([slug_words(s) for s in target['sectors']])} in the target)")
    if unknown:
        out.append(f"The template does not record {listing(unknown)}; the plan cannot say whether the target "
                   f"differs there, so check {'it' if len(unknown) == 1 else 'them'} with the partners.")
    if score is not None and score < WEAK_FIT:
        out.append(f"The template is {fit_words(score)} for the target: much of it will need adapting, and a "
                   "more similar case may serve better (see the similar cases).")
    return out
