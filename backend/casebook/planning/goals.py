"""What the user said drives the plan: the target's goals, challenges and summary become work.

`statements` cuts the target's own words into the statements retrieval runs on. services.plans scores
every statement against the building blocks of the cases its actor reads (the matcher's text model, in
that actor's scope) and passes the scores in; `goal_work` (pure) decides what addresses what. A statement
the template's blocks address builds on them; otherwise the best blocks of other cases are proposed,
each citing its case; where nothing in the library reaches the threshold, the plan says so plainly.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, task
from casebook.planning.overlap import answers, coverage, informative, lexical, shared
from casebook.planning.provenance import status_clause
from casebook.planning.words import country, first_sentence, listing, slug_words

# What addresses a statement is decided by rank, not by a score tuned on one library: a template block counts
# when it scores at least RELATIVE of the best candidate for the statement (the template's or another case's);
# another case's block is proposed when it scores at least RELATIVE of the best block at the target's scale (the
# template's or another case's), and comes from a case at the target's scale unless nothing else fits. Only where the
# template offers nothing is a floor needed, so that a block sharing one common word is not proposed: ADDRESSES
# is the word cosine from which blocks of the seed library answer a goal rather than share a generic word.
ADDRESSES = 0.14
PROPOSALS = 2  # blocks from other cases proposed per statement, each from a different case
RELATIVE = 0.5
# A statement read in the target's situation shares more words with everything, so its floor is lower and only
# the closest few of the template's blocks are named.
IN_CONTEXT = ADDRESSES / 2
SITUATED = 3
# A block of another case that shares a single informative word with a statement is proposed only from this
# cosine up: the one-word matches of the seed library ("channel", "agreement", "resettlement") score below it.
STRONG = 0.3
# A challenge that names a process the user wants (consultation, participation, dialogue) rather than a hazard:
# the plan schedules it as work, never treats it as a risk.
PROCESS = re.compile(r"\b(?:consult|particip|engag|dialog|inclus|consent|represent|negotiat|co-?manag)", re.I)
_SPLIT = re.compile(r"(?:;|\n|(?<=[a-z0-9)])\.\s+)")
MAX_STATEMENT = 300


def _situated(template: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The template's blocks closest to a goal read in the target's situation (`in_context`), where its own words
    reach none and the template works in the target's sector (so its blocks are how that sector's work was done,
    not blocks that share the target's background words): the template is considered first."""
    ranked = sorted((b for b in template if b.get("in_context", 0) > 0), key=lambda b: -b["in_context"])
    if not ranked or ranked[0]["in_context"] < IN_CONTEXT:
        return []
    return [b for b in ranked if b["in_context"] >= RELATIVE * ranked[0]["in_context"]][:SITUATED]


def is_process(challenge: str) -> bool:
    return bool(PROCESS.search(slug_words(challenge)))


def statements(target: dict[str, Any]) -> list[dict[str, str]]:
    """The target's goals (one per clause), its challenges, and its summary as one situation statement."""
    out: list[dict[str, str]] = []
    for part in _SPLIT.split(str(target.get("goals") or "")):
        text = part.strip().strip(".").strip()
        if len(text) > 3:
            out.append({"kind": "goal", "text": text[:MAX_STATEMENT]})
    for challenge in target.get("challenges") or []:
        out.append({"kind": "challenge", "text": slug_words(challenge), "slug": challenge,
                    **({"process": True} if is_process(challenge) else {})})
    if str(target.get("summary") or "").strip():
        out.append({"kind": "situation", "text": str(target["summary"]).strip()[:MAX_STATEMENT * 3]})
    return out


def in_context(statement: dict[str, str], target: dict[str, Any]) -> str:
    """A statement read in the target's situation (its title, sectors, population groups and summary), for
    scoring the template's own blocks: a bare goal such as "95% coverage" shares no word with them."""
    parts = [statement["text"], str(target.get("title") or ""), *(slug_words(s) for s in target.get("sectors") or []),
             *(slug_words(g) for g in target.get("population_groups") or [])]
    if statement["kind"] != "situation":
        parts.append(str(target.get("summary") or "")[:MAX_STATEMENT * 3])
    return " ".join(parts)


