"""Indicators: the template's outcome indicators, aligned to its SDGs, and the HSBP principles as meta-indicators.

MSP Task 2.4 (4) asks for a baseline of SDG-related indicators and Task 8.3 for reporting aligned with
the global indicator framework; HSBP step 7 makes the five principles 'meta-indicators' for joint
monitoring.
"""

from __future__ import annotations

import re
from typing import Any

from casebook.domain.record_filters import sdg_goal
from casebook.domain.vocabulary import SDG_NAMES
from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, PRINCIPLES, principle_locator, task
from casebook.planning.words import country, listing

_WORD = re.compile(r"[a-z]+")
# Words of the SDG names that say nothing about one goal (several names use them, or every goal is about them).
GENERIC = frozenset({"sustainable", "communities", "growth", "strong", "institutions", "economic", "quality",
                     "responsible", "affordable", "clean"})


def sdg_label(goal: int) -> str:
    return f"SDG {goal} ({SDG_NAMES.get(goal, 'Sustainable Development Goal')})"


def template_sdgs(case: dict[str, Any], conj: str = "and") -> str:
    """Where the template's SDG numbers come from, in words: the editors' mapping (the case's `mapped` list) is
    not something the template served ('the editors mapped the template to SDG 5 (…) and SDG 16 (…)')."""
    goals = sorted({sdg_goal(str(s)) for s in case.get("sdgs") or []})
    if not goals:
        return ""
    named = listing([sdg_label(g) for g in goals], conj)
    return (f"the editors mapped the template to {named}" if "sdgs" in (case.get("mapped") or [])
            else f"the template's source links it to {named}")


def goal_sdg(text: str, fallback: list[int]) -> int | None:
    """The SDG a goal statement serves: the one whose name shares a distinctive word with it (water, health,
    education, hunger…); None when no name does (the caller then asks the partners to choose)."""
    words = set(_WORD.findall(text.casefold()))
    named = [g for g, name in SDG_NAMES.items()
             if {w for w in _WORD.findall(name.casefold()) if len(w) >= 5 and w not in GENERIC} & words]
    return named[0] if named else None


# The indicator forms a goal of a given shape is measured with (the MSP guidelines' Task 2.4 asks for a baseline,
# Task 8.3 for output and outcome indicators): the first shape whose word stem the goal uses gives the proposal.
# These are forms of measurement, not retrieval: the goal's own words fill them in.
SHAPES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("hand over", "hand coordination", "handover", "hand the", "hand it"), (
        "Successor organisation named and accepted by every partner (date)",
        "Successor's capacity for the role assessed and, where needed, built (date)",
        "Role handed over to the successor (date)")),
    (("monitor", "sampling", "measur"), (
        "Joint monitoring rounds held with every party present (number per year)",
        "Share of monitoring results published to all parties within the agreed time (%)")),
    (("coverage", "vaccinat", "immunis", "immuniz", "reach"), (
        "Coverage of the group the goal names (% of the group, by area)",
        "Areas not reached in the last round, with the reason (number)")),
    (("grievance", "complaint"), (
        "Complaints received through the mechanism (number, by who raised them)",
        "Share of complaints resolved within the agreed time, to the satisfaction of those who raised them (%)")),
    (("publish", "posted", "disclos"), (
        "Decisions and data published within the agreed time, in the agreed languages (%)",)),
    (("dialogue", "table", "forum", "platform", "committee", "council"), (
        "Sessions held with every party present (number per year)",
        "Share of the agreements taken at the sessions carried out on time (%)")),
    (("land", "lease", "compensation", "tenure"), (
        "Affected families with agreed and signed terms (share of all affected families, %)",
        "Disputes over the terms still open (number)")),
    (("job", "employ", "livelihood", "income"), (
        "Local people employed or earning through the partnership (number, by sex and age)",
        "Share of them still employed a year later (%)")),
    (("promot", "pay rise", "wage"), (
        "Participants promoted within the agreed time, with the agreed pay rise (% of those who completed)",)),
    (("contract", "premium", "price"), (
        "Volume sold under the agreed terms (per year)",
        "Premium or price paid under the terms, and the share of producers receiving it (%)")),
    (("trust", "leader", "mobilis", "mobiliz"), (
        "Leaders and groups the goal names who take part actively (number)",
        "Share of the community who say they trust the partnership's information (%, by survey)")),
)
TO_MEASURE = "baseline: to be measured"


