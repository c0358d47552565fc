"""A practitioner's review of four plans (Zenica -> Apurímac, Liberia -> Sierra Leone, Pulse Polio -> Nigeria measles,
Tamil Nadu bananas -> Tegucigalpa): mitigations chosen by what the target says, the actors it names invited first,
one retrieval result behind every "nothing in the library", the template's own blocks considered first, the rules
of the first meeting, a weak template said plainly, and a PDF whose running headers, annex and facilitator role
read right."""

from __future__ import annotations

import copy
import re

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.planning import render_pdf
from casebook.planning.evidence import Register
from casebook.planning.goals import goal_work
from casebook.planning.partner_map import NO_FACILITATOR
from casebook.planning.risks import TextScores, risk_register
from casebook.planning.rules import findings
from casebook.services import lessons, plans
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests import test_plan_content
from tests.conftest import RUNTIME
from tests.test_plan_content import APURIMAC, NIGERIA
from tests.test_plan_pdf import pdf_text
from tests.test_plan_rules import BOSNIA, COLOMBIA
from tests.test_plan_words import BANGLADESH, NORWAY_TARGET
from tests.test_plan_words import LAOS as LAOS_REVIEWED

seeded = test_plan_content.seeded  # the seed library fixture

# As the reviewer typed it: no partner list, only the goals and the context.
APURIMAC_BARE = {k: v for k, v in APURIMAC.items() if k != "partners"}
APURIMAC_LAND = {**APURIMAC, "summary": "Campesino communities around a large copper mine in Apurímac have blocked "
                 "the mine's road several times over water and land."}
SIERRA_LEONE_RIGHTS = {
    "title": "Palm oil concession with a land-rights conflict in Sierra Leone", "country": "SL",
    "sectors": ["oil-palm"], "context": {"trust": "low", "power_asymmetry": "high", "conflict": "post-conflict"},
    "challenges": ["land-rights"],
    "goals": "Respect the land rights of local communities; fair compensation for land leased to the company."}
TEGUCIGALPA = {"title": "Youth violence prevention in Tegucigalpa", "country": "HN", "locality": "Tegucigalpa",
               "sectors": ["security"], "context": {"trust": "low", "conflict": "active"},
               "challenges": ["insecurity", "mistrust"], "population_groups": ["youth"],
               "goals": "A neighbourhood partnership of the municipality, local businesses and churches to prevent "
                        "youth violence.",
               "partners": [{"name": "Alcaldía del Distrito Central", "type": "government-local"}]}
LAND_TENURE = "Working groups targeting land tenure regularisation"


@pytest.fixture
async def with_lessons(seeded):
    """The seed library with its lesson records (the HSBP process guidance the brief cites)."""
    await lessons.import_files(system_actor(seeded["id"]), "library", [CASES_DIR / "lessons"], "public")
    return seeded


def risk(plan: dict, risk_id: str) -> dict:
    return next(r for r in plan["risks"] if r["id"] == risk_id)


# 1. Mitigations by similarity to the target and relevance to the risk ---------------------------------------

async def test_a_difference_risk_gets_a_mitigation_about_it_not_one_that_only_shares_the_area(seeded):
    plan = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC, index=RUNTIME.matcher)
    assert risk(plan, "risk-physical.country")["mitigation"].startswith(
        "In Colombia: Build the human security baseline for each locality from primary and secondary data and "
        "validate it in dialogue with local representatives")
    # The template's own answer to the risk it met stays first for that risk.
    assert risk(plan, "risk-implementation")["mitigation"].startswith(
        "In Bosnia and Herzegovina, where the approach was proposed but not carried out: An outside peacebuilding "
        "organisation intervened")
    # Land appears in the summary, but a land-tenure working group is no mitigation for new population groups.
    land = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC_LAND, index=RUNTIME.matcher)
    assert not any(LAND_TENURE in r["mitigation"] for r in land["risks"] if r["kind"] == "difference")
    assert risk(land, "risk-social.population-group")["mitigation"].startswith(
        "In India: Target the underserved explicitly: identify the populations and areas with little access")


