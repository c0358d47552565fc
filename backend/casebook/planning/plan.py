"""Builds a replication plan (JSON) from a template case, a target context, the matcher's comparison and
similar cases. Pure: no database, no matcher calls; services.plans does the I/O.

Every line carries a stable `id` (so manual edits survive re-generation), and `evidence` ids that the
plan's evidence register resolves.
"""

from __future__ import annotations

from typing import Any

from casebook.domain.blocks import case_blocks
from casebook.planning import lesson_evidence as lesson_records
from casebook.planning import timing
from casebook.planning.brief import brief, meeting_rules
from casebook.planning.caveats import caveats, fit_words
from casebook.planning.evidence import Register, case_url
from casebook.planning.goals import goal_work
from casebook.planning.guidelines import MODULES, SCALING, SCALING_TASK_2, STEPS, TASKS, task
from casebook.planning.indicators import indicators, template_sdgs
from casebook.planning.partner_map import partner_map
from casebook.planning.risks import TextScores, quoted, risk_register
from casebook.planning.rules import dimension_of, findings, lessons_matching, sector_blocks
from casebook.planning.words import country, field, listing, partner_name, partner_type, short_title, slug_words

SCHEMA_VERSION = 1
DIMENSIONS = ("social", "physical", "political", "conceptual")

# Where a template lesson goes in the work plan, by its words (first match wins; default Task 1.1,
# which asks how the challenge was addressed before and what the lessons were).
LESSON_TASKS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("baseline", "data"), "2.4"),
    (("mediat", "facilitat", "trust", "confiden"), "3.5"),
    (("agreement", "role", "leadership", "coordinat"), "5.2"),
    (("fund", "budget", "resource", "financ"), "6.2"),
    (("monitor", "review", "evaluat", "assessment"), "9.1"),
    (("scale", "replicat", "expand"), "11.1"),
    (("communicat", "platform", "ict", "transparen", "visible"), "7.1"),
    (("partner", "business", "compan"), "1.4"),
)
BLOCK_LABEL = {"transfer": "transfer as-is", "adapt": "adapt", "rebuild": "rebuild"}
KIND_LABELS = {"from-template": "from the template", "adaptation": "adaptation", "from-lessons": "lesson",
               "from-library": "from another case", "from-target": "your goal"}


def _lesson_task(text: str) -> str:
    low = text.casefold()
    return next((t for words, t in LESSON_TASKS if any(w in low for w in words)), "1.1")


def _adaptations(template_ref: dict, target: dict, found: list, reg: Register) -> list[dict[str, Any]]:
    items = []
    lessons = template_ref["case"].get("lessons") or []
    for rule, finding in found:
        lesson_ev = [reg.lesson(template_ref, i) for i in lessons_matching(lessons, rule.lesson_words)]
        for work in rule.work(finding, template_ref["case"], target):
            items.append({
                "id": f"adapt-{rule.id}-{finding.detail}-{work.key}".replace(" ", "-").lower(),
                "dimension": rule.dimension, "rule": rule.id, "field": finding.field,
                "task": work.task, "kind": "adaptation", "text": work.text, "why": work.why, "done": False,
                "differs": f"{field(finding.field).capitalize()}: {_shown(finding.field, finding.target)} in the "
                           f"target, {_shown(finding.field, finding.template)} in the template",
                "evidence": [*(reg.source(s) for s in work.sources), reg.source(SCALING_TASK_2), *lesson_ev],
            })
    return items


def _dimensions(items: list[dict[str, Any]], reg: Register) -> dict[str, Any]:
    out = {}
    for dim in DIMENSIONS:
        definition, locator = SCALING[dim]
        mine = [i for i in items if i["dimension"] == dim]
        out[dim] = {
            "definition": definition, "source": reg.source(locator), "items": mine,
            "none": None if mine else f"No difference between template and target bears on the {dim} dimension; "
                                      "nothing to adapt here.",
        }
    return out


PROPOSED_MARK = " (proposed)"