def block_text(block: dict[str, Any]) -> str:
    """What a block is about, for retrieval: its title, description and enabling factors."""
    return " ".join([str(block.get("title") or ""), str(block.get("description") or ""),
                     *(str(f) for f in block.get("enabling_factors") or [])])


def _quoted(text: str) -> str:
    return f"“{text}”"


def _coverage(entry: dict[str, Any], titles: Counter[str]) -> tuple[list, list]:
    """(template blocks that clearly address the statement, blocks that may): the text model's rank, checked
    against the words the statement and the block share (`overlap.coverage`), so that one shared word ("training"
    in "keep the training in paid working hours") is never a confident claim, and a block whose title says what
    the statement asks ("published") is not missed where the model's vocabulary lacks the word."""
    library = entry.get("library") or []
    template = entry.get("template") or []
    best = max([b["score"] for b in template[:1] + library[:1]] or [0.0])
    yes, maybe = [], []
    for b in template:
        ranked = b["score"] > 0 and b["score"] >= RELATIVE * best
        rare = {w for w in informative(b["title"]) if titles[w] == 1}
        verdict = coverage(entry["text"], b.get("text") or b["title"], b["title"], ranked, rare)
        (yes if verdict == "yes" else maybe if verdict == "maybe" else []).append(b)
    return yes, maybe[:SITUATED]


def _title_words(retrieval: list[dict[str, Any]]) -> Counter[str]:
    """How many distinct block titles in the retrieval (the template's and other cases') use each word."""
    titles = {b["title"] for e in retrieval for b in e.get("template") or []} \
        | {c["block"]["title"] for e in retrieval for c in e.get("library") or []}
    return Counter(w for t in titles for w in informative(t))


def _proposable(entry: dict[str, Any], cand: dict[str, Any]) -> bool:
    """A block of another case answers the statement on meaning, not on one shared word (`overlap.answers`)."""
    return answers(entry["text"], block_text(cand["block"]), cand["block"]["title"], cand["score"], STRONG)


def _lesson(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The library's lesson record whose title answers the statement on meaning (`overlap.answers` on the title:
    a grievance goal cites "Set up a grievance process…", a goal sharing only "years" with a title none); None
    where none does. The share of shared
    words (`overlap.lexical`) stands in where the text model's vocabulary lacks the word ("grievances")."""
    if entry["kind"] == "situation":  # a long summary shares a title's words by chance
        return None
    text = entry["text"]
    fit = [(max(r["score"], lexical(text, r.get("text") or r["title"])), r) for r in entry.get("lessons") or []]
    fit = [(score, r) for score, r in fit if score > 0 and answers(text, r["title"], r["title"], score, STRONG)]
    return max(fit, key=lambda sr: sr[0])[1] if fit else None


def _choose(entry: dict[str, Any], template_ref: dict[str, Any], titles: Counter[str]) -> tuple[list, list, list, list]:
    """(template blocks that address the statement, template blocks reached only in the target's situation,
    blocks of other cases to propose, template blocks that may address it) for one statement."""
    kind = entry["kind"]
    library = [c for c in entry.get("library") or [] if _proposable(entry, c)]
    own, maybe = _coverage(entry, titles)
    near = own or maybe  # the template's blocks the library's proposals are weighed against
    own_best = max([b["score"] for b in near] or [0.0])
    situated = _situated(entry.get("template") or []) \
        if not own and not maybe and kind == "goal" and entry.get("same_sector") else []
    lib_best = max([c["score"] for c in library if c.get("comparable", True)] or [0.0])
    floor = max(RELATIVE * max(own_best, lib_best), 0.0 if near else ADDRESSES)
    eligible = [c for c in library if c["score"] > 0 and c["score"] >= floor
                and (c["tenant"], c["slug"]) != (template_ref["tenant"], template_ref["slug"])]
    if near or any(c.get("comparable", True) for c in eligible):  # another scale only where nothing else fits
        eligible = [c for c in eligible if c.get("comparable", True)]
    picks, cases = [], set()
    for cand in eligible:
        if (cand["tenant"], cand["slug"]) in cases:
            continue
        cases.add((cand["tenant"], cand["slug"]))
        picks.append(cand)
        if len(picks) == PROPOSALS:
            break
    return own, situated, picks, maybe


