"""The risk register: the five organisational risk areas of MSP Task 3.2, plus risks from the differences.

Levels follow what the target context says about each area (and whether the template met the risk);
mitigations come from similar cases found by the matcher: their recorded mitigations in the same area,
else their lessons that speak to it, else the guidelines' advice to agree a risk strategy in the
partnering agreement (Tasks 3.2 and 3.4).
"""

from __future__ import annotations

from typing import Any

from casebook.domain.vocabulary import CONTEXT_SCALES, RISK_AREAS
from casebook.planning.evidence import Register
from casebook.planning.guidelines import PASSAGES, RISKS_LOCATOR, SCALING, task
from casebook.planning.guidelines import RISK_AREAS as AREA_TEXT
from casebook.planning.rules import Finding, Rule, lessons_matching

# Target context values that raise each area (field, values).
AREA_TRIGGERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "reputation": (("trust", ("low",)), ("conflict", ("post-conflict", "active"))),
    "autonomy": (("power_asymmetry", ("high",)), ("dependence_on_single_company", ("high",))),
    "conflict-of-interest": (("dependence_on_single_company", ("high",)), ("power_asymmetry", ("high",))),
    "resource-drain": (("budget_commitment", ("none",)), ("state_capacity", ("low",))),
    "implementation": (("state_capacity", ("low",)), ("legal_provisions", ("weak",)), ("conflict", ("active",))),
}
AREA_WORDS = {
    "reputation": ("reputation", "trust", "transparen", "disclos"),
    "autonomy": ("autonomy", "independen", "leadership", "coordinating role"),
    "conflict-of-interest": ("interest", "compromise", "dependen", "expectation"),
    "resource-drain": ("resource", "fund", "budget", "cost"),
    "implementation": ("implement", "capacity", "institution", "coordinat"),
}
RULE_AREA = {
    "social.population-group": "implementation", "social.human-security": "implementation",
    "physical.country": "implementation", "physical.locality": "implementation", "physical.setting": "implementation",
    "political.policy": "implementation", "political.budget": "resource-drain", "political.legal": "implementation",
    "political.state-capacity": "implementation", "conceptual.trust": "reputation", "conceptual.power": "autonomy",
    "conceptual.conflict": "implementation", "conceptual.dependence": "conflict-of-interest",
}
LEVELS = ("low", "medium", "high")


def _mitigations(area: str, cases: list[dict[str, Any]], reg: Register, words: tuple[str, ...],
                 limit: int = 2) -> tuple[list[str], list[str]]:
    """Recorded mitigations in this area from the given cases, else their lessons that speak to it."""
    texts, evidence = [], []
    for ref in cases:
        for risk in ref["case"].get("risks") or []:
            if risk.get("area") == area and risk.get("mitigation") and len(texts) < limit:
                texts.append(f"{risk['mitigation'].strip()} ({ref['title']})")
                evidence.append(reg.case(ref))
    if texts:
        return texts, evidence
    for ref in cases:
        for i in lessons_matching(ref["case"].get("lessons") or [], words, limit=1):
            if len(texts) < limit:
                texts.append(f"{ref['case']['lessons'][i].strip()} ({ref['title']})")
                evidence.append(reg.lesson(ref, i))
    return texts, evidence


def _fallback(reg: Register) -> tuple[list[str], list[str]]:
    return (["Agree a risk management strategy for this area as part of the partnering agreement."],
            [reg.source(task("3.4"))])


def risk_register(template_ref: dict[str, Any], target: dict[str, Any], found: list[tuple[Rule, Finding]],
                  similar: list[dict[str, Any]], reg: Register) -> list[dict[str, Any]]:
    context = target.get("context") or {}
    sources = [template_ref, *similar]
    out = []
    for area in RISK_AREAS:
        title, meaning = AREA_TEXT[area]
        reasons = [f"{field.replace('_', ' ')} is {context[field]} in the target"
                   for field, values in AREA_TRIGGERS[area] if context.get(field) in values]
        recorded = [r for r in template_ref["case"].get("risks") or [] if r.get("area") == area]
        if recorded:
            reasons.append("the template met this risk")
        level = LEVELS[min(len(reasons), 2)]
        texts, evidence = _mitigations(area, sources, reg, AREA_WORDS[area])
        if not texts:
            texts, evidence = _fallback(reg)
        out.append({
            "id": f"risk-{area}", "area": area, "title": title, "kind": "organisational", "level": level,
            "reason": f"{meaning[0].upper()}{meaning[1:]}. " + (
                "Here: " + "; ".join(reasons) + "." if reasons else "Nothing in the target raises it."),
            "mitigation": " ".join(texts),
            "evidence": [reg.source(RISKS_LOCATOR), *dict.fromkeys(evidence)],
        })
    seen: set[str] = set()
    for rule, finding in found:
        if rule.id in seen:
            continue
        seen.add(rule.id)
        area = RULE_AREA[rule.id]
        level = "medium"
        scale = CONTEXT_SCALES.get(finding.field)
        if scale and finding.template in scale and finding.target in scale:
            level = "high" if abs(scale.index(finding.target) - scale.index(finding.template)) >= 2 else "medium"
        texts, evidence = _mitigations(area, sources, reg, rule.lesson_words)
        if not texts:
            texts, evidence = _fallback(reg)
        out.append({
            "id": f"risk-{rule.id}", "area": area, "title": f"Difference in {finding.field.replace('_', ' ')}",
            "kind": "difference", "dimension": rule.dimension, "level": level,
            "reason": f"The {rule.dimension} adaptation may fail: {finding.field.replace('_', ' ')} is "
                      f"{_show(finding.target)} in the target against {_show(finding.template)} in the template; "
                      "changing roles risk losing momentum and disrupting trust and power dynamics.",
            "mitigation": " ".join(texts),
            "evidence": [reg.source(SCALING[rule.dimension][1]), reg.source(PASSAGES["scaling-principles"]),
                         *dict.fromkeys(evidence)],
        })
    return out


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return "not recorded" if value is None else str(value)