def _block_reasons(block: dict[str, Any], template_ref: dict, target: dict, found: list, pmap: dict,
                   sector_titles: list[str]) -> tuple[list[str], list[str]]:
    """(reasons to rebuild, reasons to adapt), in words: what differs for this block."""
    case = template_ref["case"]
    steps = set(block.get("msp_steps") or [])
    text = " ".join([block["title"], block.get("description") or "", *(block.get("enabling_factors") or [])]).casefold()
    rebuild, adapt = [], []
    for row in pmap["rows"]:
        if row["target"] or not row["template"]:
            continue
        names = [partner_name(p["name"]) for p in row["template"]]
        if any(n.casefold() in text for n in names) or row["role"].replace("-", " ") in text:
            rebuild.append(f"it relies on the {row['role_label']} ({listing(names)}), a role no target partner "
                           "fills yet")
    frameworks = [f.casefold() for f in (case.get("context") or {}).get("policy_frameworks") or []]
    for rule, f in found:
        if rule.id == "political.policy" and f.detail == "missing" and any(x[:25] in text for x in frameworks):
            rebuild.append("it plugs into a policy framework the target does not have")
        elif rule.id == "physical.sector" and block["title"] in sector_titles:
            was = listing([slug_words(x) for x in f.template])
            now = listing([slug_words(x) for x in f.target])
            adapt.append(f"it was designed for {was}, and the target is {now}" if was
                         else f"the template records no sector, and the target is {now}")
        elif rule.id == "physical.country":
            adapt.append(f"it moves from {country(f.template)} to {country(f.target)}, with other institutions, "
                         "rules and partners")
    touching = sorted({rule.id: f for rule, f in found if rule.id.startswith("conceptual.") and
                       rule.id != "conceptual.scenario" and {3, 5} & steps}.values(), key=lambda f: f.field)
    if touching:
        adapt.append("its relationship-building and structuring steps meet " + listing(
            [f"{field(f.field)} that is {slug_words(f.target)}" for f in touching]) + " in the target")
    return rebuild, adapt


def _building_blocks(template_ref: dict, target: dict, found: list, pmap: dict, reg: Register) -> list[dict[str, Any]]:
    """transfer as-is when nothing that differs touches the block; rebuild when it relies on a partner role the
    target cannot fill, or on the template's policy framework where the target has none; else adapt. The
    reason says in words what differs for the block."""
    sector_titles = sector_blocks(template_ref["case"])
    out = []
    for block_id, block in case_blocks(template_ref["case"]):
        rebuild, adapt = _block_reasons(block, template_ref, target, found, pmap, sector_titles)
        if rebuild:
            status, reason = "rebuild", "Rebuild: " + "; ".join(rebuild + adapt) + "."
        elif adapt:
            status, reason = "adapt", "Adapt: " + "; ".join(adapt) + "."
        else:
            status, reason = "transfer", "Transfer as it is: nothing that differs between the template and the " \
                                         "target touches it."
        if block["title"].endswith(PROPOSED_MARK):
            reason += " The template only proposed this block: there is no experience of it to copy, so test it early."
        out.append({"id": f"block-{block_id}", "block": block_id, "title": block["title"],
                    "msp_steps": sorted(block.get("msp_steps") or []), "status": BLOCK_LABEL[status],
                    "reason": reason, "done": False, "evidence": [reg.block(template_ref, block_id)]})
    return out