def test_nothing_relevant_to_a_risk_says_no_documented_mitigation_with_the_guidelines_advice():
    target = {"title": "Mining town", "country": "GT", "context": {"trust": "low"},
              "population_groups": ["indigenous-peoples"]}
    template, similar = COLOMBIA, [BOSNIA]
    found = findings(template["case"], target)
    keys = ["target", "risk-implementation", "risk-social.population-group", "risk-physical.country"]
    texts = ["An outside peacebuilding organisation intervened and a formal mediation with external facilitators "
             "and strict confidentiality rules was set up"]
    scores = TextScores(dict.fromkeys(keys, ""), texts, [[0.0] * len(texts) for _ in keys])  # scored, no word shared
    risks = {r["id"]: r for r in risk_register(template, target, found, similar, Register(), scores)}
    assert risks["risk-physical.country"]["mitigation"] == (
        "No documented mitigation in the library: no case records one for the risk “Different country” that fits "
        "what you describe. The guidelines advise: agree milestones and a reference point for review in the "
        "partnering agreement, so that problems in implementation surface early (MSP guidelines, Tasks 3.2 and 3.4).")
    assert risks["risk-physical.country"]["documented"] is False


# 2 and 3. The actors the target names are invited first, and a named company is no gap -------------------------

async def test_actors_named_in_the_goals_come_first_with_their_roles_and_are_no_gap(seeded):
    plan = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC_BARE, index=RUNTIME.matcher)
    invite = plan["brief"]["invite"]
    assert [(i["role"], i["who"], i["gap"]) for i in invite[:3]] == [
        ("company", "The mine, named in your goals", False),
        ("beneficiary community", "The communities, named in your goals", False),
        ("regional government", "The regional government, named in your goals", False)]
    rows = {r["role"]: r for r in plan["partner_map"]["rows"]}
    company = rows["company"]
    assert (company["status"], company["look_for"]) == ("named", None)
    assert company["note"] == "The mine, named in your goals: invite them by name to take this role."
    assert "company" not in plan["partner_map"]["gaps"]
    approach = next(d for d in plan["brief"]["decisions"] if d.startswith("Decide who will approach"))
    assert approach == ("Decide who will approach the missing partners: dynamiser (convenor), facilitator, knowledge "
                        "partner and local government.")  # not the mine, the communities or the regional government
    items = {i["id"]: i for m in plan["steps"] for s in m["steps"] for t in s["tasks"] for i in t["items"]}
    assert "gap-company" not in items
    assert items["invite-company"]["text"] == ("Invite the mine, named in your goals, to take the company role, and "
                                               "ask what it brings.")
    text = str(plan)
    assert "Look for the company whose operation the partnership is about" not in text
    assert "the company whose operation" not in text
    # With a partner list, the listed partner is the one invited, and the target's own words are kept.
    listed = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC, index=RUNTIME.matcher)
    assert listed["brief"]["invite"][0]["who"] == "Las Bambas copper mine (“the mine” in your goals)"
    assert listed["brief"]["invite"][0]["brought"].startswith("In the template, ArcelorMittal Zenica (AMZ): ")


async def test_the_ministry_named_in_the_summary_takes_the_national_government_role(seeded):
    target = {**NIGERIA, "summary": "The Ministry of Health needs religious and traditional leaders to reach every "
                                    "household."}
    plan = await plans.generate(ANONYMOUS, "india-pulse-polio", target, index=RUNTIME.matcher)
    who = {i["role"]: i["who"] for i in plan["brief"]["invite"] if i["named"]}
    assert who == {"faith-based organisation": "Religious and traditional leaders, named in your goals",
                   "local government": "The local government areas, named in your goals",
                   "national government": "The Ministry of Health, named in your description"}
    assert [i["role"] for i in plan["brief"]["invite"][:3]] == [
        "faith-based organisation", "local government", "national government"]


async def test_a_named_actor_the_template_has_no_role_for_gets_a_row_of_its_own(seeded):
    plan = await plans.generate(ANONYMOUS, "india-tamil-nadu-banana-trade", TEGUCIGALPA, index=RUNTIME.matcher)
    rows = {r["role"]: r for r in plan["partner_map"]["rows"]}
    assert [p["name"] for p in rows["local-government"]["target"]] == ["Alcaldía del Distrito Central"]
    assert rows["faith-based"]["status"] == "named" and rows["faith-based"]["template"] == []
    assert [i["who"] for i in plan["brief"]["invite"][:3]] == [
        "Alcaldía del Distrito Central (“the municipality” in your goals)", "Local businesses, named in your goals",
        "Churches, named in your goals"]


# 4. One retrieval result drives the goal row and the proposed blocks ------------------------------------------