def _borrowed(entry: dict[str, Any], retrieval: list[dict[str, Any]],
              chosen: list[tuple[list, list, list, list]]) -> list[dict[str, Any]]:
    """For a statement nothing reaches on its own: the blocks the plan proposes for its other statements that
    this one's retrieval also scores (the same retrieval result drives both), so the plan never says "nothing
    in the library addresses this" above a block it proposes for the same subject. Such a block must answer
    this statement on meaning too, or share a word of its title with it and be proposed for one of the user's own
    goals or challenges (not only for the summary, whose many words meet a block's by chance)."""
    asked = {(c["tenant"], c["slug"], c["block_id"]) for other, (_, _, picks, _) in zip(retrieval, chosen, strict=True)
             if other["kind"] != "situation" for c in picks}
    proposed = {(c["tenant"], c["slug"], c["block_id"]) for _, _, picks, _ in chosen for c in picks}
    out, cases = [], set()
    for cand in entry.get("library") or []:
        key = (cand["tenant"], cand["slug"], cand["block_id"])
        if cand["score"] <= 0 or key not in proposed or key[:2] in cases:
            continue
        if _proposable(entry, cand) or (key in asked and shared(entry["text"], cand["block"]["title"])):
            cases.add(key[:2])
            out.append(cand)
    return out[:PROPOSALS]