def _template_items(template_ref: dict, target: dict, blocks: list[dict], pmap: dict, ind: dict,
                    reg: Register) -> list[dict[str, Any]]:
    """The guideline tasks specialised to this template: partners, building blocks, SDGs and baseline."""
    case = template_ref["case"]
    case_ev = reg.case(template_ref)
    items = []
    name = f"“{short_title(case['title'])}”"

    def add(item_id: str, task_id: str, text: str, why: str, evidence: list[str], kind: str = "from-template") -> None:
        items.append({"id": item_id, "task": task_id, "kind": kind, "text": text, "why": why, "done": False,
                      "evidence": [*evidence, reg.source(task(task_id))]})

    sdgs = template_sdgs(case)
    place = f" in {country(case['country'])}" if case.get("country") else ""
    add("tpl-frame", "1.1", f"Frame the challenge of “{target.get('title')}” and compare it with the one {name} "
        f"took on{place}" + (f"; {sdgs}." if sdgs else "."), "The template shows how the challenge was addressed "
        "before.", [case_ev])
    roles = "; ".join(r["role_label"] + ("" if r["type_labels"] == [r["role_label"]] or r["role"] == "dynamiser"
                                         else f" ({listing(r['type_labels'], 'or')})") for r in pmap["rows"])
    add("tpl-partners", "1.4", f"Identify partners for the template's roles: {roles}.",
        "The template's partner roles show which kinds of partners the work needs.",
        [case_ev, *pmap["rows"][-1]["evidence"][-1:]])
    for row in pmap["rows"]:
        convenor = row["role"] == "dynamiser"
        if not row["target"] and (row["template"] or convenor) and row["status"] in ("gap", "to identify"):
            held = listing([partner_name(p["name"]) for p in row["template"]])
            look = row["look_for"] or ""
            find = (f"Find a partner for the {row['role_label']} role" if look.casefold().endswith(
                row["role_label"].casefold()) and len(look) <= len(row["role_label"]) + 3  # "look for a UN agency"
                else f"Find the {row['role_label']}: look for {look}")
            was = f" In the template, {held} held this role." if held else ""
            first = (" Do this first: nobody holds this role yet, and the other first tasks wait for it; until it "
                     "is agreed, the partner that asked for this plan calls the first meeting." if convenor else "")
            add(f"gap-{row['role']}", "1.4", f"{find}.{was}{first}",
                row.get("note") or "A role the template relied on has nobody in the target yet.",
                row["evidence"][:1], kind="adaptation" if row["template"] else "from-template")
    for row in pmap["rows"]:
        if row.get("status") == "named":
            named = row["named"]
            add(f"invite-{row['role']}", "1.4", f"Invite {named['phrase']}, named in your {named['where']}, to take "
                f"the {row['role_label']} role, and ask what it brings.",
                "You named them yourself: they are the first partners to approach, not a gap to look for.",
                row["evidence"][:1], kind="from-target")
    proposed = [i["goal"] for i in ind["outcomes"] if i.get("source") == "target goal"]
    baseline = ("the indicators proposed for " + listing([f"“{g}”" for g in proposed])) if proposed else ""
    add("tpl-align", "2.4", "Align the partnership with the SDGs it serves"
        + (f" ({sdgs})" if sdgs else "") + " and measure the target's baseline for "
        + (baseline or "the indicators the partners choose") + ".",
        "The baseline documents the conditions the partnership is to improve, where it works.", [case_ev])
    add("tpl-risks", "3.2", "Assess the rewards and the five organisational risk areas with every partner (see the "
        "risk register).", "The risk register draws its mitigations from the most similar cases.", [case_ev])
    for block in blocks:
        first = min(block["msp_steps"]) if block["msp_steps"] else 4
        task_id = next(t.id for s in STEPS if s.number == first for t in s.tasks)
        kind = "from-template" if block["status"] == "transfer as-is" else "adaptation"
        verb = {"transfer as-is": "Set up", "adapt": "Adapt and set up", "rebuild": "Rebuild"}[block["status"]]
        add(f"tpl-{block['id']}", task_id, f"{verb} the building block “{block['title']}”.",
            block["reason"], block["evidence"][:1], kind=kind)
    if proposed:
        add("tpl-monitor", "8.1", "Monitor the indicators agreed for the target's goals (see the indicators), "
            "from the baseline measured in the target.", "Task 8.1 tracks progress against the goals the partners "
            "agreed; the template's own figures are examples from its context, not the target's baseline.",
            [case_ev])
    add("tpl-meta", "8.2", "Monitor the partnership process jointly against the five HSBP principles (see the "
        "indicators).", "Step 7 of the HSBP Framework makes the principles the measures of the process itself.",
        ind["meta"][0]["evidence"][-1:])
    return items


def _lesson_items(template_ref: dict, reg: Register) -> list[dict[str, Any]]:
    out = []
    for i, text in enumerate(template_ref["case"].get("lessons") or []):
        task_id = _lesson_task(text)
        out.append({"id": f"lesson-{i + 1}", "task": task_id, "kind": "from-lessons",
                    "text": f"Check whether this lesson holds here. {quoted(template_ref, text)}",
                    "why": "A lesson of the template, learnt in its own context.", "done": False,
                    "evidence": [reg.lesson(template_ref, i), reg.source(task(task_id))]})
    return out