def test_a_goal_never_says_nothing_when_the_plan_proposes_a_block_its_retrieval_scores():
    land = {"tenant": "library", "slug": "mexico-campana-altamira", "case_title": "CEMEX Campana-Altamira",
            "country": "MX", "block_id": "working-groups-on-land-tenure-regularisation", "comparable": True,
            "block": {"title": "Working groups on land tenure regularisation",
                      "description": "Working groups that secure land rights.",
                      "msp_steps": [4]}}
    retrieval = [
        {"kind": "goal", "text": "Secure the land rights of the families", "template": [],
         "library": [{**land, "score": 0.09}]},  # below the floor on its own
        {"kind": "situation", "text": "Land rights are at the heart of the conflict", "template": [],
         "library": [{**land, "score": 0.2}]},
    ]
    rows, items, proposed = goal_work(retrieval, COLOMBIA, Register())
    assert [p["title"] for p in rows[0]["proposals"]] == ["Working groups on land tenure regularisation"]
    assert "Nothing in the library" not in rows[0]["summary"]
    assert not any(i["text"].startswith("Nothing in the library") for i in items)
    assert [(p["title"], p["for"]) for p in proposed] == [("Working groups on land tenure regularisation",
                                                          ["goal-1", "goal-2"])]


async def test_the_sierra_leone_land_goals_and_blocks_agree(seeded):
    plan = await plans.generate(ANONYMOUS, "liberia-concessions-hsbp", SIERRA_LEONE_RIGHTS, index=RUNTIME.matcher)
    proposed = {b["title"] for b in plan["proposed_blocks"]}
    assert "Working groups on land tenure regularisation" in proposed
    for goal in plan["goals"]:
        assert "Nothing in the library" not in goal["summary"], goal
        assert goal["proposals"] or goal["template_blocks"], goal
    rights = next(g for g in plan["goals"] if g["text"] == "Respect the land rights of local communities")
    assert rights["proposals"][0]["title"] == "Working groups on land tenure regularisation"


# 5. The template's own blocks first ----------------------------------------------------------------------

async def test_a_bare_coverage_goal_finds_the_templates_own_blocks(seeded):
    target = {"title": "Measles vaccination campaign in Kano State", "country": "NG", "sectors": ["health"],
              "context": {"trust": "low"}, "population_groups": ["children", "rural-poor"], "goals": "95% coverage"}
    plan = await plans.generate(ANONYMOUS, "india-pulse-polio", target, index=RUNTIME.matcher)
    goal = plan["goals"][0]
    assert goal["template_blocks"] == ["Focus on the underserved",
                                       "A people's programme built on multi-level government leadership and local "
                                       "trust"]
    assert goal["summary"] == (
        "Read in the situation you describe, the template's blocks “Focus on the underserved” and “A people's "
        "programme built on multi-level government leadership and local trust” come closest to this: start from "
        "them.")
    agree = next(i for m in plan["steps"] for s in m["steps"] for t in s["tasks"] for i in t["items"]
                 if i["id"] == "goal-1-agree")
    assert agree["text"].startswith("Agree the goal “95% coverage” with the partners as a shared objective.")
    assert any(e.startswith("block:library/india-pulse-polio/") for e in agree["evidence"])


# 6. Rules for the first meeting --------------------------------------------------------------------------

async def test_the_brief_sets_the_rules_of_the_first_meeting_with_their_sources(with_lessons):
    plan = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC, index=RUNTIME.matcher)
    rules = {r["id"]: r for r in plan["brief"]["rules"]}
    assert list(rules) == ["rule-protocols", "rule-language", "rule-consult", "rule-brings", "rule-facilitator"]
    assert rules["rule-protocols"]["text"].startswith("Agree the rules of the partnership before its substance: how "
                                                      "decisions are taken")
    assert rules["rule-language"]["text"] == (
        "Hold the meeting in the languages the participants speak, with interpretation where they differ, so that "
        "everyone has a voice (campesino communities among them); give every party a short written record of the "
        "agreements in its own language.")
    assert rules["rule-consult"]["text"].startswith("Do no harm in consulting:")
    assert "(here trust is low and power is very unequal)" in rules["rule-consult"]["text"]
    assert rules["rule-brings"]["text"].startswith("Ask each party to say what it brings")
    evidence = {e["id"]: e for e in plan["evidence"]}
    assert rules["rule-protocols"]["evidence"][:2] == [
        "lesson-record:library/agree-protocols-for-decisions-commitments-and-timelines", "src:hsbp:149"]
    assert "protocols for decisions, commitments and timelines" in evidence["src:hsbp:149"]["locator"]
    assert rules["rule-consult"]["evidence"][0] == "lesson-record:library/consult-with-care-for-those-taking-part"
    assert evidence["src:msp:847"]["heading"] == "Allocation and mobilization of resources"
    text = pdf_text(render_pdf.render(plan))
    assert text.index("Rules for the meeting") < text.index("Decisions for the first meeting")


