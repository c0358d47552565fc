"""The words of a plan, read as a practitioner reads them (the review of four plans, findings 1-12): country codes
that YAML 1.1 would turn into booleans, sentences with a missing value, hyphens, "UN agency", indicators from the
target's own numbers, the editors' SDG mapping, cases never carried out, citations and links."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import re
from pathlib import Path

import docx
import pytest

from casebook.domain.access import ANONYMOUS
from casebook.domain.casefile import load_case_text, parse_yaml
from casebook.domain.errors import InvalidInput
from casebook.domain.lessonfile import load_lesson_text
from casebook.planning import render_docx, render_html, render_pdf
from casebook.planning.guidelines import PASSAGES, SOURCES
from casebook.services import cases, plans
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests.conftest import RUNTIME
from tests.factory import make_case
from tests.test_plan_content import PUBLIC_SITE, html_text, human_texts, lines, public_site, seeded  # noqa: F401
from tests.test_plan_pdf import pdf_text
from tests.test_web_plans import signed_in

# The source documents, beside the main tree or beside the folder of worktrees.
SEEDS = next((p for p in (Path(__file__).resolve().parents[n] / "shared" / "seeds" for n in (2, 3)) if p.is_dir()),
             Path("shared/seeds"))

# --- 1. YAML: NO is Norway, not False ----------------------------------------------------------------------------


def test_a_case_file_keeps_norway_and_sweden_as_country_codes():
    text = (CASES_DIR / "nepal-fwld.yaml").read_text(encoding="utf-8")
    text = text.replace("country: NP", "country: NO\ncountries: [NO, SE]")
    case = load_case_text(text, "norway.yaml")
    assert (case["country"], case["countries"]) == ("NO", ["NO", "SE"])
    # Only true and false are booleans (YAML 1.2): yes/no/on/off stay the words they are.
    data, _ = parse_yaml("a: yes\nb: Off\nc: true\nd: False\ne: [on, n, y]\n")
    assert data == {"a": "yes", "b": "Off", "c": True, "d": False, "e": ["on", "n", "y"]}
    # A boolean field given "yes" is a clear error naming the field, not a silent True.
    bad = text.replace("    type: civil-society\n    roles: [convener", "    type: civil-society\n    sensitive: yes\n"
                       "    roles: [convener", 1)
    with pytest.raises(InvalidInput) as err:
        load_case_text(bad, "norway.yaml")
    assert [(p.field, p.message) for p in err.value.problems] == [("partners[0].sensitive",
                                                                   "'yes' is not of type 'boolean'")]


def test_a_lesson_file_keeps_no_as_a_word():
    text = (CASES_DIR / "lessons" / "set-up-a-grievance-process.yaml").read_text(encoding="utf-8")
    lesson = load_lesson_text(text.replace("tags: [", "tags: [no, ", 1), "lesson.yaml")
    assert lesson["tags"][0] == "no"


NORWAY = """
title: Salmon farm and Sami reindeer herders coexistence agreement in Finnmark
country: NO
countries: [NO, SE]
locality: Porsanger fjord, Finnmark
sectors: [food-security, environment]
context: {conflict: none, state_capacity: high, trust: low, setting: rural}
population_groups: [indigenous-peoples]
partners:
  - {name: Nordlaks Havbruk AS, type: business-domestic, roles: [company]}
goals: >-
  A written coexistence agreement on migration corridors and calving seasons; joint environmental monitoring of
  lice and escapes published quarterly.