def _steps(all_items: list[dict[str, Any]], reg: Register) -> list[dict[str, Any]]:
    modules = []
    for module, (title, numbers) in MODULES.items():
        steps = []
        for step in STEPS:
            if step.number not in numbers:
                continue
            tasks = []
            for t in step.tasks:
                tasks.append({"id": f"task-{t.id}", "task": t.id, "title": t.title, "does": t.does, "done": False,
                              "source": reg.source(t.locator),
                              "items": [i for i in all_items if i["task"] == t.id]})
            steps.append({"number": step.number, "slug": step.slug, "title": step.title, "tasks": tasks})
        modules.append({"module": module, "title": title, "steps": steps})
    return modules


def _fit(comparison: dict[str, Any], work: list[dict[str, Any]], goals: list[dict[str, Any]]) -> dict[str, Any]:
    """The matcher's comparison, each difference in words with the work it produced (no difference is silent)."""
    differences = []
    for d in comparison.get("differences") or []:
        field_name = d.get("field") or d.get("facet") or ""
        answers = [i["text"] for i in work if i.get("field") == field_name and i["kind"] == "adaptation"]
        if not answers and field_name in ("challenges", "text"):
            answers = [i["text"] for i in work if i["kind"] in ("from-target", "from-library")]
        if not answers and d.get("template") in (None, [], ""):
            answers = [f"The template does not record its {field(field_name)}; check with the partners whether "
                       f"{_shown(field_name, d.get('target'))} here changes the design."]
        elif not answers:
            answers = [f"Check with the partners whether the different {field(field_name)} changes the design; it "
                       "is not one the guidelines' scaling rules treat as harder than the template's."]
        differences.append({**d, "dimension": dimension_of(d.get("facet"), d.get("field")),
                            "label": field(field_name), "template_text": _shown(field_name, d.get("template")),
                            "target_text": _shown(field_name, d.get("target")), "work": answers})
    agreements = [{**a, "text": _agreement(a)} for a in comparison.get("agreements") or [] if a.get("facet") != "text"]
    return {"score": comparison.get("score"), "words": fit_words(comparison.get("score")),
            "facets": comparison.get("facets") or {}, "agreements": agreements, "differences": differences}


def _agreement(a: dict[str, Any]) -> str:
    """A matcher agreement in words: 'the same trust (low) and power asymmetry (high)', 'partners of the same
    kinds: multinational company and regional government'."""
    values = a.get("values")
    if a.get("facet") == "context" and isinstance(values, dict):
        return "the same " + listing([f"{field(k)} ({slug_words(v)})" for k, v in values.items()])
    if a.get("facet") == "partners":
        return "partners of the same kinds: " + listing([partner_type(v) for v in values or []])
    if a.get("facet") == "sdgs":
        return "the same SDGs: " + listing([f"SDG {v}" for v in values or []])
    return f"the same {field(str(a.get('facet')))}: " + listing([slug_words(v) for v in values or []])


def _shown(field_name: str, value: Any) -> str:
    if isinstance(value, list):
        return listing([_shown(field_name, v) for v in value]) or "none"
    if value is None:
        return "not recorded"
    if field_name == "country":
        return country(value)
    if field_name == "partners":
        return partner_type(value)
    return slug_words(value)


def _ref_out(ref: dict[str, Any]) -> dict[str, Any]:
    return {"tenant": ref["tenant"], "slug": ref["slug"], "title": ref["title"],
            "country": ref["case"].get("country"), "country_name": country(ref["case"].get("country")),
            "url": case_url(ref["tenant"], ref["slug"])}


