"""Builds a replication plan (JSON) from a template case, a target context, the matcher's comparison and
similar cases. Pure: no database, no matcher calls; services.plans does the I/O.

Every line carries a stable `id` (so manual edits survive re-generation), and `evidence` ids that the
plan's evidence register resolves.
"""

from __future__ import annotations

from typing import Any

from casebook.planning import lessons as lesson_records
from casebook.planning.evidence import Register, case_url
from casebook.planning.guidelines import MODULES, SCALING, SCALING_TASK_2, STEPS, TASKS, task
from casebook.planning.indicators import indicators
from casebook.planning.partner_map import partner_map
from casebook.planning.risks import risk_register
from casebook.planning.rules import dimension_of, findings, lessons_matching

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


def _building_blocks(template_ref: dict, target: dict, items: list[dict], gaps: list[str],
                     reg: Register) -> list[dict[str, Any]]:
    """transfer as-is when no adaptation touches the block's steps; rebuild when the block relies on a partner
    role the target cannot fill, or on the template's policy framework where the target has none; else adapt."""
    case = template_ref["case"]
    frameworks = [f.casefold() for f in (case.get("context") or {}).get("policy_frameworks") or []]
    policy_missing = any(i["rule"] == "political.policy" and i["id"].endswith("-anchor") for i in items)
    country_changed = any(i["rule"] == "physical.country" for i in items)
    out = []
    for n, block in enumerate(case.get("building_blocks") or []):
        steps = set(block.get("msp_steps") or [])
        text = " ".join([block["title"], block["description"], *(block.get("enabling_factors") or [])]).casefold()
        touching = [i for i in items if int(i["task"].split(".")[0]) in steps]
        missing_roles = [g for g in gaps if g.replace("-", " ") in text]
        relies_on_policy = policy_missing and any(f[:25] in text for f in frameworks)
        if missing_roles or relies_on_policy:
            status = "rebuild"
            why = []
            if missing_roles:
                why.append(f"it relies on the role(s) {', '.join(missing_roles)}, which no target partner fills")
            if relies_on_policy:
                why.append("it plugs into a policy framework the target does not have")
            reason = "Rebuild: " + "; ".join(why) + "."
        elif touching or country_changed:
            status = "adapt"
            parts = [f"adaptations at its MSP steps: {', '.join(sorted({i['id'] for i in touching}))}"] if touching \
                else []
            if country_changed:
                parts.append(f"it moves to another country ({target.get('country')})")
            reason = "Adapt: " + "; ".join(parts) + "."
        else:
            status = "transfer"
            reason = "Transfer as-is: no difference between template and target touches its MSP steps " \
                     f"({', '.join(map(str, sorted(steps))) or 'none listed'})."
        evidence = [reg.block(template_ref, n), *dict.fromkeys(e for i in touching for e in i["evidence"][:1])]
        out.append({"id": f"block-{n + 1}", "title": block["title"], "msp_steps": sorted(steps),
                    "status": BLOCK_LABEL[status], "reason": reason, "done": False, "evidence": evidence})
    return out


