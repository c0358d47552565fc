"""The risk register: the five organisational risk areas of MSP Task 3.2, plus risks from the differences.

Levels follow what the target context says about each area (and whether the template met the risk);
each mitigation is the most relevant text of the most similar cases (the template first) that no other risk
uses yet: a recorded mitigation in the same area, else a lesson that speaks to it, quoted with its country so
nobody reads it as written for the target; else the plan says that the library documents none and gives the
guidelines' own advice (Tasks 3.2 and 3.4).
"""

from __future__ import annotations

import re
from typing import Any

from casebook.domain.vocabulary import CONTEXT_SCALES, RISK_AREAS
from casebook.planning import provenance, words
from casebook.planning.actors import BUSINESS
from casebook.planning.evidence import Register
from casebook.planning.goals import is_process
from casebook.planning.guidelines import PASSAGES, RISKS_LOCATOR, SCALING, task
from casebook.planning.guidelines import RISK_AREAS as AREA_TEXT
from casebook.planning.overlap import lexical, meaningful
from casebook.planning.rules import Finding, Rule, findings, lessons_matching

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
    "physical.sector": "implementation", "political.sdg": "implementation", "conceptual.scenario": "reputation",
    "social.partner-type": "autonomy",
}
LEVELS = ("low", "medium", "high")


FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|per cent|million|billion|families|people|households)|[$€£]\s*\d")
# The guidelines' own advice per area (MSP Task 3.2, read with Task 3.4), for areas no case documents.
ADVICE = {
    "reputation": "agree together how the partnership will communicate, and what each partner may say about "
                  "the others, before anything is announced",
    "autonomy": "write down in the partnering agreement which decisions stay with each organisation and which are "
                "taken jointly",
    "conflict-of-interest": "ask every partner to declare its interests at the outset and agree how a conflict of "
                            "interest will be handled when it arises",
    "resource-drain": "budget the front-end time the partnership needs and agree what each partner commits, in "
                      "cash and in kind, before implementation",
    "implementation": "agree milestones and a reference point for review in the partnering agreement, so that "
                      "problems in implementation surface early",
}


SOURCE_NOTE = re.compile(r"\s*\(source:[^)]*\)")


def quoted(ref: dict[str, Any], text: str) -> str:
    """A lesson or mitigation from another context, marked as such ('In Bosnia and Herzegovina: …'), without the
    editors' source notes (the citation carries the source)."""
    return f"{provenance.where(ref)}: {SOURCE_NOTE.sub('', text).strip()}"


class TextScores:
    """Word cosines the services computed with the matcher's text model (in the actor's scope), looked up by
    query key and text: the target's own words (`TARGET`) and each risk's meaning (its id) against every
    candidate mitigation. Pure data, so the planner stays free of I/O; an empty one scores everything 0."""

    def __init__(self, queries: dict[str, str] | None = None, texts: list[str] | None = None,
                 matrix: Any = None) -> None:
        self.queries = dict(queries or {})  # key -> the query's words (the matrix's rows, in order)
        self.keys = list(self.queries)
        self.rows = {k: i for i, k in enumerate(self.keys)}
        self.texts = {t: i for i, t in enumerate(texts or [])}
        self.matrix = matrix

    def query(self, key: str) -> str:
        return self.queries.get(key, "")

    def get(self, key: str, text: str) -> float:
        if self.matrix is None or key not in self.rows or text not in self.texts:
            return 0.0
        return float(self.matrix[self.rows[key]][self.texts[text]])


TARGET = "target"
# A candidate is chosen only if it shares words with what the risk is about: one that shares none (a Mexican
# land-tenure working group for a change of country) is not a mitigation for it, however close to the target.
RELEVANT = 0.02


def _clean(text: str) -> str:
    return SOURCE_NOTE.sub("", text).strip()