# 7. A weak template says so first and names the better ones ---------------------------------------------------

async def test_a_weak_template_leads_the_brief_with_the_cases_that_fit_better(seeded):
    plan = await plans.generate(ANONYMOUS, "india-tamil-nadu-banana-trade", copy.deepcopy(TEGUCIGALPA),
                                index=RUNTIME.matcher)
    brief = plan["brief"]
    assert brief["fit_warning"] == plan["caveats"][0]
    better = [s for s in plan["similar_cases"] if s["score"] > plan["fit"]["score"]][:3]
    assert [b["title"] for b in brief["better_templates"]] == [s["title"] for s in better]
    assert brief["better_templates"][0]["fit"].endswith("out of 100)")
    text = pdf_text(render_pdf.render(plan))
    brief_page = text[text.index("First-meeting brief", text.index("Before you use this plan")):]
    assert re.sub(r"\s+", " ", brief_page).index("A weak template (a weak match") < brief_page.index("Why this")
    fair = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC, index=RUNTIME.matcher)
    assert (fair["brief"]["fit_warning"], fair["brief"]["better_templates"]) == (None, [])


# 8. PDF: running headers, the annex, and a facilitator in every partner map ----------------------------------

async def test_pdf_headers_follow_the_chapter_and_the_annex_lists_each_source_place_once(with_lessons):
    plan = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", APURIMAC, index=RUNTIME.matcher)
    pages = pdf_text(render_pdf.render(plan)).split("\f")
    headed = [(p.strip().splitlines() or [""])[0] for p in pages]
    contents = [i for i, p in enumerate(pages) if re.search(r"^Contents$", p, re.M)]
    assert len(contents) == 1
    assert [i for i, h in enumerate(headed) if h.rstrip().endswith("Contents")] == contents
    assert "First tasks" not in pages[contents[0]]
    sources = [(e["source"], e["line"]) for e in plan["evidence"] if e["kind"] == "source"]
    assert len(sources) == len(set(sources))
    task32 = [e for e in plan["evidence"] if e["kind"] == "source" and e["line"] == 735]
    assert [e["locator"] for e in task32] == ["MSP guidelines, Module A, Step 3, Task 3.2 'Assess rewards and risks' "
                                              "(five risk areas)"]
    text = pdf_text(render_pdf.render(plan))
    annex = text[text.index("\nEvidence annex\n\n"):]
    assert sum(line.strip() == "Lessons learned" for line in annex.splitlines()) == 1
    assert "'Locally relevant and driven'; under" not in annex


async def test_a_template_without_a_facilitator_still_gets_an_independent_one_to_find(seeded):
    plan = await plans.generate(ANONYMOUS, "india-pulse-polio", NIGERIA, index=RUNTIME.matcher)
    row = next(r for r in plan["partner_map"]["rows"] if r["role"] == "facilitator")
    assert (row["template"], row["target"], row["note"]) == ([], [], NO_FACILITATOR)
    assert row["look_for"].startswith("an organisation that is not a party to the dispute and is trusted by all")
    assert "src:hsbp:149" in row["evidence"]
    assert plan["partner_map"]["independent_facilitator"] is True
    assert any(d.startswith("Agree on an outside facilitator") for d in plan["brief"]["decisions"])


# Second review round (findings.md, plans regenerated from this tree): named challenges, listed partners,
# unfilled convenor, regulator conflict of interest.
LAOS = {
    "title": "Community benefit-sharing alliance around the Nam Theun tributary hydropower project",
    "country": "LA", "sectors": ["energy"], "scenarios": ["company-community-relations"],
    "context": {"trust": "low", "power_asymmetry": "high", "setting": "rural"},
    "partners": [{"name": "Mekong Hydro Lao Co. Ltd", "type": "business-multinational", "roles": ["company", "funder"]},
                 {"name": "Bolikhamxay Provincial Department of Energy and Mines", "type": "government-subnational"},
                 {"name": "Lao Women's Union (district branch)", "type": "civil-society"}],
    "challenges": ["resettlement grievances", "staff-turnover", "indigenous consultation"],
    "goals": "a grievance channel that villagers and women in particular trust",
}


