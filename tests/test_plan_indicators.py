"""Indicators: each goal of the target gets indicators proposed for it (baseline to be measured) or a clear ask
naming the SDG it serves; the template's recorded outcomes appear only as examples from their own context."""

from __future__ import annotations

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.services import plans
from tests.conftest import RUNTIME
from tests.test_plan_content import seeded  # noqa: F401  (the seed library)

pytestmark = pytest.mark.usefixtures("seeded")

KANO = {"title": "Measles vaccination campaign in Kano State", "country": "NG", "sectors": ["health"],
        "goals": "Reach 95% measles vaccination coverage of children under five; secure the campaign budget"}


async def test_goals_get_indicators_and_the_templates_figures_are_an_example_from_india():
    plan = await plans.generate(ANONYMOUS, "india-pulse-polio", KANO, index=RUNTIME.matcher)
    rows = [(i["id"], i["source"], i["indicator"], i["target_site"]) for i in plan["indicators"]["outcomes"]]
    assert rows == [
        ("indicator-goal-1", "target goal",
         "Measles vaccination coverage of children under five (%, by area); target 95%; Areas not reached in the "
         "last round, with the reason (number) (baseline: to be measured)",
         "Proposed for the goal “Reach 95% measles vaccination coverage of children under five”: agree these with "
         "the partners and measure their baseline before work starts (Tasks 2.4 and 8.3). It serves SDG 3 (Good "
         "health and well-being)."),
        ("indicator-goal-2", "target goal",
         "To choose with the partners for the goal “secure the campaign budget” (baseline: to be measured)",
         "It serves SDG 3 (Good health and well-being). Choose one indicator of that goal's targets with the "
         "partners from the global SDG indicator framework, and measure its baseline before work starts (Tasks "
         "2.4 and 8.3)."),
        ("indicator-1", "template example",
         "In India, the case recorded “Polio status of India (paralytic polio cases)” (baseline: 50,000 to 100,000 "
         "paralytic polio cases each year between 1978 and 1995; largest endemic reservoir of polio in the world; "
         "reached: Declared polio-free by WHO on 27 March 2014).",
         "An example from India, not a measure of the target: its figures are the template's. Use a measure like "
         "it only where a goal of the target calls for one, with its own baseline, to be measured in the target."),
    ]
    monitor = next(i for m in plan["steps"] for s in m["steps"] for t in s["tasks"] for i in t["items"]
                   if i["id"] == "tpl-monitor")
    assert monitor["text"] == ("Monitor the indicators agreed for the target's goals (see the indicators), from the "
                               "baseline measured in the target.")
    assert "Measure the baseline in the target" not in str(plan)