def goal_work(retrieval: list[dict[str, Any]], template_ref: dict[str, Any],
              reg: Register) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(goal rows, work items, proposed blocks) from the scored statements.

    Each retrieval entry: {kind, text, template: [{block_id, title, score}], library: [{tenant, slug,
    case_title, country, block_id, block, score}]}, both lists best first."""
    rows, items, proposed = [], [], []
    seen_blocks: dict[tuple[str, str, str], dict[str, Any]] = {}
    n_goal = 0
    titles = _title_words(retrieval)
    chosen = [_choose(entry, template_ref, titles) for entry in retrieval]
    for n, (entry, (own, situated, picks, maybe)) in enumerate(zip(retrieval, chosen, strict=True), start=1):
        kind, text = entry["kind"], entry["text"]
        if not (own or situated or picks or maybe):
            picks = _borrowed(entry, retrieval, chosen)
        recorded = [c for c in entry.get("recorded_by") or []
                    if (c["tenant"], c["slug"]) != (template_ref["tenant"], template_ref["slug"])]
        whole = bool(entry.get("template_first")) and not own
        faced = bool(entry.get("template_records"))
        if kind == "situation" and not own and not situated and not picks and not maybe:
            continue  # the summary adds work only where the library has something for it
        n_goal += 1
        label = {"goal": "goal", "challenge": "challenge", "situation": "situation described"}[kind]
        row_id = f"goal-{n}"
        said = f"the {label} {_quoted(text)}" if kind != "situation" else "the situation described"
        ev_own = [reg.block(template_ref, b["block_id"]) for b in own or situated or maybe]
        parts = []
        if situated:
            titles = listing([_quoted(b["title"]) for b in situated])
            one = len(situated) == 1
            parts.append(f"Read in the situation you describe, the template's {'block' if one else 'blocks'} {titles} "
                         f"{'comes' if one else 'come'} closest to this: start from {'it' if one else 'them'}.")
        if own:
            titles = listing([_quoted(b["title"]) for b in own])
            parts.append(f"The template's block {titles} addresses this." if len(own) == 1
                         else f"The template's blocks {titles} address this.")
        elif maybe:
            titles = listing([_quoted(b["title"]) for b in maybe])
            parts.append(f"The template's {'block' if len(maybe) == 1 else 'blocks'} {titles} may address this — "
                         "check with the partners.")
        elif whole:
            parts.append("The template as a whole is about this (of all the cases, its text comes closest), though "
                         "no single building block names it.")
        if faced:
            parts.append("The template recorded the same challenge.")
        if recorded:
            parts.append("Also recorded as a challenge in " + listing(
                [f"{_quoted(c['case_title'])} ({country(c.get('country'))})" for c in recorded[:3]])
                + ": see how those partnerships handled it.")
        lesson = _lesson(entry)
        ev_lesson = [reg.lesson_record(lesson)] if lesson else []
        if lesson:
            parts.append(f"See the library's lesson {_quoted(lesson['title'])}.")
        addressed = bool(own or situated or whole or faced or maybe or lesson)
        status = " ".join(parts) if parts else "The template does not address it."
        cites = []
        for cand in picks:
            key = (cand["tenant"], cand["slug"], cand["block_id"])
            ev = reg.library_block(cand)
            cites.append(ev)
            where = f"{_quoted(cand['case_title'])} ({country(cand.get('country'))})" + (
                f", {clause}" if (clause := status_clause(cand.get("case"))) else "")
            if key not in seen_blocks:
                seen_blocks[key] = {
                    "id": f"proposed-{cand['slug']}-{cand['block_id']}", "title": cand["block"]["title"],
                    "case": cand["case_title"], "country": country(cand.get("country")),
                    "url": reg.entries[ev]["url"], "status": "proposed from another case",
                    "reason": f"Proposed for {said}: "
                              + first_sentence(cand["block"].get("description") or ""),
                    "msp_steps": sorted(cand["block"].get("msp_steps") or []), "for": [row_id], "evidence": [ev],
                    "done": False,
                }
                proposed.append(seen_blocks[key])
            else:
                seen_blocks[key]["for"].append(row_id)
            items.append({
                "id": f"goal-{n}-{cand['slug']}-{cand['block_id']}", "task": "4.1", "kind": "from-library",
                "text": f"For {said}: consider {_quoted(cand['block']['title'])}, as in {where}.",
                "why": first_sentence(cand["block"].get("description") or cand["block"]["title"]),
                "done": False, "evidence": [ev, reg.source(task("4.1"))],
            })
        if entry.get("process"):
            items.append({"id": f"{row_id}-agree", "task": "2.2", "kind": "from-target",
                          "text": f"Plan {_quoted(text)} as work of the partnership, not as a risk to it: agree with "
                                  "those it concerns how, when and by whom it is done, before any decision it "
                                  f"bears on. {status}",
                          "why": "The target names it; the HSBP Framework asks for consultation sensitive to the "
                                 "risks for those taking part (step 6).",
                          "done": False, "evidence": [*ev_own, *ev_lesson, *cites, reg.source(task("2.2")),
                                                      reg.source(PASSAGES["hsbp-step6"])]})
        elif kind != "situation":
            if addressed or picks or recorded:
                text_item = f"Agree {said} with the partners as a shared objective. {status}"
                why = "The target names it; Task 2.2 asks for goals that every partner shares and understands."
            else:
                text_item = (f"Nothing in the library addresses {said}: design this part with the "
                             "partners from the start, and document it so that others can learn from it.")
                why = "No building block of any case you may read comes close to it; the template does not address it."
            items.append({"id": f"{row_id}-agree", "task": "2.2", "kind": "from-target", "text": text_item,
                          "why": why, "done": False,
                          "evidence": [*ev_own, *ev_lesson, *cites, reg.source(task("2.2"))]})
        rows.append({
            "id": row_id, "kind": kind, "text": text, "template_blocks": [b["title"] for b in own or situated],
            "possible_blocks": [b["title"] for b in maybe] if not own else [],
            "proposals": [{"title": c["block"]["title"], "case": c["case_title"], "country": country(c.get("country")),
                           "url": reg.entries[ev]["url"]} for c, ev in zip(picks, cites, strict=True)],
            "recorded_by": [c["case_title"] for c in recorded],
            "lessons": [{"title": lesson["title"], "url": reg.entries[ev_lesson[0]]["url"]}] if lesson else [],
            "summary": status + ("" if addressed or picks or recorded
                                 else " Nothing in the library addresses it either."),
        })
    return rows, items, proposed