async def test_named_challenges_get_their_own_answers_and_consultation_is_work(seeded):
    plan = await plans.generate(ANONYMOUS, "nepal-fwld", LAOS, index=RUNTIME.matcher)
    named = {r["title"]: r["mitigation"] for r in plan["risks"] if r["kind"] == "named"}
    assert set(named) == {"Resettlement grievances", "Staff turnover"}  # consultation is not a hazard
    # the library's lesson where the actor reads it, else the guidelines' grievance advice: both name the process
    assert named["Resettlement grievances"] in (
        "From the library's lesson “Set up a grievance process so that difficulties do not undermine trust”.",
        "No documented mitigation in the library for resettlement grievances. The guidelines advise, for it: agree a "
        "conflict management mechanism (MSP Task 7.4) and a grievance process that everyone may use without fear of "
        "reprisal (HSBP step 7), and an agreed way to pause and resume joint activities when a dispute flares up.")
    assert named["Staff turnover"].startswith("In Nepal: Expect quick turnover of contact persons")
    assert not any("continues safely in the face of" in r["mitigation"] for r in plan["risks"])
    assert len({r["mitigation"] for r in plan["risks"]}) == len(plan["risks"])
    work = [i["text"] for m in plan["steps"] for s in m["steps"] for t in s["tasks"] for i in t["items"]]
    assert any(t.startswith("Plan “indigenous consultation” as work of the partnership, not as a risk to it")
               for t in work)
    coi = next(r for r in plan["risks"] if r["area"] == "conflict-of-interest")
    assert "Bolikhamxay Provincial Department of Energy and Mines may license, inspect or regulate Mekong Hydro " \
           "Lao Co. Ltd, and both sit in the partnership" in coi["reason"]
    assert "licensing, inspection and permit decisions of Bolikhamxay" in coi["mitigation"]
    rows = {r["role"]: [p["name"] for p in r["target"]] for r in plan["partner_map"]["rows"]}
    assert rows["company"] == rows["funder"] == ["Mekong Hydro Lao Co. Ltd"]
    assert rows["government-subnational"] == ["Bolikhamxay Provincial Department of Energy and Mines"]


async def test_user_roles_are_kept_and_an_unfilled_convenor_is_found_first(seeded):
    target = {**LAOS, "partners": [
        {"name": "Shonar Bangla Skills Foundation", "type": "civil-society", "roles": ["implementer", "convener"]},
        {"name": "International apparel brands", "type": "business-multinational", "roles": ["funder"]}]}
    plan = await plans.generate(ANONYMOUS, "cambodia-egbok-hospitality", target, index=RUNTIME.matcher)
    rows = {r["role"]: [p["name"] for p in r["target"]] for r in plan["partner_map"]["rows"]}
    assert rows["dynamiser"] == ["Shonar Bangla Skills Foundation"]
    assert rows["funder"] == ["International apparel brands"]
    bare = await plans.generate(ANONYMOUS, "nepal-fwld", {**LAOS, "partners": [LAOS["partners"][0]]},
                                index=RUNTIME.matcher)
    if not next(r for r in bare["partner_map"]["rows"] if r["role"] == "dynamiser")["target"]:
        first = bare["brief"]["first_tasks"]
        assert first[0]["id"] == "gap-dynamiser" and first[0]["owner"] == "to be agreed"
        assert "Do this first: nobody holds this role yet" in first[0]["text"]
        assert all(t["owner"] != "dynamiser (convenor)" for t in first)
        assert any(t["owner"] == "dynamiser (convenor), once agreed" for t in first[1:])


# 8. What the template covers, and proposals on meaning (second practitioner review) -------------------------

# The reviewed targets as test_plan_words has them; the Laos summary in full, the Gazipur goal of paid hours too.
NAM_THEUN = {**LAOS_REVIEWED, "summary": (
    "Mekong Hydro, a Thai-Lao joint venture, operates a 120 MW run-of-river plant. About 600 households were "
    "resettled in 2019 and complain that compensation and replacement farmland were late and that fish catches "
    "downstream have fallen. The district authorities change their focal persons often, village committees are "
    "informal, and no organisation is trusted by villagers, the company and the province alike to coordinate. Civil "
    "society space is limited.")}