def candidate_texts(template_ref: dict[str, Any], similar: list[dict[str, Any]]) -> list[str]:
    """Every text a mitigation may be drawn from (recorded mitigations and lessons of the template and the
    similar cases), for services.plans to score against the target and the risks."""
    out: dict[str, None] = {}
    for ref in [template_ref, *similar]:
        for risk in ref["case"].get("risks") or []:
            if str(risk.get("mitigation") or "").strip():
                out.setdefault(_clean(str(risk["mitigation"])), None)
        for lesson in ref["case"].get("lessons") or []:
            out.setdefault(_clean(lesson), None)
    for advice in NAMED_ADVICE.values():
        out.setdefault(advice, None)
    return list(out)


def target_text(target: dict[str, Any]) -> str:
    """What the user said: title, goals, summary and challenges, the query mitigations are ranked by."""
    return " ".join([str(target.get("title") or ""), str(target.get("goals") or ""), str(target.get("summary") or ""),
                     *(words.slug_words(c) for c in target.get("challenges") or [])])


def risk_queries(template_ref: dict[str, Any], target: dict[str, Any]) -> dict[str, str]:
    """What each risk is about, in words (its id -> text): the guidelines' meaning of its area; for a risk from
    a difference, what the adaptation is about (the area's meaning is too general to tell a relevant mitigation
    from any other in the area)."""
    out = {f"risk-{area}": f"{AREA_TEXT[area][0]}: {AREA_TEXT[area][1]}" for area in RISK_AREAS}
    for slug in named_challenges(target):
        out[f"risk-named-{slug}"] = challenge_query(slug, target)
    for rule, finding in findings(template_ref["case"], target):
        key = f"risk-{rule.id}"
        if key in out:
            continue
        # The target's values, the rule's own words and the work the difference produces: what adapting means
        # here. Not the field's name nor the template's values ("population groups" would match any "working
        # groups", the template's "residents" any lesson about residents).
        # Without the template's quoted names (its blocks' titles), which would match the template's own texts.
        work = re.sub(r"“[^”]*”", "", " ".join(w.text for w in rule.work(finding, template_ref["case"], target)))
        out[key] = f"{_show(finding.field, finding.target)}; {' '.join(rule.lesson_words)}; {work}"
    return out


def _candidates(area: str, cases: list[dict[str, Any]], words: tuple[str, ...], reg: Register, risk_id: str,
                scores: TextScores) -> list[tuple[float, int, str, str]]:
    """(relevance, rank, text, evidence) of what the cases say about this area, most relevant first. A candidate
    must share words with what the risk is about (the matcher's text model), unless it is the template's own
    recorded mitigation of this very risk area, which comes first; among the others, relevance is that
    word cosine plus the one with the target's own words, so what fits the user's situation comes first. Ties
    keep the earlier order: every recorded mitigation in the same area before any lesson that speaks to it, the
    more similar case first (the template first).
    Figures are cited only from the template itself: a number from another context proves nothing here."""
    out = []

    def add(rank: int, ref: dict[str, Any], raw: str, evidence: str, met: bool = False) -> None:
        text = _clean(raw)
        about_risk = scores.get(risk_id, text)
        # More than the area in common: a shared word or two with what the risk is about, on meaning
        # (`meaningful`), so a difference is never answered by a text that merely mentions one of its words.
        query = scores.query(risk_id)
        relevant = about_risk >= RELEVANT and (not query or meaningful(query, text, about_risk, STRONG))
        if relevant or met or not scores.keys:  # unscored (the pure planner alone): all relevant
            # the template's own answers to the risk keep the order it records them in, ahead of everything else
            out.append((2.0 if met else about_risk + scores.get(TARGET, text), rank, quoted(ref, text), evidence))

    for rank, ref in enumerate(cases):
        own = rank == 0
        for risk in ref["case"].get("risks") or []:
            text = str(risk.get("mitigation") or "").strip()
            if risk.get("area") == area and text and (own or not FIGURE.search(text)):
                # The template's own answer to the very risk it met comes first, for that risk only.
                add(rank, ref, text, reg.case(ref), met=own and risk_id == f"risk-{area}")
        for i in lessons_matching(ref["case"].get("lessons") or [], words, limit=3):
            text = ref["case"]["lessons"][i].strip()
            if own or not FIGURE.search(text):
                add(len(cases) + rank, ref, text, reg.lesson(ref, i))
    return sorted(out, key=lambda c: (-c[0], c[1]))