# The goal's own measures: a count to reach ("Train 600 women operators as line supervisors over two years"), a
# follow-up after a time ("track … retention of graduates after 12 months"), a rhythm ("meets every quarter",
# "published quarterly") and a deadline ("within three years"). Its own numbers come before any form.
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_SPAN = r"(?:(?:over|within|in|by)\s+(?:the\s+)?(?:first\s+)?(?:\w+|" + _NUMBER + r")\s+(?:years?|months?|weeks?))"
_COUNT = re.compile(rf"^(?:to\s+)?(?P<verb>[a-z]+)\s+(?P<n>{_NUMBER})\s+(?P<what>.+?)(?:\s+(?P<span>{_SPAN}))?"
                    r"(?:\s+(?:with|so that|through|for|who|which|and)\b.*)?$", re.IGNORECASE)
_AFTER = re.compile(r"\b(?:track|measure|monitor|follow)\s+(?P<what>.+?)\s+(?P<after>(?:after|within)\s+"
                    rf"(?:\w+|{_NUMBER})\s+(?:years?|months?|weeks?))", re.IGNORECASE)
_RHYTHM = re.compile(r"\b(every (?:quarter|month|week|year|six months)|quarterly|monthly|weekly|annually|yearly)\b",
                     re.IGNORECASE)
_DEADLINE = re.compile(rf"\b((?:within|by|in)\s+(?:\w+|{_NUMBER})\s+(?:years?|months?))\b", re.IGNORECASE)
_SPLIT_WHAT = re.compile(r"\s+(?=(?:as|in|into|to|for|from|at|on|across)\s)")
IRREGULAR = {"build": "built", "hold": "held", "make": "made", "win": "won", "set": "set", "pay": "paid",
             "give": "given", "run": "run", "teach": "taught", "bring": "brought", "get": "got", "plant": "planted"}


def _done(verb: str) -> str:
    """'train' -> 'trained', 'vaccinate' -> 'vaccinated', 'build' -> 'built'."""
    verb = verb.casefold()
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def own_measures(goal: str) -> list[str]:
    """The indicators the goal itself states, with their target values: 'Women operators trained as line
    supervisors: target 600 (over two years)', 'Promotion and retention of graduates after 12 months (%)'."""
    text = " ".join(goal.split()).rstrip(".")
    out = []
    count = _COUNT.match(text)
    if count and count["verb"].casefold() not in {"in", "by", "for", "of", "over", "within", "after"}:
        head, *rest = _SPLIT_WHAT.split(count["what"], maxsplit=1)
        measure = f"{head} {_done(count['verb'])}" + (f" {rest[0]}" if rest else "")
        out.append(f"{measure[:1].upper()}{measure[1:]}: target {count['n']}"
                   + (f" {count['span']}" if count["span"] else ""))
    after = _AFTER.search(text)
    if after:
        out.append(f"{after['what'][:1].upper()}{after['what'][1:]} {after['after']} (%)")
    return out


def _with_targets(forms: tuple[str, ...], goal: str) -> tuple[str, ...]:
    """The forms with the goal's own rhythm or deadline as their target ('…; target: every quarter')."""
    rhythm, deadline = _RHYTHM.search(goal), _DEADLINE.search(goal)
    wanted = rhythm[1] if rhythm else deadline[1] if deadline else None
    if not wanted or not forms:
        return forms
    return (*forms[:-1], f"{forms[-1]}; target: {wanted}") if deadline and not rhythm else (
        f"{forms[0]}; target: {wanted}", *forms[1:])


_LANGUAGES = re.compile(r"\b(?:posted|published|publish|post|disclosed)\b.*?"
                        r"\bin ((?:[A-Z][\w']+)(?:(?:, | and )[A-Z][\w']+)*)")


def _languages(forms: tuple[str, ...], goal: str) -> tuple[str, ...]:
    """'in the agreed languages' becomes the languages the goal names ('posted in Spanish and Mam')."""
    named = _LANGUAGES.search(goal)
    return tuple(f.replace("the agreed languages", named[1]) for f in forms) if named else forms