GAZIPUR = {**BANGLADESH, "goals": "Train 600 women operators as line supervisors over two years with a curriculum "
           "the factories help design; guarantee promotion for graduates with a pay rise; keep the training in paid "
           "working hours; track promotion and retention of graduates after 12 months."}
FINNMARK = {"title": "Salmon farm and Sami reindeer herders coexistence agreement in Finnmark", "country": "NO",
            "locality": "Porsanger fjord, Finnmark", "sectors": ["food-security", "environment"],
            "scenarios": ["company-community-relations", "natural-resource-governance"],
            "context": {"conflict": "none", "state_capacity": "high", "trust": "low", "setting": "rural"},
            "population_groups": ["indigenous-peoples"],
            "partners": [{"name": "Nordlaks Havbruk AS", "type": "business-domestic", "roles": ["company"]},
                         {"name": "Porsanger reindeer grazing district", "type": "community"}],
            "challenges": ["land-disputes", "indigenous consultation"],
            "summary": "A salmon farming company wants to expand its sea sites and build a shore facility on land "
                       "used by a Sami reindeer grazing district for calving and migration. The Sami Parliament "
                       "expects consultation under the state consultation agreement.",
            "goals": "A written coexistence agreement on migration corridors and calving seasons; joint "
                     "environmental monitoring of lice and escapes published quarterly; a consultation protocol "
                     "accepted by the Sami Parliament."}
GRIEVANCE_LESSON = "Set up a grievance process so that difficulties do not undermine trust"
MAYBE = "may address this — check with the partners."


def work_items(plan: dict) -> list[dict]:
    return [i for m in plan["steps"] for s in m["steps"] for t in s["tasks"] for i in t["items"]]


def goal_row(plan: dict, text: str) -> dict:
    return next(g for g in plan["goals"] if g["text"] == text)


def proposal_titles(plan: dict) -> set[str]:
    return {p["title"] for g in plan["goals"] for p in g["proposals"]} | {b["title"] for b in plan["proposed_blocks"]}


async def test_the_template_covers_a_goal_yes_no_or_maybe_never_a_confident_guess(with_lessons):
    laos = await plans.generate(ANONYMOUS, "nepal-fwld", NAM_THEUN, index=RUNTIME.matcher)
    publish = goal_row(laos, "publish livelihood restoration monitoring data in Lao to the villages")
    # Not "the template does not address it": the Nepal block publishes all documentation, but shares one word.
    assert publish["summary"] == f"The template's block “All documentation published online” {MAYBE}"
    assert publish["possible_blocks"] == ["All documentation published online"]
    # More than one shared word and the text model's rank: a clear yes.
    handover = goal_row(laos, "hand coordination of the committee to a local organisation within three years")
    assert handover["template_blocks"] == ["Interim coordinator with a planned handover"]
    assert handover["summary"] == "The template's block “Interim coordinator with a planned handover” addresses this."
    gazipur = await plans.generate(ANONYMOUS, "cambodia-egbok-hospitality", GAZIPUR, index=RUNTIME.matcher)
    paid = goal_row(gazipur, "keep the training in paid working hours")
    assert paid["template_blocks"] == []
    assert paid["summary"] == (f"The template's block “Training package combining vocational and support services” "
                               f"{MAYBE}")
    finnmark = await plans.generate(ANONYMOUS, "mexico-campana-altamira", FINNMARK, index=RUNTIME.matcher)
    for text in ["a consultation protocol accepted by the Sami Parliament", "indigenous consultation"]:
        row = goal_row(finnmark, text)
        assert row["template_blocks"] == [] and row["possible_blocks"] == ["Committees and working groups"], row
        assert row["summary"].startswith(f"The template's block “Committees and working groups” {MAYBE}")
        assert "addresses this" not in row["summary"]
    # The plan's work item says the same, not the confident claim.
    items = {i["text"] for i in work_items(finnmark)}
    assert not any("“Committees and working groups” addresses this" in t for t in items)


