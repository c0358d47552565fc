"""Adaptation rules: each difference between template and target becomes work under one scaling dimension.

The dimensions are those of the MSP guidelines, Step 11, Task 11.1 (1)(a)-(d); Task 11.1 (2) asks that
the lessons on each dimension go into the design of a replication, so each rule also cites the template's
lessons that speak to it (found by keywords). Every rule names the guideline task where its work goes and
the passages it rests on. A target field that is absent is unknown and triggers nothing; an explicit
empty list (e.g. `policy_frameworks: []`) means "none".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casebook.domain.blocks import case_blocks
from casebook.domain.vocabulary import CONTEXT_SCALES
from casebook.planning.guidelines import PASSAGES, SCALING, Locator, task
from casebook.planning.words import country, listing, slug_words, verb

# Which scaling dimension a difference in each field bears on (Task 11.1 (1)(a)-(d)).
FIELD_DIMENSION = {
    "population_groups": "social", "human_security": "social", "partners": "social",
    "country": "physical", "countries": "physical", "locality": "physical", "setting": "physical",
    "geography": "physical", "region": "physical", "sectors": "physical",
    "policy_frameworks": "political", "budget_commitment": "political", "legal_provisions": "political",
    "state_capacity": "political",
    "trust": "conceptual", "power_asymmetry": "conceptual", "conflict": "conceptual",
    "dependence_on_single_company": "conceptual",
}
FACET_DIMENSION = {"geography": "physical", "population": "social", "partners": "social", "sectors": "physical"}


def dimension_of(facet: str | None, field: str | None) -> str | None:
    """The dimension a matcher difference bears on; None for facets (text, SDGs) that bear on none."""
    return FIELD_DIMENSION.get(field or "") or FACET_DIMENSION.get(facet or "")


@dataclass(frozen=True)
class Finding:
    """One triggered rule: the difference and the work it leads to."""

    rule: str
    dimension: str
    field: str
    template: Any
    target: Any
    detail: str  # what differs, for the item id and text


@dataclass(frozen=True)
class Work:
    key: str  # stable suffix of the item id
    task: str  # guideline task where the work goes
    text: str
    why: str
    sources: tuple[Locator, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    dimension: str
    field: str
    detect: Callable[[dict, dict], list[Finding]]
    work: Callable[[Finding, dict, dict], list[Work]]
    lesson_words: tuple[str, ...]


def _ctx(doc: dict, field: str) -> Any:
    return (doc.get("context") or {}).get(field)


def _has_ctx(doc: dict, field: str) -> bool:
    return field in (doc.get("context") or {}) and (doc.get("context") or {})[field] is not None


def _ordinal(rule: str, dimension: str, field: str, worse: int) -> Callable[[dict, dict], list[Finding]]:
    """Fires when the target is worse than the template on an ordinal context scale.

    `worse` is +1 when a higher position is worse (power asymmetry), -1 when lower is worse (trust).
    If the template does not record the field, only the worst position of the target fires.
    """
    scale = CONTEXT_SCALES[field]

    def detect(template: dict, target: dict) -> list[Finding]:
        if not _has_ctx(target, field):
            return []
        tgt = scale.index(_ctx(target, field))
        worst = len(scale) - 1 if worse > 0 else 0
        if _has_ctx(template, field):
            tpl = scale.index(_ctx(template, field))
            fires = (tgt - tpl) * worse > 0
        else:
            fires = tgt == worst
        return [Finding(rule, dimension, field, _ctx(template, field), _ctx(target, field),
                        field)] if fires else []
    return detect


def _label(value: Any) -> str:
    return "not recorded" if value is None else slug_words(value)


def _versus(what: str, f: Finding) -> str:
    """'trust is low in the target against high in the template', or, where the template does not record it,
    'trust is low in the target; the template does not record it'."""
    if f.template is None:
        return f"{what} {verb(what)} {_label(f.target)} in the target; the template does not record it"
    return f"{what} {verb(what)} {_label(f.target)} in the target against {_label(f.template)} in the template"


def _population(template: dict, target: dict) -> list[Finding]:
    known = set(template.get("population_groups") or [])
    return [Finding("social.population-group", "social", "population_groups", sorted(known), g, g)
            for g in target.get("population_groups") or [] if g not in known]


def _human_security(template: dict, target: dict) -> list[Finding]:
    known = set(template.get("human_security") or [])
    return [Finding("social.human-security", "social", "human_security", sorted(known), d, d)
            for d in target.get("human_security") or [] if d not in known]


def _country(template: dict, target: dict) -> list[Finding]:
    if target.get("country") and target["country"] != template.get("country"):
        return [Finding("physical.country", "physical", "country", template.get("country"), target["country"],
                        target["country"])]
    return []


def _locality(template: dict, target: dict) -> list[Finding]:
    same_country = target.get("country") == template.get("country")
    if same_country and target.get("locality") and target["locality"] != template.get("locality"):
        return [Finding("physical.locality", "physical", "locality", template.get("locality"), target["locality"],
                        "locality")]
    return []


def _setting(template: dict, target: dict) -> list[Finding]:
    if _has_ctx(target, "setting") and _ctx(target, "setting") != _ctx(template, "setting"):
        return [Finding("physical.setting", "physical", "setting", _ctx(template, "setting"),
                        _ctx(target, "setting"), "setting")]
    return []


def _policy(template: dict, target: dict) -> list[Finding]:
    if "policy_frameworks" not in (target.get("context") or {}):
        return []
    tpl = list(_ctx(template, "policy_frameworks") or [])
    tgt = list(_ctx(target, "policy_frameworks") or [])
    if tpl and not tgt:
        return [Finding("political.policy-missing", "political", "policy_frameworks", tpl, tgt, "missing")]
    if tgt and {t.casefold() for t in tgt} != {t.casefold() for t in tpl}:
        return [Finding("political.policy-other", "political", "policy_frameworks", tpl, tgt, "other")]
    return []


def _works_population(f: Finding, template: dict, target: dict) -> list[Work]:
    social = SCALING["social"][1]
    group, covered = slug_words(f.target), listing([slug_words(g) for g in f.template])
    return [
        Work("map", "2.1", f"Map the needs, vulnerabilities and capacities of {group}, a group the template "
             "did not cover, with disaggregated data and dialogue, and add them to the target population.",
             f"The target includes {group}; the template covered {covered or 'no named groups'}.",
             (social, PASSAGES["hsbp-step2"], task("2.1"))),
        Work("involve", "1.4", f"Identify organisations or representatives of {group} and bring them into the "
             "partnership from the first dialogue.",
             f"Inclusion of a group not covered by design is the social dimension of scaling; {group} "
             "need a voice in the partnership.",
             (social, PASSAGES["hsbp-step4"], task("1.4"))),
    ]


def _works_human_security(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("analyse", "2.1", f"Extend the situational analysis to {f.target} security, which the "
                 "template did not address, and find where that insecurity is concentrated.",
                 f"The target names {f.target} security among its concerns; the template addressed "
                 f"{listing(list(f.template)) or 'no human security dimension'}.",
                 (SCALING["social"][1], PASSAGES["hsbp-step1"], task("2.1")))]


def _works_country(f: Finding, template: dict, target: dict) -> list[Work]:
    physical = SCALING["physical"][1]
    return [
        Work("localise", "4.1", f"Localise each building block for {country(f.target)}: rework its components "
             "and activities for the new country's institutions, partners and rules before transferring them.",
             f"The template ran in {country(f.template)}; replicating it in {country(f.target)} is the physical "
             "dimension of scaling.", (physical, task("4.1"))),
        Work("baseline", "2.4", f"Establish a new baseline in {country(f.target)} for the SDG-related indicators "
             + ("the template tracked; the template's figures do not transfer." if template.get("outcomes") else
                "the partners agree; the template recorded no figures to compare with."),
             "The baseline must document the conditions the partnership is to improve where it works.",
             (physical, task("2.4"), PASSAGES["hsbp-step1"])),
    ]


def _works_locality(f: Finding, template: dict, target: dict) -> list[Work]:
    physical = SCALING["physical"][1]
    return [
        Work("baseline", "2.4", f"Establish a baseline for {f.target}: the template's baseline was built for "
             f"{_label(f.template)}.", "A new administrative area needs its own baseline conditions.",
             (physical, task("2.4"), PASSAGES["hsbp-step1"])),
        Work("scope", "2.3", f"Set the geographical focus of the scope to {f.target}.",
             "Defining the scope includes its geographical focus.", (physical, task("2.3"))),
    ]


def _works_setting(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("setting", "2.1", f"Examine how the {slug_words(f.target)} setting changes the problem and the "
                 "components: "
                 + (f"the template worked in a {_label(f.template)} setting." if f.template is not None else
                    "the template does not record its setting."),
                 "A common understanding of the challenge includes its geographical context.",
                 (SCALING["physical"][1], task("2.1")))]


def _works_policy(f: Finding, template: dict, target: dict) -> list[Work]:
    political = SCALING["political"][1]
    names = "; ".join(f.template) or "no named framework"
    if f.detail == "missing":
        return [
            Work("anchor", "1.2", "Secure political support and find a policy or programme for the partnership "
                 f"to plug into: the template relied on {names}; the target names none.",
                 "Scaling along the political dimension requires policy and budgetary commitments.",
                 (political, task("1.2"), PASSAGES["laws-policies"])),
            Work("coherence", "2.4", "Examine the laws, policies and strategies at national, subnational and "
                 "local level and check the partnership for policy coherence with them.",
                 "Without a named framework, alignment with national priorities must be established first.",
                 (political, task("2.4"), PASSAGES["laws-policies"])),
        ]
    return [Work("remap", "2.4", f"Align the partnership with the target's frameworks "
                 f"({'; '.join(f.target)}) in place of the template's ({names}).",
                 "The policy anchor differs, so goals and commitments must be aligned with it.",
                 (political, task("2.4"), PASSAGES["laws-policies"]))]


def _works_budget(f: Finding, template: dict, target: dict) -> list[Work]:
    political = SCALING["political"][1]
    return [
        Work("commit", "1.2", f"Seek a budget commitment from government: {_versus('the budget commitment', f)}.",
             "The political dimension of scaling may require expanding budgetary commitments.",
             (political, task("1.2"), PASSAGES["mobilizing-resources"])),
        Work("mobilise", "6.2", "Plan resource mobilisation from the partners themselves, including in-kind "
             "contributions, until public funding is secured.",
             "Securing sufficient resources is one of the principal challenges the guidelines name.",
             (political, task("6.2"), task("3.1"))),
    ]


def _works_legal(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("agreement", "3.4", "Formalise roles and commitments in a partnering agreement: "
                 + _versus("legal provisions for partnering with non-State actors", f) + ".",
                 "Unfavourable legal conditions stop many partnerships from gaining legitimacy; supportive legal "
                 "provisions help a scaled-up partnership.",
                 (SCALING["political"][1], PASSAGES["legal-provisions"], PASSAGES["scaling-principles"],
                  task("3.4")))]


def _works_state(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("capacity", "5.1", "Assess the capacity of the public lead ("
                 f"{_versus('state capacity', f)}) and consider a "
                 "smaller project first.",
                 "A lead without the required capacity may jeopardise the whole partnership.",
                 (SCALING["political"][1], task("5.1")))]


def _works_trust(f: Finding, template: dict, target: dict) -> list[Work]:
    conceptual = SCALING["conceptual"][1]
    return [
        Work("time", "2.1", "Allow more time for discussion and relationship building before any agreement: "
             + _versus("trust", f) + ".",
             "Where mutual trust is low, commitment comes slowly and relationships must be built first.",
             (conceptual, task("2.1"), PASSAGES["commitment-post-conflict"], PASSAGES["mutual-trust"])),
        Work("facilitator", "5.3", "Bring in an independent facilitator, locally based and trusted by all partners, "
             "to initiate and sustain the dialogue.",
             "The HSBP Framework holds such a facilitator indispensable to dialogue on fair terms.",
             (conceptual, PASSAGES["hsbp-step5"], task("5.3"))),
    ]


def _works_power(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("rules", "3.5", "Make power visible and manageable: clear rules, structures and protocols, "
                 "functions spread among partners, and support for the weaker partners' voice "
                 f"({_versus('power asymmetry', f)}).",
                 "Changing power relations is the conceptual dimension of scaling; the guidelines list ways to "
                 "work with power.", (SCALING["conceptual"][1], PASSAGES["power"], task("3.5")))]


def _works_conflict(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("conflict", "7.4", f"Set up a conflict management mechanism and conflict-sensitive consultation "
                 f"({_versus('conflict', f)}).",
                 "Consultation must be sensitive to adverse consequences for those taking part.",
                 (SCALING["conceptual"][1], task("7.4"), PASSAGES["hsbp-step6"],
                  PASSAGES["risk-conflict-mitigation"]))]


def _works_dependence(f: Finding, template: dict, target: dict) -> list[Work]:
    return [Work("expectations", "2.2", "Manage expectations: agree what the partnership can and cannot achieve "
                 f"where {_versus('dependence on one company', f)}.",
                 "High dependence on one company skews expectations and power.",
                 (SCALING["conceptual"][1], PASSAGES["manage-expectations"], task("2.2")))]


def _sectors(template: dict, target: dict) -> list[Finding]:
    tpl, tgt = list(template.get("sectors") or []), list(target.get("sectors") or [])
    if tgt and not set(tgt) & set(tpl):
        return [Finding("physical.sector", "physical", "sectors", tpl, tgt, "-".join(sorted(tgt)))]
    return []


def sector_blocks(case: dict) -> list[str]:
    """Titles of the template's blocks that depend on its sector: those on the steps where the partnership's
    own components are planned, mobilised and delivered (Steps 4, 6 and 7), or that name a sector of it."""
    words = [slug_words(s).casefold() for s in case.get("sectors") or []]
    out = []
    for _, block in case_blocks(case):
        text = f"{block.get('title', '')} {block.get('description', '')}".casefold()
        if set(block.get("msp_steps") or []) & {4, 6, 7} or any(w and w in text for w in words):
            out.append(str(block["title"]))
    return out


def _works_sector(f: Finding, template: dict, target: dict) -> list[Work]:
    physical = SCALING["physical"][1]
    old = listing([slug_words(s) for s in f.template])
    new = listing([slug_words(s) for s in f.target])
    blocks = sector_blocks(template)
    named = listing([f"“{b}”" for b in blocks]) if blocks else "each building block"
    # A template that records no sector gives nothing to compare with: say so, never leave a blank to fill.
    problem = (f"its impacts, its risks and who is affected are not those of {old}, where the template worked." if old
               else "its impacts, its risks and who is affected. The template records no sector to compare with.")
    designed = (f"They were designed for {old}; their components and activities must fit {new} before they transfer."
                if old else f"The template records no sector; check that their components and activities fit {new} "
                            "before they transfer.")
    return [
        Work("problem", "2.1", f"Examine what changes in the problem when the sector is {new}: {problem}",
             "Task 2.1 asks for a common understanding of the challenge, including its sector.",
             (physical, task("2.1"))),
        Work("blocks", "4.1", f"Rework for {new} the building blocks that depend on the sector: {named}.",
             designed, (physical, task("4.1"))),
    ]


def _sdgs(template: dict, target: dict) -> list[Finding]:
    from casebook.domain.record_filters import sdg_goal
    known = {sdg_goal(s) for s in template.get("sdgs") or []}
    return [Finding("political.sdg", "political", "sdgs", sorted(known), g, str(g))
            for g in sorted({sdg_goal(s) for s in target.get("sdgs") or []}) if g not in known]


def _works_sdg(f: Finding, template: dict, target: dict) -> list[Work]:
    done = ", ".join(f"SDG {g}" for g in f.template) or "no SDG"
    return [Work("align", "2.4", f"Align the partnership with SDG {f.target}, which the template did not "
                 f"address (it addressed {done}), and choose its targets and indicators with the partners.",
                 "Task 2.4 asks that goals be aligned with SDG targets and a baseline documented for them.",
                 (SCALING["political"][1], task("2.4")))]


def _scenarios(template: dict, target: dict) -> list[Finding]:
    known = set(template.get("scenarios") or [])
    return [Finding("conceptual.scenario", "conceptual", "scenarios", sorted(known), s, s)
            for s in target.get("scenarios") or [] if s not in known]


def _works_scenario(f: Finding, template: dict, target: dict) -> list[Work]:
    was = listing([slug_words(s) for s in f.template]) or "a purpose the template does not record"
    return [Work("purpose", "1.1", f"State why a partnership is needed for {slug_words(f.target)}: the template "
                 f"was set up for {was}, so its case for partnering must be made again.",
                 "Task 1.1 asks to frame the challenge and say why a partnership is needed.",
                 (SCALING["conceptual"][1], task("1.1")))]


def _partner_types(template: dict, target: dict) -> list[Finding]:
    known = {p.get("type") for p in template.get("partners") or []}
    wanted = {p.get("type") for p in target.get("partners") or [] if p.get("type")}
    return [Finding("social.partner-type", "social", "partners", sorted(t for t in known if t), t, t)
            for t in sorted(wanted - known)]


def _works_partner_type(f: Finding, template: dict, target: dict) -> list[Work]:
    from casebook.planning.words import partner_type
    return [Work("role", "1.3", f"Decide what the {partner_type(f.target)} brings and which role it takes: the "
                 "template had no partner of this kind.",
                 "Task 1.3 asks to clarify what kinds of partners are needed and why.",
                 (SCALING["social"][1], task("1.3")))]


TRUST_WORDS = ("trust", "mediat", "facilitat", "confiden", "dialogue")
RULES: tuple[Rule, ...] = (
    Rule("social.population-group", "social", "population_groups", _population, _works_population,
         ("inclu", "marginal", "left behind", "underserved", "group")),
    Rule("social.human-security", "social", "human_security", _human_security, _works_human_security,
         ("human security", "needs")),
    Rule("social.partner-type", "social", "partners", _partner_types, _works_partner_type, ("partner", "role")),
    Rule("physical.country", "physical", "country", _country, _works_country,
         ("baseline", "locality", "local", "replicat")),
    Rule("physical.locality", "physical", "locality", _locality, _works_locality, ("baseline", "locality")),
    Rule("physical.setting", "physical", "setting", _setting, _works_setting, ("rural", "urban")),
    Rule("physical.sector", "physical", "sectors", _sectors, _works_sector, ("sector", "industry", "operation")),
    Rule("political.sdg", "political", "sdgs", _sdgs, _works_sdg, ("sdg", "goal")),
    Rule("political.policy", "political", "policy_frameworks", _policy, _works_policy,
         ("policy", "polic", "government", "strateg")),
    Rule("political.budget", "political", "budget_commitment",
         _ordinal("political.budget", "political", "budget_commitment", -1), _works_budget,
         ("budget", "fund", "resource")),
    Rule("political.legal", "political", "legal_provisions",
         _ordinal("political.legal", "political", "legal_provisions", -1), _works_legal,
         ("legal", "law", "agreement", "registered")),
    Rule("political.state-capacity", "political", "state_capacity",
         _ordinal("political.state-capacity", "political", "state_capacity", -1), _works_state,
         ("institution", "capacity", "weak")),
    Rule("conceptual.trust", "conceptual", "trust", _ordinal("conceptual.trust", "conceptual", "trust", -1),
         _works_trust, TRUST_WORDS),
    Rule("conceptual.power", "conceptual", "power_asymmetry",
         _ordinal("conceptual.power", "conceptual", "power_asymmetry", +1), _works_power,
         ("power", "asymmetr", "inequalit")),
    Rule("conceptual.conflict", "conceptual", "conflict",
         _ordinal("conceptual.conflict", "conceptual", "conflict", +1), _works_conflict,
         ("conflict", "peace", "war", "grievance")),
    Rule("conceptual.dependence", "conceptual", "dependence_on_single_company",
         _ordinal("conceptual.dependence", "conceptual", "dependence_on_single_company", +1), _works_dependence,
         ("depend", "expectation")),
    Rule("conceptual.scenario", "conceptual", "scenarios", _scenarios, _works_scenario, ("purpose", "set up")),
)


def lessons_matching(lessons: list[str], words: tuple[str, ...], limit: int = 2) -> list[int]:
    """Indexes of the lessons that mention any keyword, first `limit` of them."""
    return [i for i, text in enumerate(lessons) if any(w in text.casefold() for w in words)][:limit]


def findings(template: dict, target: dict) -> list[tuple[Rule, Finding]]:
    return [(rule, f) for rule in RULES for f in rule.detect(template, target)]
