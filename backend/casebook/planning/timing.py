"""Owners and timing: who carries each task and line, and when.

`when` is one of four phases, taken from the MSP step a task belongs to and from the guidelines' own timing
where they give it (Task 7.1: coordination meetings at least monthly; Task 9.1: a midterm review). `owner` is
a role of the plan's partner map (in words), or "to be agreed" where the guidelines leave the choice to the
partners (Task 5.1 agrees the lead; Task 4.2 gives each activity to one partner). Both are editable, and an
edit is kept across re-generation like any other (by line id).
"""

from __future__ import annotations

from typing import Any

from casebook.planning.guidelines import step_of
from casebook.planning.words import role

PHASES = ("first month", "first quarter", "first year", "ongoing", "year two onwards")
TO_BE_AGREED = "to be agreed"

# Phase by task, else by step.
TASK_WHEN = {"2.3": "first quarter", "2.4": "first quarter", "7.1": "ongoing", "9.1": "first year"}
STEP_WHEN = {1: "first month", 2: "first month", 3: "first quarter", 4: "first quarter", 5: "first quarter",
             6: "first quarter", 7: "ongoing", 8: "ongoing", 9: "first year", 10: "first year",
             11: "year two onwards", 12: "year two onwards"}
TIMING_NOTES = {
    "7.1": "Coordination meetings at least monthly, with minutes (MSP Task 7.1).",
    "7.2": "Monthly and quarterly plans for each component (MSP Task 7.2).",
    "9.1": "Includes the midterm review by a review panel of all partners (MSP Task 9.1).",
    "8.3": "On the reporting cycle the partners agree (MSP Task 8.3).",
    "11": "After the first review, once the results show what works: scaling up takes years, not months (MSP Step 11).",
    "12": "After the first review, when the partners decide to sustain, hand over or close the partnership "
          "(MSP Step 12).",
}
# A target whose trust is low: the partnering agreement waits until bilateral talks and the first joint sessions
# have built enough trust (MSP Step 3: relationships come before the agreement; HSBP step 2: trust first).
LOW_TRUST_WHEN = {"3.4": "first year"}
LOW_TRUST_NOTE = ("Trust is low in the target: sign the partnering agreement only after the bilateral pre-meetings "
                  "and the first joint sessions have built enough trust, not in the first quarter.")
# Who carries a task, in order of preference among the partner map's roles.
TASK_OWNERS: dict[str, tuple[str, ...]] = {
    "1": ("dynamiser", "convener"), "2": ("dynamiser", "convener", "facilitator"),
    "3": ("facilitator", "dynamiser"), "3.1": ("dynamiser", "facilitator"),
    "2.4": ("knowledge-partner", "dynamiser"), "4": (), "5": ("facilitator",), "5.1": (), "5.2": (),
    "6": (), "6.2": ("funder",), "7.1": ("dynamiser", "facilitator"), "7.4": ("facilitator", "dynamiser"),
    "8": ("monitor", "knowledge-partner"), "9": ("facilitator",), "10": ("knowledge-partner", "dynamiser"),
    "11": ("dynamiser",), "12": (),
}


def when_for(task_id: str, target: dict[str, Any] | None = None) -> str:
    if ((target or {}).get("context") or {}).get("trust") == "low" and task_id in LOW_TRUST_WHEN:
        return LOW_TRUST_WHEN[task_id]
    return TASK_WHEN.get(task_id) or STEP_WHEN[step_of(task_id)]


def timing_note(task_id: str, target: dict[str, Any] | None = None) -> str | None:
    if ((target or {}).get("context") or {}).get("trust") == "low" and task_id in LOW_TRUST_WHEN:
        return LOW_TRUST_NOTE
    return TIMING_NOTES.get(task_id) or TIMING_NOTES.get(str(step_of(task_id)))


def owner_for(task_id: str, roles: list[str], filled: frozenset[str] = frozenset()) -> str:
    """The first preferred role someone in the target already holds, else the first preferred role of the map."""
    wanted = TASK_OWNERS.get(task_id, TASK_OWNERS.get(str(step_of(task_id)), ()))
    found = next((r for r in wanted if r in filled), None) or next((r for r in wanted if r in roles), None)
    return role(found) if found else TO_BE_AGREED


ONCE_AGREED = "{role}, once agreed"


def owner_choices(pmap: dict[str, Any], target: dict[str, Any]) -> list[str]:
    """What an owner may be: a role of the partner map (an unfilled one "once agreed"), a target partner by
    name, or 'to be agreed'."""
    names = [str(p.get("name")) for p in target.get("partners") or [] if p.get("name")]
    pending = [ONCE_AGREED.format(role=r["role_label"]) for r in pmap["rows"] if not r["target"]]
    return [*dict.fromkeys([*(r["role_label"] for r in pmap["rows"]), *pending, *names, TO_BE_AGREED])]


def assign(steps: list[dict[str, Any]], pmap: dict[str, Any], target: dict[str, Any] | None = None) -> None:
    """Sets `owner`, `when` (and a timing note where the guidelines give one) on every task and line, in place."""
    roles = [r["role"] for r in pmap["rows"]]
    filled = frozenset(r["role"] for r in pmap["rows"] if r["target"])
    finds = {f"gap-{r['role']}": r["role_label"] for r in pmap["rows"]}  # "Find the X": never owned by X
    unfilled = {r["role_label"] for r in pmap["rows"] if not r["target"]}
    for module in steps:
        for step in module["steps"]:
            for t in step["tasks"]:
                t["owner"], t["when"] = owner_for(t["task"], roles, filled), when_for(t["task"], target)
                if note := timing_note(t["task"], target):
                    t["timing"] = note
                for item in t["items"]:
                    item.setdefault("owner", t["owner"])
                    if finds.get(item["id"]) == item["owner"] or (
                            item["id"] == "tpl-partners" and item["owner"] in unfilled):  # who finds the partners
                        item["owner"] = TO_BE_AGREED
                    item.setdefault("when", t["when"])
                    if item["owner"] in unfilled:  # nobody holds the role yet: it owns the work once agreed
                        item["owner"] = ONCE_AGREED.format(role=item["owner"])
                if t["owner"] in unfilled:
                    t["owner"] = ONCE_AGREED.format(role=t["owner"])


def by_owner(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The work plan grouped by owner (after edits), in the order of the MSP steps (then phase): the page's and the
    reports' 'by owner' view."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for module in plan["steps"]:
        for step in module["steps"]:
            for t in step["tasks"]:
                for line in [t, *t["items"]]:
                    groups.setdefault(line.get("owner") or TO_BE_AGREED, []).append(
                        {"id": line["id"], "task": t["task"], "title": line.get("text") or f"{t['task']} {t['title']}",
                         "when": line.get("when"), "done": line.get("done", False), "is_task": line is t})
    order = {p: i for i, p in enumerate(PHASES)}
    out = []
    for owner in sorted(groups, key=lambda o: (o == TO_BE_AGREED, o)):
        lines = sorted(groups[owner], key=lambda x: ([int(n) for n in x["task"].split(".")], order.get(x["when"], 9)))
        out.append({"owner": owner, "lines": lines})
    return out
