"""The first-meeting brief: one or two pages a practitioner takes into the first partners' meeting.

Why this template, the five differences that matter most, who to invite (by role, with the gaps and what
to look for), the decisions to take at the first meeting, and the first tasks with their owners.
"""

from __future__ import annotations

from typing import Any

from casebook.planning.caveats import POOR, fit_words
from casebook.planning.words import country, listing, short_title

# Which differences matter most: context that decides what can be replicated first (MSP chapter III), then
# who is involved, then where and in which sector, then the rest.
DIFFERENCE_ORDER = ("conceptual", "social", "political", "physical")
FIRST_WHEN = ("first month",)
MAX_DIFFERENCES, MAX_TASKS = 5, 8


def _why(plan: dict[str, Any], template: dict[str, Any]) -> str:
    agreed = [a["text"] for a in plan["fit"]["agreements"] if a.get("facet") != "text"]
    reasons = f" Like the target, it has {'; and '.join(agreed)}." if agreed else ""
    blocks = plan["building_blocks"]
    kept = sum(b["status"] == "transfer as-is" for b in blocks)
    moves = ""
    if blocks:
        moves = (f" None of its {len(blocks)} building blocks transfers unchanged." if not kept else
                 f" {kept} of its {len(blocks)} building blocks transfer unchanged." if kept > 1 else
                 f" One of its {len(blocks)} building blocks transfers unchanged.")
    poor = next((c for c in plan.get("caveats") or [] if c.startswith(POOR)), None)
    named = f"“{short_title(template['title'])}” ({country(template.get('country'))})"
    if poor:  # the score is in the warning already
        shared = reasons.strip()
        shared = shared[:1].lower() + shared[1:] if shared else "it shares little with the target."
        return f"{poor} If you keep {named}: {shared}{moves}"
    return f"{named} is {fit_words(plan['fit']['score'])} for {plan['target']['title']}.{reasons}{moves}"


def _differences(plan: dict[str, Any]) -> list[str]:
    items = [i for d in DIFFERENCE_ORDER for i in plan["dimensions"][d]["items"]]
    seen, out = set(), []
    for item in items:
        key = item.get("rule")
        if key in seen:
            continue
        seen.add(key)
        out.append(f"{item['differs']}. {item['text']}")
        if len(out) == MAX_DIFFERENCES:
            break
    return out


def _invite(plan: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for row in plan["partner_map"]["rows"]:
        who = listing([p["name"] for p in row["target"]])
        out.append({"role": row["role_label"], "who": who or None, "gap": not row["target"],
                    "look_for": row.get("look_for"), "note": row.get("note")})
    return out


def _decisions(plan: dict[str, Any]) -> list[str]:
    out = ["Agree why a partnership is needed and the shared goals: "
           + (listing([f"“{g['text']}”" for g in plan["goals"] if g["kind"] == "goal"]) or "state them together")
           + "."]
    gaps = [r for r in plan["partner_map"]["rows"] if not r["target"]]
    if gaps:
        out.append("Decide who will approach the missing partners: " + listing([r["role_label"] for r in gaps]) + ".")
    if plan["partner_map"].get("independent_facilitator"):
        out.append("Agree on an outside facilitator that no party objects to, before any joint meeting on the "
                   "disputed issues.")
    out.append("Agree who leads and how decisions are taken and recorded until the partnering agreement is signed.")
    out.append("Agree how often the partners meet (the guidelines advise coordination meetings at least monthly) "
               "and who keeps the minutes.")
    return out


def _first_tasks(plan: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for module in plan["steps"]:
        for step in module["steps"]:
            for t in step["tasks"]:
                for item in t["items"]:
                    if item.get("when") in FIRST_WHEN and item.get("kind") != "from-lessons":
                        out.append({"id": item["id"], "text": item["text"], "owner": item["owner"],
                                    "when": item["when"], "task": t["task"]})
    return out[:MAX_TASKS]


def brief(plan: dict[str, Any]) -> dict[str, Any]:
    template = plan["template"]
    return {"why": _why(plan, template), "differences": _differences(plan), "invite": _invite(plan),
            "decisions": _decisions(plan), "first_tasks": _first_tasks(plan)}