def _mitigation(area: str, title: str, cases: list[dict[str, Any]], words: tuple[str, ...], reg: Register,
                used: set[str], risk_id: str, scores: TextScores) -> tuple[str, list[str], bool]:
    """The most relevant text not yet used for another risk; else the guidelines' advice (documented=False)."""
    for _, _, text, evidence in _candidates(area, cases, words, reg, risk_id, scores):
        if text not in used:
            used.add(text)
            return text, [evidence], True
    text = (f"No documented mitigation in the library: no case records one for the risk “{title}” that fits "
            "what you describe. The guidelines advise: "
            f"{ADVICE[area]} (MSP guidelines, Tasks 3.2 and 3.4).")
    used.add(text)
    return text, [reg.source(task("3.2")), reg.source(task("3.4"))], False


def risk_register(template_ref: dict[str, Any], target: dict[str, Any], found: list[tuple[Rule, Finding]],
                  similar: list[dict[str, Any]], reg: Register,
                  scores: TextScores | None = None,
                  records: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """`records`: the lesson records the actor reads, candidate answers to the challenges the target names."""
    scores = scores or TextScores()
    context = target.get("context") or {}
    sources = [template_ref, *sorted(similar, key=lambda r: -(r.get("score") or 0))]
    used: set[str] = set()
    out = []
    for area in RISK_AREAS:
        title, meaning = AREA_TEXT[area]
        reasons = [f"{words.field(field)} {words.verb(words.field(field))} {words.slug_words(context[field])} "
                   "in the target"
                   for field, values in AREA_TRIGGERS[area] if context.get(field) in values]
        regulator = _regulator(target) if area == "conflict-of-interest" else None
        if regulator:
            reasons.append(f"{regulator[0]} may license, inspect or regulate {regulator[1]}, and both sit in the "
                           "partnership")
        recorded = [r for r in template_ref["case"].get("risks") or [] if r.get("area") == area]
        if recorded:
            reasons.append("the template met this risk")
        level = LEVELS[min(len(reasons), 2)]
        if regulator:  # the guidelines' answer to this very conflict, before any quote from elsewhere
            text = ("No documented mitigation in the library for an authority that sits with those it regulates. "
                    "The guidelines advise: ask every partner to declare its interests at the outset, and write in "
                    "the partnering agreement "
                    f"that the licensing, inspection and permit decisions of {regulator[0]} are taken outside the "
                    "partnership, under its own procedures (MSP guidelines, Tasks 3.2 and 3.4).")
            evidence, documented = [reg.source(task("3.2")), reg.source(task("3.4"))], False
            used.add(text)
        else:
            text, evidence, documented = _mitigation(area, title, sources, AREA_WORDS[area], reg, used,
                                                       f"risk-{area}", scores)
        out.append({
            "id": f"risk-{area}", "area": area, "title": title, "kind": "organisational", "level": level,
            "reason": f"{meaning[0].upper()}{meaning[1:]}. " + (
                "Here: " + "; ".join(reasons) + "." if reasons else "Nothing in the target raises it."),
            "mitigation": text, "documented": documented,
            "evidence": [reg.source(RISKS_LOCATOR), *dict.fromkeys(evidence)],
        })
    out.extend(_named_risks(template_ref, target, reg, sources, records or [], scores, used))
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
        name = words.field(finding.field)
        title = f"Different {name}"
        text, evidence, documented = _mitigation(area, title, sources, rule.lesson_words, reg, used,
                                                   f"risk-{rule.id}", scores)
        out.append({
            "id": f"risk-{rule.id}", "area": area, "title": title,
            "kind": "difference", "dimension": rule.dimension, "level": level,
            "reason": f"The {rule.dimension} adaptation may fail: {name} {words.verb(name)} "
                      f"{_show(finding.field, finding.target)} in the target "
                      + (f"against {_show(finding.field, finding.template)} in the template"
                         if finding.template not in (None, [], "") else "and the template does not record it")
                      + "; changing roles risk losing momentum and disrupting trust and power dynamics.",
            "mitigation": text, "documented": documented,
            "evidence": [reg.source(SCALING[rule.dimension][1]), reg.source(PASSAGES["scaling-principles"]),
                         *dict.fromkeys(evidence)],
        })
    return out


# The guidelines' advice for a challenge the library documents no answer to, chosen by the text model among
# these (each used once): the five risk areas' advice (Tasks 3.2 and 3.4) and, for a dispute or grievance, the
# HSBP's conflict management and grievance process.
NAMED_ADVICE = {
    **{area: f"{text[:1].upper()}{text[1:]} (MSP guidelines, Tasks 3.2 and 3.4)" for area, text in ADVICE.items()},
    "dispute": "agree a conflict management mechanism (MSP Task 7.4) and a grievance process that everyone may use "
               "without fear of reprisal (HSBP step 7), and an agreed way to pause and resume joint activities "
               "when a dispute flares up",
}
# A candidate answers a named challenge on one shared word only when the text model scores it at least this.
STRONG = 0.15


def named_challenges(target: dict[str, Any]) -> list[str]:
    """The challenges the target names that are hazards to the work: a process the user wants (consultation,
    participation) is work the plan schedules (planning.goals), not a risk to "continue safely in the face of"."""
    return [slug for slug in target.get("challenges") or [] if not is_process(slug)]


def challenge_query(slug: str, target: dict[str, Any]) -> str:
    """What a named challenge is about: its own words. The target's other words would let any text that shares
    the background ("workers", "programmes") pass for an answer; they rank the answers instead (`TARGET`)."""
    name = words.slug_words(slug)
    # the text model compares whole words: "grievances" must meet "a grievance process" too
    return " ".join([name, *(w[:-1] for w in name.split() if w.endswith("s") and not w.endswith("ss"))])


GOVERNMENT = ("government-national", "government-subnational", "government-local")


def _regulator(target: dict[str, Any]) -> tuple[str, str] | None:
    """(authority, company) where a public authority and a company it may license or inspect are both target
    partners: the conflict of interest MSP Task 3.2 warns of, whatever the context scales say."""
    partners = target.get("partners") or []
    authority = next((p for p in partners if p.get("type") in GOVERNMENT), None)
    company = next((p for p in partners if p.get("type") in BUSINESS), None)
    if authority is None or company is None:
        return None
    return (authority.get("name") or "the public authority", company.get("name") or "the company")


def _named_candidates(slug: str, sources: list[dict[str, Any]], records: list[dict[str, Any]], reg: Register,
                      scores: TextScores, target: dict[str, Any]) -> list[tuple[float, str, str]]:
    """(relevance, text, evidence) of every recorded mitigation, lesson and lesson record that answers this
    challenge on meaning, best first: the text model's cosine with the challenge read in the target's words
    (a lesson record by its title too, which its long body dilutes), and the challenge's own words shared
    (both of them, or one with a strong cosine: "turnover" alone is not "worker turnover" at 0.13)."""
    key, name = f"risk-named-{slug}", words.slug_words(slug)
    out = []

    def add(raw: str, shown: str, evidence: Any, title: str = "") -> None:
        text = _clean(raw)
        score = max(scores.get(key, text), scores.get(key, title) if title else 0.0,
                    lexical(name, f"{title} {text}"))
        if score >= RELEVANT and meaningful(name, f"{title} {text}", score, STRONG):
            out.append((score + scores.get(TARGET, text), shown, evidence))

    for rank, ref in enumerate(sources):
        for risk in ref["case"].get("risks") or []:
            text = str(risk.get("mitigation") or "").strip()
            if text and (rank == 0 or not FIGURE.search(text)):
                add(text, quoted(ref, _clean(text)), lambda ref=ref: reg.case(ref))
        for i, lesson in enumerate(ref["case"].get("lessons") or []):
            if rank == 0 or not FIGURE.search(lesson):
                add(lesson, quoted(ref, _clean(lesson)), lambda ref=ref, i=i: reg.lesson(ref, i))
    for rec in records:
        body = f"{rec['lesson']['title']} {rec['lesson']['body']}"
        add(body, f"From the library's lesson “{rec['title'].rstrip('.')}”.",
            lambda rec=rec: reg.lesson_record(rec), rec["lesson"]["title"])
    return sorted(out, key=lambda c: -c[0])


def _named_risks(template_ref: dict[str, Any], target: dict[str, Any], reg: Register, sources: list[dict[str, Any]],
                 records: list[dict[str, Any]], scores: TextScores, used: set[str]) -> list[dict[str, Any]]:
    """The challenges the target names itself are risks to the partnership: each becomes a row whose mitigation
    is the library's answer to that challenge (by relevance, never one another risk uses), else the guidelines'
    advice that fits it best (each piece once), and says whether the template met the same challenge."""
    faced = set(template_ref["case"].get("challenges") or [])
    advised: set[str] = set()
    out = []
    for slug in named_challenges(target):
        name = words.slug_words(slug)
        key = f"risk-named-{slug}"
        found = next(((t, ev) for _, t, ev in _named_candidates(slug, sources, records, reg, scores, target)
                      if t not in used), None)
        if found is not None:
            text, evidence, documented = found[0], [found[1]()], True
        else:
            left = [a for a in NAMED_ADVICE if a not in advised]
            fit = {a: max(scores.get(key, NAMED_ADVICE[a]), lexical(name, NAMED_ADVICE[a])) for a in left}
            area = max(left, key=lambda a: fit[a], default=None)
            if area is not None and fit[area] < RELEVANT:
                area = None
            advised.add(area or "")
            text = (f"No documented mitigation in the library for {name}. The guidelines advise, for it: "
                    f"{NAMED_ADVICE[area]}." if area else
                    f"No documented mitigation in the library for {name}, and no advice of the guidelines names it. "
                    f"Ask the partners at the first meeting where {name} would hit the work and who can act on it; "
                    "name one partner to follow it and review it at every coordination meeting (MSP Task 7.1).")
            evidence = ([reg.source(PASSAGES["hsbp-step7"]), reg.source(task("7.4")),
                         reg.source(PASSAGES["risk-conflict-mitigation"])] if area == "dispute"
                        else [reg.source(task("3.2")), reg.source(task("3.4"))] if area else [reg.source(task("7.1"))])
            documented = False
        used.add(text)
        out.append({
            "id": key, "area": "implementation", "title": f"{name[:1].upper()}{name[1:]}",
            "kind": "named", "level": "high",
            "reason": f"The target names {name} as a challenge: it can stop or derail the partnership's work."
                      + (" The template met it too." if slug in faced else ""),
            "mitigation": text, "documented": documented, "evidence": evidence,
        })
    return out


def _show(field: str, value: Any) -> str:
    if isinstance(value, list):
        return words.listing([_show(field, v) for v in value]) or "none"
    if value is None:
        return "not recorded"
    if field == "country":
        return words.country(value)
    if field == "partners":
        return words.partner_type(value)
    if field == "sdgs":
        return f"SDG {value}"
    return words.slug_words(value)