async def test_proposals_and_lessons_from_other_cases_answer_the_goal_not_one_shared_word(with_lessons):
    laos = await plans.generate(ANONYMOUS, "nepal-fwld", NAM_THEUN, index=RUNTIME.matcher)
    titles = proposal_titles(laos)
    assert "Additional channel for government engagement on environmental governance (proposed)" not in titles
    assert "Resource mobilization around six advocacy areas" not in titles
    grievance = goal_row(laos, "a grievance channel that villagers and women in particular trust")
    assert grievance["proposals"] == []
    assert grievance["lessons"] == [{"title": GRIEVANCE_LESSON, "url": "/lessons/library/set-up-a-grievance-process"}]
    assert grievance["summary"] == f"See the library's lesson “{GRIEVANCE_LESSON}”."
    assert "Nothing in the library" not in grievance["summary"]
    assert goal_row(laos, "resettlement grievances")["lessons"][0]["title"] == GRIEVANCE_LESSON
    agree = next(i for i in work_items(laos) if i["text"].startswith("Agree the goal “a grievance channel"))
    assert "lesson-record:library/set-up-a-grievance-process" in agree["evidence"]
    # A lesson whose title shares one generic word ("years") with a goal is not cited for it.
    assert goal_row(laos, "hand coordination of the committee to a local organisation within three years")[
        "lessons"] == []
    finnmark = await plans.generate(ANONYMOUS, "mexico-campana-altamira", FINNMARK, index=RUNTIME.matcher)
    asked = {p["title"] for g in finnmark["goals"] if g["kind"] != "situation" for p in g["proposals"]}
    assert not any(t.startswith("Stand-by partnership agreement") for t in asked)
    coexist = goal_row(finnmark, "A written coexistence agreement on migration corridors and calving seasons")
    assert coexist["proposals"] == [] and "Nothing in the library addresses it either." in coexist["summary"]
    # Two shared words (joint, environmental) is a proposal on meaning.
    monitoring = goal_row(finnmark, "joint environmental monitoring of lice and escapes published quarterly")
    assert monitoring["proposals"][0]["title"] == "Joint proactive management of environmental protection (proposed)"


def test_one_shared_word_answers_a_short_statement_only_when_the_title_names_it():
    from casebook.planning.overlap import answers, coverage
    market = "Producer-led market study before approaching a buyer country"
    assert answers("limited market access", market, market, 0.22, 0.3)
    assert not answers("resettlement grievances", "Resource mobilization around resettlement and four other areas",
                       "Resource mobilization around six advocacy areas", 0.21, 0.3)
    channel = "Additional channel for government engagement on environmental governance"
    assert not answers("a grievance channel that villagers and women in particular trust", channel, channel, 0.21, 0.3)
    assert coverage("keep the training in paid working hours", "Training package with life skills",
                    "Training package", True, set()) == "maybe"
    assert coverage("hand coordination to a local organisation", "Interim coordinator hands over to an organisation",
                    "Interim coordinator", False, set()) == "yes"
    assert coverage("publish the data", "All documentation published online", "All documentation published online",
                    False, {"publis"}) == "maybe"
    assert coverage("publish the data", "All documentation published online", "All documentation published online",
                    False, set()) == "no"


@pytest.mark.usefixtures("seeded")
async def test_a_named_body_is_invited_beside_the_listed_partner_of_its_kind_not_folded_into_it():
    """Norway: the Sami Parliament (named in the goals) and the reindeer grazing district (a listed partner) are
    both communities; the invitation names both, and a bare "company" adds nothing to the firm's own name."""
    target = dict(copy.deepcopy(NORWAY_TARGET), partners=[
        {"name": "Nordlaks Havbruk AS", "type": "business-domestic", "roles": ["company"]},
        {"name": "Porsanger reindeer grazing district", "type": "community"},
        {"name": "Finnmark County Municipality", "type": "government-subnational"}],
        summary="A salmon farming company wants to build a shore facility on land used by a reindeer grazing "
                "district for calving.",
        goals="A written coexistence agreement on migration corridors; a consultation protocol accepted by the "
              "Sami Parliament.")
    plan = await plans.generate(ANONYMOUS, "mexico-campana-altamira", target, index=RUNTIME.matcher)
    invite = {line["role"]: line["who"] for line in plan["brief"]["invite"]}
    assert invite["beneficiary community"] == ("Porsanger reindeer grazing district and the Sami Parliament "
                                               "(named in your goals)")
    assert invite["company"] == "Nordlaks Havbruk AS"