def _template_items(template_ref: dict, target: dict, blocks: list[dict], pmap: dict, ind: dict,
                    reg: Register) -> list[dict[str, Any]]:
    """The guideline tasks specialised to this template: partners, building blocks, SDGs and baseline."""
    case = template_ref["case"]
    case_ev = reg.case(template_ref)
    items = []

    def add(item_id: str, task_id: str, text: str, why: str, evidence: list[str], kind: str = "from-template") -> None:
        items.append({"id": item_id, "task": task_id, "kind": kind, "text": text, "why": why, "done": False,
                      "evidence": [*evidence, reg.source(task(task_id))]})

    sdgs = ", ".join(str(s) for s in case.get("sdgs") or []) or "none recorded"
    add("tpl-frame", "1.1", f"Frame the challenge in {target.get('title')} against the template's: "
        f"{case['title']} (SDGs {sdgs}).", "The template shows how the challenge was addressed before.", [case_ev])
    roles = "; ".join(f"{r['role']} ({', '.join(r['partner_types'])})" for r in pmap["rows"])
    add("tpl-partners", "1.4", f"Identify partners for the template's roles: {roles}.",
        "The template's partner roles show which kinds of partners the work needs.",
        [case_ev, *pmap["rows"][-1]["evidence"][-1:]])
    for row in pmap["rows"]:
        if row["status"] == "gap" and row["template"]:
            add(f"gap-{row['role']}", "1.4", f"Find a partner for the role '{row['role']}' "
                f"(in the template: {', '.join(p['name'] for p in row['template'])}); no target partner fills it.",
                "A role the template relied on is empty in the target.", row["evidence"][:1], kind="adaptation")
    add("tpl-align", "2.4", f"Align the partnership with the template's SDGs ({sdgs}) and set the target's baseline "
        f"for: {'; '.join(i['indicator'] for i in ind['outcomes']) or 'the SDG indicators chosen'}.",
        "The template's outcome indicators are the baseline indicators to set up.", [case_ev])
    add("tpl-risks", "3.2", "Assess rewards and the five organisational risk areas with every partner (see the "
        "risk register).", "The risk register draws mitigations from similar cases.", [case_ev])
    for block in blocks:
        first = min(block["msp_steps"]) if block["msp_steps"] else 4
        task_id = next(t.id for s in STEPS if s.number == first for t in s.tasks)
        kind = "from-template" if block["status"] == "transfer as-is" else "adaptation"
        add(f"tpl-{block['id']}", task_id, f"Set up the building block '{block['title']}' ({block['status']}).",
            block["reason"], block["evidence"][:1], kind=kind)
    if ind["outcomes"]:
        add("tpl-monitor", "8.1", "Monitor the outcome indicators: "
            + "; ".join(i["indicator"] for i in ind["outcomes"]) + ".",
            "The template's indicators, measured from the target's own baseline.", [case_ev])
    add("tpl-meta", "8.2", "Monitor the partnership process jointly against the five HSBP principles as "
        "meta-indicators (see indicators).", "HSBP step 7 makes the principles meta-indicators.",
        ind["meta"][0]["evidence"][-1:])
    return items


def _lesson_items(template_ref: dict, reg: Register) -> list[dict[str, Any]]:
    out = []
    for i, text in enumerate(template_ref["case"].get("lessons") or []):
        task_id = _lesson_task(text)
        out.append({"id": f"lesson-{i + 1}", "task": task_id, "kind": "from-lessons",
                    "text": f"Apply the template's lesson: {text.strip()}",
                    "why": f"Lesson {i + 1} of the template case.", "done": False,
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


def _fit(comparison: dict[str, Any]) -> dict[str, Any]:
    differences = []
    for d in comparison.get("differences") or []:
        differences.append({**d, "dimension": dimension_of(d.get("facet"), d.get("field"))})
    return {"score": comparison.get("score"), "facets": comparison.get("facets") or {},
            "agreements": comparison.get("agreements") or [], "differences": differences}


def _ref_out(ref: dict[str, Any]) -> dict[str, Any]:
    return {"tenant": ref["tenant"], "slug": ref["slug"], "title": ref["title"],
            "country": ref["case"].get("country"), "url": case_url(ref["tenant"], ref["slug"])}


def build_plan(template_ref: dict[str, Any], target: dict[str, Any], comparison: dict[str, Any],
               similar: list[dict[str, Any]], lessons: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """template_ref and each similar ref: {tenant, slug, title, case, score?}; target: validated context;
    lessons: the lesson records the plan's actor reads (planning.lessons.find)."""
    reg = Register()
    found = findings(template_ref["case"], target)
    adaptations = _adaptations(template_ref, target, found, reg)
    pmap = partner_map(template_ref, target, reg)
    ind = indicators(template_ref, reg)
    blocks = _building_blocks(template_ref, target, adaptations, pmap["gaps"], reg)
    work = [*_template_items(template_ref, target, blocks, pmap, ind, reg), *adaptations,
            *_lesson_items(template_ref, reg)]
    risks = risk_register(template_ref, target, found, similar, reg)
    work += lesson_records.apply(lessons or [], template_ref, similar, adaptations, blocks, risks, reg, _lesson_task)
    assert all(i["task"] in TASKS for i in work)
    plan = {
        "schema": SCHEMA_VERSION,
        "title": f"Replicating '{template_ref['title']}' in {target.get('title')}",
        "template": {**_ref_out(template_ref), "context": template_ref["case"].get("context") or {}},
        "target": target,
        "fit": _fit(comparison),
        "dimensions": _dimensions(adaptations, reg),
        "steps": _steps(work, reg),
        "building_blocks": blocks,
        "partner_map": pmap,
        "risks": risks,
        "indicators": ind,
        "similar_cases": [{**_ref_out(s), "score": s.get("score")} for s in similar],
    }
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


EDITABLE_FIELDS = {"text": str, "done": bool, "note": str, "level": str, "mitigation": str, "status": str}


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
    return sorted(set(edits) - seen)
