"""Caveats: what the reader must know before trusting the plan, shown at the top of every view.

The template's status when it was never implemented or ended early, its evidence level, the context the
target relies on that the template does not record (so the plan cannot compare it), and a weak fit.
"""

from __future__ import annotations

from typing import Any

from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.planning.words import country, field, listing, slug_words

# Below this matcher score the template is a poor match (the matcher's scale: 1 the same case, 0 nothing in
# common); the plan then says so first and names the readable cases that match the target better.
WEAK_FIT = 0.4
ALTERNATIVES = 3
POOR = "The template is a poor match for the target"
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


def poor_match(score: float | None, similar: list[dict[str, Any]] | None) -> str | None:
    """The warning for a template below WEAK_FIT, naming up to three readable cases that match the target better
    (the matcher's ranking); None for a fair match."""
    if score is None or score >= WEAK_FIT:
        return None
    better = [s for s in similar or [] if (s.get("score") or 0) > score][:ALTERNATIVES]
    names = listing([f"“{s['title']}” ({country(s['case'].get('country'))})" for s in better])
    return (f"{POOR} ({round(score * 100)} out of 100): consider choosing another "
            + (f"template. The most comparable cases you may read are {names}." if better else
               "template; no case you may read matches better, so use this plan as a checklist, not as a model."))


def caveats(case: dict[str, Any], target: dict[str, Any], score: float | None,
            similar: list[dict[str, Any]] | None = None) -> list[str]:
    out = []
    if warning := poor_match(score, similar):
        out.append(warning)
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
    return out
