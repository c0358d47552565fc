"""The seed library's corrections against its sources: what a field claims is in the lines it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from casebook.domain.blocks import case_blocks
from casebook.domain.lessonfile import load_lesson_files
from casebook.settings import CASES_DIR

SEEDS = next((p / "shared" / "seeds" for p in Path(__file__).resolve().parents if (p / "shared" / "seeds").is_dir()),
             None)
needs_seeds = pytest.mark.skipif(SEEDS is None, reason="shared/seeds (the source documents) is not available")
SIDS = {"AG", "BB", "BH", "BS", "BZ", "CU", "CV", "DM", "DO", "FJ", "FM", "GD", "GW", "GY", "HT", "JM", "KI", "KM",
        "KN", "LC", "MH", "MU", "MV", "NR", "PG", "PW", "SB", "SC", "SG", "SR", "ST", "TL", "TO", "TT", "TV", "VC",
        "VU", "WS"}


def case(slug: str) -> dict:
    return yaml.safe_load((CASES_DIR / f"{slug}.yaml").read_text(encoding="utf-8"))


def lesson(slug: str) -> dict:
    return next(d for _, d in load_lesson_files([CASES_DIR / "lessons"]) if d["slug"] == slug)


def source_line(file: str, number: int) -> str:
    return (SEEDS / file).read_text(encoding="utf-8").splitlines()[number - 1]


def test_haiti_claims_no_trust_level_and_no_logistics_sector():
    haiti = case("haiti-earthquake-private-sector-response")
    assert "trust" not in haiti["context"] and haiti["sectors"] == ["humanitarian"]


def test_the_corrected_lessons_say_what_the_source_says():
    dynamiser = lesson("a-dynamiser-brings-partners-to-the-table")["body"]
    assert "explore *with the other primary partners* the benefits and risks" in dynamiser
    assert "before meeting the others" not in dynamiser
    bosnia = lesson("confidential-mediation-needs-a-wider-circle")["body"]
    assert "broke an impasse" not in bosnia and "The report gives no result" in bosnia


def test_the_sids_framework_covers_every_small_island_developing_state_as_an_editors_mapping():
    sids = case("sids-partnership-framework")
    assert (sids["country"], set(sids["countries"]), len(sids["countries"])) == (None, SIDS, 38)
    assert sids["mapped"] == ["countries", "sdgs"]


def test_every_case_with_sdgs_or_human_security_marks_them_as_mapped():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "vocabulary.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected = [f for f in ("sdgs", "human_security") if data.get(f)]
        assert [f for f in data.get("mapped", []) if f != "countries"] == expected, path.name


def test_the_vodafone_case_keeps_to_its_one_paragraph():
    vodafone = case("kenya-tanzania-vodafone-undp-mobile-money")
    assert (vodafone["country"], vodafone["countries"], vodafone["evidence_level"]) == (None, ["KE", "TZ"],
                                                                                      "self-reported")
    assert [bid for bid, _ in case_blocks(vodafone)] == ["mobile-money-accounts", "local-language-internet",
                                                        "sms-health-awareness", "social-investment-funds"]
    assert vodafone["outcomes"][0] == {"indicator": "Citizens in Kenya and Tanzania introduced to mobile transfer "
                                                    "fund accounts", "actual": 18000000, "unit": "people"}
    assert "context" not in vodafone and "risks" not in vodafone and "scaling" not in vodafone
    assert vodafone["challenges"] == [] and vodafone["population_groups"] == []


@needs_seeds
@pytest.mark.parametrize(("path", "file", "number", "phrase"), [
    ("cases/kenya-tanzania-vodafone-undp-mobile-money.yaml", "un-private-sector-focal-points-2010.txt", 121,
     "18 million citizens in Kenya and Tanzania were introduced to mobile transfer fund accounts"),
    ("cases/papua-new-guinea-provincial-capacity.yaml", "escap-unu-msp-guidelines-2018.txt", 1208,
     "cost-sharing partnership involving the Government"),
    ("cases/papua-new-guinea-provincial-capacity.yaml", "escap-unu-msp-guidelines-2018.txt", 1210,
     "accountability and transparency in the management of public funds"),
    ("cases/haiti-earthquake-private-sector-response.yaml", "un-private-sector-focal-points-2010.txt", 160,
     "Three such potential universal KPIs"),
    ("cases/lessons/a-dynamiser-brings-partners-to-the-table.yaml", "hsbp-framework-report.txt", 127,
     "with the other primary partners"),
    ("cases/lessons/independent-local-facilitator-trusted-by-all.yaml", "hsbp-framework-report.txt", 151,
     "An independent facilitator who is locally based and is trusted by all partners is indispensable"),
    ("cases/lessons/agree-protocols-for-decisions-commitments-and-timelines.yaml", "hsbp-framework-report.txt", 151,
     "The protocols of the partnership should be established at the outset"),
    ("cases/lessons/consult-with-care-for-those-taking-part.yaml", "hsbp-framework-report.txt", 155,
     "sensitive to possible adverse consequences for those taking part"),
    ("cases/lessons/an-action-checklist-of-quick-wins-and-long-term-work.yaml", "hsbp-framework-report.txt", 159,
     "quick impact initiatives and long-term activities"),
    ("cases/lessons/monitor-jointly-so-accountability-is-mutual.yaml", "hsbp-framework-report.txt", 168,
     "In this way accountability is mutualised"),
    ("cases/lessons/set-up-a-grievance-process.yaml", "hsbp-framework-report.txt", 168,
     "A grievance process also needs to be established"),
    ("cases/lessons/include-those-left-out-to-avoid-spoilers.yaml", "hsbp-framework-report.txt", 70,
     "minimise the spoiler problem"),
])
def test_a_cited_line_holds_the_text_and_the_file_cites_it(path, file, number, phrase):
    assert phrase in source_line(file, number)
    text = (CASES_DIR.parent / path).read_text(encoding="utf-8")
    ranges = re.findall(r"(\d+)(?:-(\d+))?", " ".join(re.findall(rf"{re.escape(file)}:([^\n]*)", text)))
    covered = {n for a, b in ranges for n in range(int(a), int(b or a) + 1)}
    assert number in covered, (path, number)


@needs_seeds
def test_the_new_process_lessons_cite_the_hsbp_report_with_steps_and_tags():
    slugs = ["independent-local-facilitator-trusted-by-all", "agree-protocols-for-decisions-commitments-and-timelines",
             "consult-with-care-for-those-taking-part", "an-action-checklist-of-quick-wins-and-long-term-work",
             "monitor-jointly-so-accountability-is-mutual", "set-up-a-grievance-process",
             "include-those-left-out-to-avoid-spoilers"]
    for slug in slugs:
        data = lesson(slug)
        assert data["msp_steps"] and data["tags"] and data["dimensions"], slug
        assert all("hsbp-framework-report.txt:" in s for s in data["sources"]), slug