def proposed_indicators(goal: str) -> tuple[str, ...]:
    """The indicators for a goal: the measures it states itself first, then the forms of its shape (with the
    goal's rhythm or deadline as their target); empty when neither fits (the partners then choose)."""
    words = goal.casefold()
    own = tuple(own_measures(goal))
    for stems, forms in SHAPES:
        if any(re.search(rf"\b{stem}", words) for stem in stems):
            target = re.search(r"(\d+(?:\.\d+)?)\s?%\s+(.+)", goal)
            if target and "%" in forms[0]:  # "Reach 95% measles coverage of …": the goal names its own measure
                measure = target.group(2).strip().rstrip(".")
                return (f"{measure[:1].upper()}{measure[1:]} (%, by area); target {target.group(1)}%", *forms[1:])
            return own or _with_targets(_languages(forms, goal), goal)
    return own


def _example(place: str, o: dict[str, Any]) -> str:
    figures = [f"{label}: {o[k]}" for k, label in (("baseline", "baseline"), ("target", "target"),
                                                   ("actual", "reached")) if o.get(k) not in (None, "")]
    return (f"In {place}, the case recorded “{o['indicator']}”" + (f" ({'; '.join(figures)})" if figures else "")
            + ".")


def indicators(template_ref: dict[str, Any], reg: Register, target: dict[str, Any] | None = None,
               goals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """For each goal of the target, the indicators proposed for it (baseline to be measured) under the SDG it
    serves, or a clear ask to choose one; the template's recorded outcomes only as examples from their own
    context, never with their figures as the target's baseline."""
    case = template_ref["case"]
    sdgs = [str(s) for s in case.get("sdgs") or []]
    sdg_goals = sorted({sdg_goal(s) for s in sdgs})
    case_ev = reg.case(template_ref)
    place = country(case.get("country")) if case.get("country") else "the template's setting"
    outcome = []
    fallback = sorted({sdg_goal(s) for s in (target or {}).get("sdgs") or []}) or sdg_goals
    for g in [g for g in goals or [] if g["kind"] == "goal"]:
        sdg = goal_sdg(g["text"], fallback) or (fallback[0] if len(fallback) == 1 else None)
        if sdg:
            serves = f"It serves {sdg_label(sdg)}."
        elif fallback and not (target or {}).get("sdgs"):
            serves = f"Agree with the partners which SDG it serves; for comparison, {template_sdgs(case)}."
        elif fallback:
            serves = ("Agree with the partners which SDG it serves (the target names "
                      + listing([sdg_label(x) for x in fallback], "or") + ").")
        else:
            serves = "Agree with the partners which SDG it serves."
        forms = proposed_indicators(g["text"])
        if forms:
            indicator = "; ".join(forms) + f" ({TO_MEASURE})"
            site = (f"Proposed for the goal “{g['text']}”: agree these with the partners and measure their baseline "
                    f"before work starts (Tasks 2.4 and 8.3). {serves}")
        else:
            indicator = f"To choose with the partners for the goal “{g['text']}” ({TO_MEASURE})"
            site = (f"{serves} Choose one indicator of that goal's targets with the partners from the global SDG "
                    "indicator framework, and measure its baseline before work starts (Tasks 2.4 and 8.3).")
        outcome.append({
            "id": f"indicator-{g['id']}", "indicator": indicator, "unit": None,
            "sdgs": [str(sdg)] if sdg else [], "template": None, "source": "target goal", "goal": g["text"],
            "target_site": site, "evidence": [reg.source(task("2.4")), reg.source(task("8.3"))],
        })
    for i, o in enumerate(case.get("outcomes") or []):
        outcome.append({
            "id": f"indicator-{i + 1}", "indicator": _example(place, o), "unit": o.get("unit"),
            "sdgs": [str(o["sdg"])] if o.get("sdg") else sdgs,
            "template": {k: o.get(k) for k in ("baseline", "target", "actual")},
            "target_site": f"An example from {place}, not a measure of the target: its figures are the template's. "
                           "Use a measure like it only where a goal of the target calls for one, with its own "
                           "baseline, to be measured in the target.",
            "source": "template example", "evidence": [case_ev, reg.source(task("2.4")), reg.source(task("8.3"))],
        })
    if not case.get("outcomes") and not any(o["source"] == "target goal" for o in outcome):
        for goal in sdg_goals:  # the template's SDGs stand in only where the target states no goal of its own
            if any(g.get("sdgs") == [str(goal)] for g in outcome):
                continue  # a goal of the target already serves it
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