def build_plan(template_ref: dict[str, Any], target: dict[str, Any], comparison: dict[str, Any],
               similar: list[dict[str, Any]], lessons: list[dict[str, Any]] | None = None,
               retrieval: list[dict[str, Any]] | None = None, scores: TextScores | None = None) -> dict[str, Any]:
    """template_ref and each similar ref: {tenant, slug, title, case, score?}; target: validated context;
    lessons: the lesson records the plan's actor reads (services.plans.plan_lessons); retrieval: the target's
    statements scored against the blocks of the cases the actor reads (planning.goals); scores: the candidate
    mitigations scored against the target's words and each risk (planning.risks.TextScores)."""
    reg = Register()
    found = findings(template_ref["case"], target)
    adaptations = _adaptations(template_ref, target, found, reg)
    pmap = partner_map(template_ref, target, reg)
    goal_rows, goal_items, proposed = goal_work(retrieval or [], template_ref, reg)
    ind = indicators(template_ref, reg, target, goal_rows)
    blocks = _building_blocks(template_ref, target, found, pmap, reg)
    work = [*_template_items(template_ref, target, blocks, pmap, ind, reg), *goal_items, *adaptations,
            *_lesson_items(template_ref, reg)]
    risks = risk_register(template_ref, target, found, similar, reg, scores, lessons)
    work += lesson_records.apply(lessons or [], template_ref, similar, adaptations, blocks, risks, reg, _lesson_task,
                                  scores)
    assert all(i["task"] in TASKS for i in work)
    for item in work:
        item["kind_label"] = KIND_LABELS[item["kind"]]
    steps = _steps(work, reg)
    timing.assign(steps, pmap, target)
    plan = {
        "schema": SCHEMA_VERSION,
        "title": f"{target.get('title')}: replicating “{short_title(template_ref['title'])}”",
        "template": {**_ref_out(template_ref), "context": template_ref["case"].get("context") or {},
                     "status": template_ref["case"].get("status"),
                     "evidence_level": template_ref["case"].get("evidence_level")},
        "target": target,
        "target_country_name": country(target.get("country")),
        "caveats": caveats(template_ref["case"], target, comparison.get("score"), similar),
        "goals": goal_rows,
        "fit": _fit(comparison, work, goal_rows),
        "dimensions": _dimensions(adaptations, reg),
        "steps": steps,
        "building_blocks": blocks,
        "proposed_blocks": proposed,
        "partner_map": pmap,
        "owners": timing.owner_choices(pmap, target),
        "phases": list(timing.PHASES),
        "risks": risks,
        "indicators": ind,
        "similar_cases": [{**_ref_out(s), "score": s.get("score")} for s in similar],
    }
    plan["brief"] = brief(plan, meeting_rules(target, pmap, lessons or [], reg))
    plan["evidence"] = reg.annex()
    return plan


def editable_lines(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every line a user can edit or tick, by id (dimension items also appear in steps: same object)."""
    lines: dict[str, dict[str, Any]] = {}
    for module in plan["steps"]:
        for step in module["steps"]:
            for t in step["tasks"]:
                lines[t["id"]] = t
                for item in t["items"]:
                    lines[item["id"]] = item
    for dim in plan["dimensions"].values():
        for item in dim["items"]:
            lines.setdefault(item["id"], item)
    for group in (plan["building_blocks"], plan["risks"], plan["partner_map"]["rows"],
                  plan["indicators"]["outcomes"], plan["indicators"]["meta"]):
        for line in group:
            lines[line["id"]] = line
    return lines


EDITABLE_FIELDS = {"text": str, "done": bool, "note": str, "level": str, "mitigation": str, "status": str,
                   "owner": str, "when": str}


def apply_edits(plan: dict[str, Any], edits: dict[str, dict[str, Any]]) -> list[str]:
    """Overlays manual edits (by line id) on a generated plan, everywhere the line appears.

    Returns the ids of edits whose line no longer exists (kept, and reported, never dropped)."""
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            edit = edits.get(node.get("id")) if isinstance(node.get("id"), str) else None
            if edit is not None and "kind" not in node or (edit is not None and node.get("kind") != "source"):
                for key, value in edit.items():
                    if key in ("text", "mitigation") and key in node:
                        node.setdefault(f"generated_{key}", node[key])
                    node[key] = value
                node["edited"] = sorted(edit)
                seen.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for key in ("dimensions", "steps", "building_blocks", "risks", "partner_map", "indicators"):
        walk(plan.get(key))
    if "brief" in plan:  # its first tasks show owners and phases, which the edits may have changed
        plan["brief"] = brief(plan)
    return sorted(set(edits) - seen)
