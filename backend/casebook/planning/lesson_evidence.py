"""Lesson records as plan evidence: Task 11.1 (2) asks that lessons learned go into the design of a replication.

The services load the lesson records the plan's actor may read (`services.plans.plan_lessons`: the
access rule decides; a lesson another organisation keeps private never reaches a plan). This module is
pure: `cite` picks the records that bear on this plan — linked to the template or to a similar case, or
on the MSP steps and scaling dimensions the plan adapts — and cites them on the adaptation items and risk
mitigations they speak to, and as `from-lessons` lines under a task of their own steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casebook.planning.evidence import Register
from casebook.planning.guidelines import STEPS, step_of, task
from casebook.planning.risks import AREA_WORDS, RELEVANT, TARGET, TextScores

MAX_LINES = 6  # from-lessons lines per plan
PER_ITEM = 2  # lesson records cited per adaptation item
LINKED_TEMPLATE, LINKED_SIMILAR = 4, 2  # relevance weights, above any step/dimension overlap


def _ref(ref: dict[str, Any]) -> str:
    return f"{ref['tenant']}/{ref['slug']}"


def _score(rec: dict[str, Any], template: str, similar: set[str], steps: set[int], dims: set[str]) -> int:
    lesson = rec["lesson"]
    linked = set(lesson.get("cases") or [])
    return ((LINKED_TEMPLATE if template in linked else 0) + (LINKED_SIMILAR if linked & similar else 0)
            + len(steps & set(lesson.get("msp_steps") or [])) + len(dims & set(lesson.get("dimensions") or [])))


def _words(rec: dict[str, Any]) -> str:
    lesson = rec["lesson"]
    return " ".join([lesson["title"], lesson["body"], *(lesson.get("tags") or [])]).casefold()


def record_text(rec: dict[str, Any]) -> str:
    """A lesson record as the text model scores it against the target and the risks."""
    return f"{rec['lesson']['title']} {rec['lesson']['body']}"


def _why(rec: dict[str, Any], template: str, similar: set[str]) -> str:
    linked = set(rec["lesson"].get("cases") or [])
    if template in linked:
        return f"A lesson learned by {rec['organisation']} on the template case."
    if linked & similar:
        return f"A lesson learned by {rec['organisation']} on one of the cases most similar to the target."
    return f"A lesson learned by {rec['organisation']} on the MSP steps and scaling dimensions this plan adapts."


def _origin(rec: dict[str, Any], template: str, similar: set[str]) -> str:
    """Where a lesson comes from, so nobody reads it as written for the target."""
    linked = set(rec["lesson"].get("cases") or [])
    return ("on the template case" if template in linked else "on a case similar to the target" if linked & similar
            else "in other partnerships")


def _task_for(rec: dict[str, Any], adaptations: list[dict[str, Any]], steps: set[int],
              pick: Callable[[str], str]) -> str:
    """Where the lesson goes: the task its words point to (`pick`, as for a case's lessons) when that is on one
    of its steps; else the first adaptation task on its steps and dimensions, so it sits next to the work it
    informs; else the first task of its first step the plan adapts (or of its first step)."""
    lesson = rec["lesson"]
    own, dims = lesson.get("msp_steps") or [], set(lesson.get("dimensions") or [])
    guess = pick(_words(rec))
    if step_of(guess) in own:
        return guess
    beside = [i["task"] for i in adaptations if step_of(i["task"]) in own and i["dimension"] in dims]
    if beside:
        return beside[0]
    step = next((s for s in own if s in steps), own[0] if own else 1)
    return next(t.id for s in STEPS if s.number == step for t in s.tasks)


def apply(records: list[dict[str, Any]], template_ref: dict[str, Any], similar: list[dict[str, Any]],
          adaptations: list[dict[str, Any]], blocks: list[dict[str, Any]], risks: list[dict[str, Any]],
          reg: Register, pick_task: Callable[[str], str], scores: TextScores | None = None) -> list[dict[str, Any]]:
    """Cites the relevant records on adaptation items and risk mitigations (in place) and returns the
    from-lessons lines for the work plan. `pick_task(text) -> task id` places a lesson by its words, as the
    plan does with a case's own lessons."""
    template, similar_refs = _ref(template_ref), {_ref(s) for s in similar}
    steps = {step_of(i["task"]) for i in adaptations} | {s for b in blocks for s in b["msp_steps"]}
    dims = {i["dimension"] for i in adaptations}
    scored = sorted(((_score(r, template, similar_refs, steps, dims), r) for r in records),
                    key=lambda sr: (-sr[0], sr[1]["tenant"], sr[1]["slug"]))
    relevant = [r for score, r in scored if score > 0]
    for item in adaptations:
        matching = [r for r in relevant if item["dimension"] in (r["lesson"].get("dimensions") or [])
                    and step_of(item["task"]) in (r["lesson"].get("msp_steps") or [])][:PER_ITEM]
        item["evidence"].extend(reg.lesson_record(r) for r in matching)
    linked = {_ref(r) for r in relevant if set(r["lesson"].get("cases") or []) & ({template} | similar_refs)}
    _cite_risks(relevant, risks, reg, scores or TextScores(), linked)
    lines = []
    for rec in relevant[:MAX_LINES]:
        task_id = _task_for(rec, adaptations, steps, pick_task)
        lines.append({"id": f"lesson-record-{rec['tenant']}-{rec['slug']}", "task": task_id, "kind": "from-lessons",
                      "text": f"Check whether this lesson, learned by {rec['organisation']} "
                              f"{_origin(rec, template, similar_refs)}, holds here: {rec['title']}",
                      "why": _why(rec, template, similar_refs),
                      "done": False, "evidence": [reg.lesson_record(rec), reg.source(task(task_id))]})
    return lines


def _cite_risks(records: list[dict[str, Any]], risks: list[dict[str, Any]], reg: Register, scores: TextScores,
                linked: set[str]) -> None:
    """Adds to each risk's mitigation the most relevant lesson that speaks to it: one whose words name the
    risk area (and, for a risk from a difference, on the same scaling dimension), that no other risk cites, and
    that shares words with what the risk is about (the matcher's text model) or was learnt on the template or a
    similar case (`linked`), the closest to the risk and to the target's own text first."""
    used: set[str] = set()
    scored = bool(scores.keys)
    for risk in risks:
        words = AREA_WORDS.get(risk["area"], ())
        candidates = [r for r in records if any(w in _words(r) for w in words) and _ref(r) not in used]
        if risk.get("dimension"):
            candidates = [r for r in candidates if risk["dimension"] in (r["lesson"].get("dimensions") or [])]
        if scored:
            about = {_ref(r): scores.get(risk["id"], record_text(r)) for r in candidates}
            candidates = sorted((r for r in candidates if about[_ref(r)] >= RELEVANT or _ref(r) in linked),
                                key=lambda r: -(about[_ref(r)] + scores.get(TARGET, record_text(r))))
        if candidates:
            rec = candidates[0]
            used.add(_ref(rec))
            risk["mitigation"] = (f"{risk['mitigation']} See also the lesson learned “{rec['title']}” "
                                  f"({rec['organisation']}).")
            risk["evidence"].append(reg.lesson_record(rec))