"""


@pytest.mark.usefixtures("seeded")
async def test_a_target_in_norway_makes_a_plan_that_says_norway():
    target, _ = parse_yaml(NORWAY, "norway.yaml")
    assert (target["country"], target["countries"]) == ("NO", ["NO", "SE"])
    plan = await plans.generate(ANONYMOUS, "mexico-campana-altamira", target, index=RUNTIME.matcher)
    assert plan["target_country_name"] == "Norway"
    item = next(i for i in lines(plan) if i["id"] == "adapt-physical.country-no-localise")
    assert item["text"].startswith("Localise each building block for Norway:")


# --- 2. sentences that read well, whatever is missing ---------------------------------------------------------------

LAOS = {
    "title": "Community benefit-sharing alliance around the Nam Theun tributary hydropower project", "country": "LA",
    "locality": "Bolikhamxay Province, three resettled villages downstream of the dam", "sectors": ["energy"],
    "scenarios": ["company-community-relations", "rights-protection"],
    "context": {"trust": "low", "power_asymmetry": "high", "state_capacity": "low", "setting": "rural",
                "legal_provisions": "weak"},
    "population_groups": ["indigenous-peoples", "displaced-people", "women", "farmers"],
    "partners": [{"name": "Mekong Hydro Lao Co. Ltd", "type": "business-multinational", "roles": ["company", "funder"]},
                 {"name": "Bolikhamxay Provincial Department of Energy and Mines", "type": "government-subnational"},
                 {"name": "Lao Women's Union (district branch)", "type": "civil-society"}],
    "challenges": ["resettlement grievances", "staff-turnover", "leadership-gap", "weak-coordination"],
    "summary": "Mekong Hydro, a Thai-Lao joint venture, operates a 120 MW run-of-river plant. About 600 households "
               "were resettled in 2019.",
    "goals": "Set up a benefit-sharing committee with villagers, the district and the company that meets every "
             "quarter; publish livelihood restoration monitoring data in Lao to the villages; hand coordination of "
             "the committee to a local organisation within three years; a grievance channel that villagers and "
             "women in particular trust.",
}
GUATEMALA = {
    "title": "Coffee cooperative and exporter partnership for post-conflict livelihoods in Huehuetenango",
    "country": "GT", "locality": "Four municipalities of the Cuchumatanes highlands, Huehuetenango",
    "sectors": ["agriculture"], "scenarios": ["market-access", "peacebuilding"],
    "context": {"conflict": "post-conflict", "trust": "low", "state_capacity": "low", "setting": "rural",
                "power_asymmetry": "high"},
    "population_groups": ["smallholders", "indigenous-peoples", "youth", "migrants"],
    "partners": [{"name": "Cooperativa Cafetalera Flor de los Cuchumatanes", "type": "community",
                  "roles": ["implementer"]},
                 {"name": "Exportadora Café Alto S.A.", "type": "business-domestic", "roles": ["company"]},
                 {"name": "Municipal governments of four municipalities", "type": "government-local"}],
    "challenges": ["mistrust", "limited-market-access", "corruption", "youth out-migration"],
    "summary": "A Mam and Q'anjob'al smallholder cooperative of 1,400 members sells specialty coffee through a "
               "national exporter.",
    "goals": "A baseline of household needs in each municipality validated in community assemblies; a forward "
             "contract and quality premium agreed between the cooperative and the exporter; a public platform "
             "where the partnership's decisions are posted in Spanish and Mam.",
}
BANGLADESH = {
    "title": "Supervisor pathway for young women garment workers in Gazipur", "country": "BD",
    "locality": "Gazipur industrial belt, Dhaka Division", "sectors": ["garments", "education"],
    "scenarios": ["workforce-development"], "context": {"trust": "low", "power_asymmetry": "high",
                                                        "setting": "peri-urban"},
    "population_groups": ["women", "youth", "workers", "migrants"],
    "partners": [{"name": "Shonar Bangla Skills Foundation", "type": "civil-society",
                  "roles": ["implementer", "convener"]},
                 {"name": "Twelve export garment factories (BGMEA members)", "type": "business-domestic",
                  "roles": ["company"]}],
    "challenges": ["poor-working-conditions", "gender-inequality", "mistrust", "high worker turnover"],
    "goals": "Train 600 women operators as line supervisors over two years with a curriculum the factories help "
             "design; guarantee promotion for graduates with a pay rise; track promotion and retention of graduates "
             "after 12 months.",
}
NORWAY_TARGET = {
    "title": "Salmon farm and Sami reindeer herders coexistence agreement in Finnmark", "country": "NO",
    "sectors": ["food-security", "environment"], "context": {"conflict": "none", "trust": "low", "setting": "rural"},
    "population_groups": ["indigenous-peoples"], "challenges": ["land-disputes", "indigenous consultation"],
    "goals": "A written coexistence agreement on migration corridors and calving seasons.",
}
REVIEWED = [("nepal-fwld", LAOS), ("colombia-antioquia-rural-hsbp", GUATEMALA),
            ("cambodia-egbok-hospitality", BANGLADESH), ("mexico-campana-altamira", NORWAY_TARGET)]
# Compounds the vocabulary spells with a hyphen, which must not come out as two words.
COMPOUNDS = ("post-conflict", "ex-combatants", "peri-urban", "out-migration", "micro-entrepreneurs", "self-reported",
             "stand-by agreement", "in-kind donation")
BROKEN = {"double space": re.compile(r"\S  +\S"), "space before a comma": re.compile(r" ,"),
          "empty slot": re.compile(r"\b(?:for|of|in|to|is|are|and) ,|\b(?:for|of|in|to) \.|, ,"),
          "empty quotes": re.compile(r"“\s*”|\"\"|\(\s*\)"), "Un agency": re.compile(r"\b(?:Un|un) agency"),
          "stray comma after a possessive": re.compile(r"'s, “"),
          "a sentence about a value the template does not record": re.compile(r"does not record, where")}


def hyphened(*texts: str) -> set[str]:
    """Words written with a hyphen in the given texts ('benefit-sharing', 'run-of-river')."""
    return {w for t in texts for w in re.findall(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b", t)}


def defects(text: str, compounds: set[str]) -> list[str]:
    found = [f"{name}: …{text[max(0, m.start() - 40):m.end() + 40]}…" for name, pattern in BROKEN.items()
             for m in pattern.finditer(text)]
    found += [f"hyphen lost: {c.replace('-', ' ')}" for c in compounds
              if re.search(rf"\b{re.escape(c.replace('-', ' '))}\b", text, re.IGNORECASE)]
    return found


@pytest.mark.parametrize(("template", "target"), REVIEWED, ids=["laos", "guatemala", "bangladesh", "norway"])
@pytest.mark.usefixtures("seeded")
async def test_every_text_of_the_reviewed_plans_reads_without_blanks_or_lost_hyphens(template, target):
    plan = await plans.generate(ANONYMOUS, template, copy.deepcopy(target), index=RUNTIME.matcher)
    case = await plans.template_ref(ANONYMOUS, template)
    prose = [str(target.get(k) or "") for k in ("title", "summary", "goals", "locality")]
    prose += [c for c in target.get("challenges") or [] if " " in c]  # words the user typed, not slugs
    prose.append(case["case"]["title"])  # (not its summary: "agenda-setting" there, the guidelines' "Agenda setting")
    compounds = set(COMPOUNDS) | hyphened(*prose)
    texts = list(human_texts({k: v for k, v in plan.items() if k != "target"}))
    assert [d for t in texts for d in defects(t, compounds)] == []
    report = render_html.render(plan, standalone=True)
    assert defects(" ".join(html_text(report).split()), compounds) == []


@pytest.mark.usefixtures("seeded")
async def test_the_sentences_that_had_blanks_now_say_what_is_missing():
    plan = await plans.generate(ANONYMOUS, "nepal-fwld", copy.deepcopy(LAOS), index=RUNTIME.matcher)
    items = {i["id"]: i for i in lines(plan)}
    assert items["adapt-physical.sector-energy-problem"]["text"] == (
        "Examine what changes in the problem when the sector is energy: its impacts, its risks and who is affected. "
        "The template records no sector to compare with.")
    assert items["adapt-physical.sector-energy-blocks"]["why"] == (
        "The template records no sector; check that their components and activities fit energy before they "
        "transfer.")
    quarterly = next(b for b in plan["building_blocks"] if b["title"] == "Quarterly partner meetings and intensive "
                                                                          "communication")
    assert "the template records no sector, and the target is energy" in quarterly["reason"]
    assert items["tpl-frame"]["text"] == (
        "Frame the challenge of “Community benefit-sharing alliance around the Nam Theun tributary hydropower "
        "project” and compare it with the one “Forum for Women, Law and Development” took on in Nepal; the editors "
        "mapped the template to SDG 5 (Gender equality) and SDG 16 (Peace, justice and strong institutions).")
    # Nepal tracked no indicator: nothing to say that its figures do not transfer.
    assert items["adapt-physical.country-la-baseline"]["text"] == (
        "Establish a new baseline in Laos for the SDG-related indicators the partners agree; the template recorded no "
        "figures to compare with.")
    legal = next(r for r in plan["risks"] if r["title"] == "Different legal provisions for partnering")
    assert "legal provisions for partnering are weak in the target" in legal["reason"]
    gua = await plans.generate(ANONYMOUS, "colombia-antioquia-rural-hsbp", copy.deepcopy(GUATEMALA),
                               index=RUNTIME.matcher)
    text = "\n".join(human_texts({k: v for k, v in gua.items() if k != "target"}))
    assert "ex-combatants" in text and "post-conflict" in text and "youth out-migration" in text
    un = next(i for i in lines(gua) if i["id"] == "gap-un-agency")
    assert un["text"] == "Find a partner for the UN agency role. In the template, UN agency teams held this role."


async def test_the_plan_page_writes_un_agency_and_the_users_goal_as_written(world, client):
    tenant = world.tenant_ids["alpha"]
    partners = [{"name": "UN Development Programme", "type": "un-agency", "roles": ["un-agency"]},
                {"name": "Mining Co", "type": "business-multinational", "roles": ["company"]}]
    await cases.create_case(system_actor(tenant), "alpha", make_case("un-led", partners=partners), "private")
    token = await signed_in(client, "alpha_editor")
    made = await client.post("/plans/new", data={
        "template": "alpha/un-led", "title": "Mine town", "country": "PE", "context.trust": "low",
        "goals": "Decisions posted in Spanish and Quechua", "_csrf_token": token})
    assert made.status_code == 303, made.text
    page = (await client.get(made.headers["location"])).text
    assert "UN agency" in page and "Un agency" not in page
    assert "Decisions posted in Spanish and Quechua" in page


# --- 3. indicators from the target's own numbers -----------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
async def test_the_targets_own_numbers_become_its_indicators():
    plan = await plans.generate(ANONYMOUS, "cambodia-egbok-hospitality", copy.deepcopy(BANGLADESH),
                                index=RUNTIME.matcher)
    by_goal = {i["goal"]: i for i in plan["indicators"]["outcomes"] if i["source"] == "target goal"}
    train = by_goal["Train 600 women operators as line supervisors over two years with a curriculum the factories "
                    "help design"]
    assert train["indicator"] == ("Women operators trained as line supervisors: target 600 over two years "
                                  "(baseline: to be measured)")
    assert by_goal["track promotion and retention of graduates after 12 months"]["indicator"] == (
        "Promotion and retention of graduates after 12 months (%) (baseline: to be measured)")
    # The SDG numbers of this template are the editors' mapping, not something the template served.
    site = by_goal["guarantee promotion for graduates with a pay rise"]["target_site"]
    assert "the editors mapped the template to SDG 1 (No poverty), SDG 4 (Quality education) and SDG 8" in site
    assert "the template served" not in str(plan)

    laos = await plans.generate(ANONYMOUS, "nepal-fwld", copy.deepcopy(LAOS), index=RUNTIME.matcher)
    by_goal = {i["goal"]: i for i in laos["indicators"]["outcomes"] if i["source"] == "target goal"}
    handover = by_goal["hand coordination of the committee to a local organisation within three years"]["indicator"]
    assert handover == ("Successor organisation named and accepted by every partner (date); Successor's capacity for "
                        "the role assessed and, where needed, built (date); Role handed over to the successor (date); "
                        "target: within three years (baseline: to be measured)")
    assert "Sessions held" not in handover
    committee = by_goal["Set up a benefit-sharing committee with villagers, the district and the company that meets "
                        "every quarter"]["indicator"]
    assert committee.startswith("Sessions held with every party present (number per year); target: every quarter;")
    gua = await plans.generate(ANONYMOUS, "colombia-antioquia-rural-hsbp", copy.deepcopy(GUATEMALA),
                               index=RUNTIME.matcher)
    by_goal = {i["goal"]: i for i in gua["indicators"]["outcomes"] if i["source"] == "target goal"}
    assert by_goal["a public platform where the partnership's decisions are posted in Spanish and Mam"][
        "indicator"] == ("Decisions and data published within the agreed time, in Spanish and Mam (%) (baseline: to "
                         "be measured)")


# --- 4. evidence honesty: cases never carried out, and their sources ---------------------------------------------


@pytest.mark.usefixtures("seeded")
async def test_what_a_proposed_case_says_is_marked_and_cited_by_its_source():
    quotes = []  # every quote of the two proposed cases, in any text of the four reviewed plans
    for template, target in REVIEWED:
        made = await plans.generate(ANONYMOUS, template, copy.deepcopy(target), index=RUNTIME.matcher)
        quotes += re.findall(r"In (?:Bosnia and Herzegovina|Liberia)[,:][^:]*:", json.dumps(made, ensure_ascii=False))
    assert quotes and all(q.endswith(", where the approach was proposed but not carried out:") for q in quotes), quotes
    plan = await plans.generate(ANONYMOUS, "nepal-fwld", copy.deepcopy(LAOS), index=RUNTIME.matcher)
    cases_ = {e["id"]: e for e in plan["evidence"] if e["kind"] in ("case", "lesson", "block")}
    zenica = cases_["case:library/bosnia-zenica-steelworks"]
    assert zenica["status_note"] == "A case where the approach was proposed but not carried out."
    assert zenica["cited"].startswith("LSE IDEAS and UN Human Security Unit, The Human Security Business Partnership "
                                      "(HSBP) Framework, Section 'BOSNIA'")
    nepal = [e for k, e in cases_.items() if k.startswith("lesson:library/nepal-fwld")]
    assert nepal and all(e["cited"] == (
        "United Nations ESCAP and UNU-IAS, Partnering for Sustainable Development: Guidelines for Multi-stakeholder "
        "Partnerships to Implement the 2030 Agenda in Asia and the Pacific (2018), Box IV.5 'Assigning leadership "
        "and structuring a multi-stakeholder partnership in Nepal' (Module B, Step 5, tasks 5.1-5.2)") for e in nepal)
    assert all(e["status_note"] is None for e in nepal)  # carried out and documented: nothing to flag
    word = docx_text(render_docx.render(plan))
    assert "Source: United Nations ESCAP and UNU-IAS, Partnering for Sustainable Development" in word
    assert "A case where the approach was proposed but not carried out." in word


# --- 5. citations that say what the source says --------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not available")
async def test_the_grievance_process_is_cited_to_hsbp_step_7_not_task_7_4():
    hsbp = (SEEDS / SOURCES["hsbp"]["file"]).read_text().splitlines()
    msp = (SEEDS / SOURCES["msp"]["file"]).read_text().splitlines()
    grievance = PASSAGES["grievance"]
    step7 = hsbp[grievance.line - 1:grievance.line + 4]  # the step, up to the next heading
    assert step7[0] == "7. Joint monitoring and evaluation" and "A grievance process also needs" in " ".join(step7)
    task74 = " ".join(msp[1068:1078])
    assert "mechanism for conflict management" in task74 and "grievance" not in task74.casefold()
    # Wherever a plan cites the grievance process, it cites HSBP step 7, never Task 7.4 alone.
    for template, target in REVIEWED:
        plan = await plans.generate(ANONYMOUS, template, copy.deepcopy(target), index=RUNTIME.matcher)
        texts = list(human_texts({k: v for k, v in plan.items() if k != "target"}))
        assert not [t for t in texts if re.search(r"grievance process[^.;]*\((?:MSP )?Task 7\.4\)", t)]
        cited = [t for t in texts if re.search(r"grievance process[^.;]*\(HSBP step 7\)", t)]
        assert all("conflict management mechanism (MSP Task 7.4)" in t for t in cited if "conflict management" in t)
    laos = await plans.generate(ANONYMOUS, "nepal-fwld", copy.deepcopy(LAOS), index=RUNTIME.matcher)
    consult = next(r for r in laos["brief"]["rules"] if r["id"] == "rule-consult")
    assert grievance.key in consult["evidence"]  # "raise a concern in confidence": the HSBP grievance process


# --- 6. links a partner can open ---------------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])


@pytest.fixture
def no_public_site(monkeypatch, runtime):
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, base_url=None))


@pytest.mark.usefixtures("seeded")
async def test_without_a_public_address_the_reports_cite_sources_instead_of_localhost_links(no_public_site):
    plan = await plans.generate(ANONYMOUS, "nepal-fwld", copy.deepcopy(LAOS), index=RUNTIME.matcher)
    pdf = pdf_text(render_pdf.render(plan))
    word = docx_text(render_docx.render(plan))
    for text in (pdf, word):
        assert "127.0.0.1" not in text and "http" not in text
        assert "This copy carries no links to the Casebook site, which has no public address yet" in " ".join(
            text.split())
        assert "BoxIV.5'Assigningleadershipandstructuring" in re.sub(r"\s+", "", text)  # the PDF wraps lines
    # The page the app serves keeps its own links, which open on the site.
    html = render_html.render(plan)
    assert 'href="/cases/library/nepal-fwld' in html and "127.0.0.1" not in html


@pytest.mark.usefixtures("seeded", "public_site")
async def test_with_a_public_address_the_reports_link_to_it():
    plan = await plans.generate(ANONYMOUS, "nepal-fwld", copy.deepcopy(LAOS), index=RUNTIME.matcher)
    word = docx_text(render_docx.render(plan))
    assert f"{PUBLIC_SITE}/cases/library/nepal-fwld" in word
    assert "This copy carries no links" not in word
