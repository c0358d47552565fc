"""The first-meeting brief: one or two pages a practitioner takes into the first partners' meeting.

Why this template (a weak template says so first, with the cases that fit better), the five differences that
matter most, who to invite (the actors the target names first, by role, with the gaps and what to look for, and
what each brought in the template), the rules of the meeting (decisions, commitments and timelines; language;
consultation that does not put participants at risk; what each party brings), the decisions to take at the
first meeting, and the first tasks with their owners.
"""

from __future__ import annotations

from typing import Any

from casebook.planning.caveats import ALTERNATIVES, POOR, fit_words
from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, task
from casebook.planning.words import country, first_sentence, listing, short_title, slug_words

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
    """One line per role: the actors the target names in its own words first (in the order it names them), then
    the template's roles. A named actor is who to invite, not a gap."""
    rows = plan["partner_map"]["rows"]
    named = sorted((r for r in rows if r.get("named")), key=lambda r: _named_order(plan, r))
    out = []
    for row in [*named, *(r for r in rows if not r.get("named"))]:
        who = listing([p["name"] for p in row["target"]])
        mention = row.get("named")
        if mention and who:  # a bare "company" adds nothing to the partner's own name
            who = f"{who} (“{mention['phrase']}” in your {mention['where']})" if " " in mention["phrase"] else who
        elif mention:
            who = f"{mention['phrase'][:1].upper()}{mention['phrase'][1:]}, named in your {mention['where']}"
        brought = [p for p in row["template"] if p.get("contribution")]
        was = f"In the template, {brought[0]['name']}: {first_sentence(brought[0]['contribution'], 160)}" \
            if brought else None
        out.append({"role": row["role_label"], "who": who or None, "gap": not who, "named": bool(mention),
                    "look_for": row.get("look_for"), "note": None if mention else row.get("note"),
                    "brought": was})
    return out


def _named_order(plan: dict[str, Any], row: dict[str, Any]) -> int:
    phrases = [r["named"]["phrase"] for r in plan["partner_map"]["rows"] if r.get("named")]
    text = " ".join([str(plan["target"].get("goals") or ""), str(plan["target"].get("summary") or "")])
    at = text.find(row["named"]["phrase"])
    return at if at >= 0 else len(text) + phrases.index(row["named"]["phrase"])


def _decisions(plan: dict[str, Any]) -> list[str]:
    out = ["Agree why a partnership is needed and the shared goals: "
           + (listing([f"“{g['text']}”" for g in plan["goals"] if g["kind"] == "goal"]) or "state them together")
           + "."]
    gaps = [r for r in plan["partner_map"]["rows"] if not r["target"] and not r.get("named")]
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
    """The first month's work; where nobody holds the convenor's role yet, finding it comes first, since every
    other first task waits for it."""
    out = []
    for module in plan["steps"]:
        for step in module["steps"]:
            for t in step["tasks"]:
                for item in t["items"]:
                    if item.get("when") in FIRST_WHEN and item.get("kind") != "from-lessons":
                        out.append({"id": item["id"], "text": item["text"], "owner": item["owner"],
                                    "when": item["when"], "task": t["task"]})
    out.sort(key=lambda i: i["id"] != "gap-dynamiser")
    return out[:MAX_TASKS]


def _better(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The readable cases the matcher ranks above a weak template for this target, best first."""
    if not any(c.startswith(POOR) for c in plan.get("caveats") or []):
        return []
    score = plan["fit"]["score"] or 0
    return [{"title": s["title"], "country": s.get("country_name") or "several countries", "url": s["url"],
             "fit": fit_words(s.get("score"))}
            for s in plan.get("similar_cases") or [] if (s.get("score") or 0) > score][:ALTERNATIVES]


def brief(plan: dict[str, Any], rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """`rules`: the meeting rules with their evidence (`meeting_rules`, built where the register is); kept as
    they are when the brief is rebuilt after edits."""
    template = plan["template"]
    poor = next((c for c in plan.get("caveats") or [] if c.startswith(POOR)), None)
    return {"fit_warning": poor, "better_templates": _better(plan), "why": _why(plan, template),
            "differences": _differences(plan), "invite": _invite(plan),
            "rules": rules if rules is not None else (plan.get("brief") or {}).get("rules", []),
            "decisions": _decisions(plan), "first_tasks": _first_tasks(plan)}


# What in the target makes consulting risky for those who take part, in words.
TENSE = {("trust", "low"): "trust is low", ("conflict", "active"): "the conflict is active",
         ("conflict", "post-conflict"): "the area is emerging from conflict",
         ("power_asymmetry", "high"): "power is very unequal"}
RULE_LESSONS = {"protocols": "agree-protocols-for-decisions-commitments-and-timelines",
                "consult": "consult-with-care-for-those-taking-part"}


def meeting_rules(target: dict[str, Any], pmap: dict[str, Any], records: list[dict[str, Any]],
                  reg: Register) -> list[dict[str, Any]]:
    """The ground rules the first meeting agrees, from the HSBP Framework and the MSP guidelines (and the lesson
    records that carry them, where the actor reads them), each with its evidence."""
    lessons = {r["slug"]: r for r in records}

    def cite(lesson: str | None, *passages: str) -> list[str]:
        ids = [reg.lesson_record(lessons[lesson])] if lesson in lessons else []
        return ids + [reg.source(PASSAGES[p]) if p in PASSAGES else reg.source(task(p)) for p in passages]

    context = target.get("context") or {}
    tense = [words for (k, value), words in TENSE.items() if context.get(k) == value]
    tense += [slug_words(c) for c in target.get("challenges") or []]
    groups = listing([slug_words(g) for g in target.get("population_groups") or []])
    return [
        {"id": "rule-protocols", "text": "Agree the rules of the partnership before its substance: how decisions are "
         "taken (and what happens when the partners disagree), how each commitment is recorded and followed up, and "
         "the timelines for the agreed goals; write them in the minutes everyone receives.",
         "evidence": cite(RULE_LESSONS["protocols"], "hsbp-protocols", "5.3")},
        {"id": "rule-language", "text": "Hold the meeting in the languages the participants speak, with "
         "interpretation where they differ, so that everyone has a voice"
         + (f" ({groups} among them)" if groups else "") + "; give every party a short written record of the "
         "agreements in its own language.", "evidence": cite(None, "hsbp-step6")},
        {"id": "rule-consult", "text": "Do no harm in consulting: decide with those at risk where to meet, who is in "
         "the room, and what is recorded and shared, so that taking part exposes nobody to retaliation"
         + (f" (here {listing(tense)})" if tense else "") + "; agree how someone can raise a concern in confidence.",
         "evidence": cite(RULE_LESSONS["consult"], "hsbp-step6", "grievance", "7.4")},
        {"id": "rule-brings", "text": "Ask each party to say what it brings (money, staff, knowledge, data, meeting "
         "space or other support in kind) and what it expects in return, and record both: the resource map of "
         "Task 3.1 starts here.", "evidence": cite(None, "resources-disclose", "3.1")},
    ] + ([{"id": "rule-facilitator", "text": "Until an independent facilitator is agreed, the convenor chairs only "
           "the procedural part of the meeting and no party chairs the discussion of the disputed issues.",
           "evidence": cite("independent-local-facilitator-trusted-by-all", "hsbp-step5")}]
         if pmap.get("independent_facilitator") and any(r["role"] == "facilitator" and not r["target"]
                                                        for r in pmap["rows"]) else [])
