"""Ordinary target files work: long summaries and goals, vocabulary values in plain words; what still fails
names the field the user wrote (never the matcher's internal `title`)."""

from __future__ import annotations

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.domain.errors import InvalidInput
from casebook.services import plans
from tests.conftest import RUNTIME
from tests.test_plan_content import seeded  # noqa: F401  (the seed library)

pytestmark = pytest.mark.usefixtures("seeded")

LONG_SUMMARY = ("A large open-pit copper mine operates in the headwaters of the Apurímac region. Communities accuse "
                "it of drying and polluting the springs they drink from and of breaking the agreements signed at "
                "the start; road blockades recur every year, and two earlier dialogue tables lapsed.")
LONG_GOAL = ("Joint water monitoring by residents, the regional water authority and the company, with sampling "
             "points chosen by the communities, results published in Spanish and Quechua at every assembly, and "
             "an agreed response when a sample exceeds the national standard")


async def test_long_summary_long_goal_and_plain_word_groups_make_a_plan():
    assert len(LONG_SUMMARY) > 200 and len(LONG_GOAL) > 200
    target = {"title": "Copper mine dialogue table in Apurímac", "country": "PE", "summary": LONG_SUMMARY,
              "goals": LONG_GOAL, "population_groups": ["campesino communities", "Campesino Communities"],
              "challenges": ["Water", "road blockades"], "sectors": ["Mining"]}
    plan = await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks", target, index=RUNTIME.matcher)
    assert plan["target"]["population_groups"] == ["campesino-communities"]
    assert plan["target"]["challenges"] == ["water", "road-blockades"]
    assert plan["target"]["sectors"] == ["mining"]
    assert plan["target"]["summary"] == LONG_SUMMARY
    assert [g["text"] for g in plan["goals"] if g["kind"] == "goal"] == [LONG_GOAL[:300]]


async def test_what_still_fails_names_the_users_field():
    with pytest.raises(InvalidInput) as err:
        await plans.generate(ANONYMOUS, "bosnia-zenica-steelworks",
                             {"title": "x" * 201, "country": "PE", "population_groups": ["!!"]}, index=RUNTIME.matcher)
    assert [(p.field, p.message) for p in err.value.problems] == [
        ("target.population_groups[0]", "'!!' has the wrong form (write it in plain words, e.g. “campesino "
                                        "communities”, or as campesino-communities)"),
        ("target.title", f"'{'x' * 201}' is too long"),
    ]
