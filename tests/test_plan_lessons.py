"""The planner cites lesson records as evidence, and only those the plan's actor may read."""

from __future__ import annotations

import json

from casebook.services import lessons
from casebook.services.actors import system_actor
from tests.lesson_fixtures import make_lesson

TARGET = {"title": "Mining town in the north", "country": "CO",
          "context": {"trust": "low", "power_asymmetry": "high"}, "population_groups": ["residents", "women"]}
POWER_ITEM = "adapt-conceptual.power-power_asymmetry-rules"  # task 3.5, conceptual dimension


async def add(world, tenant, slug, visibility, **fields):
    actor = system_actor(world.tenant_ids[tenant])  # publishes network/public lessons at once
    await lessons.import_lessons(actor, tenant, [(f"{slug}.yaml", make_lesson(slug, **fields))], visibility)


def lines(plan):
    return [i for m in plan["steps"] for s in m["steps"] for t in s["tasks"] for i in t["items"]]


async def test_a_plan_cites_readable_lesson_records_and_never_an_unreadable_one(world, client):
    await add(world, "alpha", "own-linked", "private", title="Alpha lesson on the template",
              cases=["alpha/alpha-public"], msp_steps=[3], dimensions=["conceptual"], tags=["power"],
              body="Make power visible with clear rules and shared leadership.")
    await add(world, "beta", "beta-hidden", "private", title="Hidden beta lesson on power",
              cases=["alpha/alpha-public"], msp_steps=[3], dimensions=["conceptual"], tags=["power"])
    await add(world, "beta", "beta-open", "public", title="Open beta lesson on inclusion",
              msp_steps=[2], dimensions=["social"], tags=["inclusion"], body="Include women's groups early.")
    await add(world, "beta", "beta-unrelated", "public", title="Unrelated lesson", msp_steps=[12],
              dimensions=["political"], tags=["exit"])
    made = await client.post("/api/v1/plans", json={"template": "alpha/alpha-public", "target": TARGET},
                             headers=world.auth("alpha_editor"))
    assert made.status_code == 201, made.text
    plan = made.json()
    records = {e["id"]: e for e in plan["evidence"] if e["kind"] == "lesson-record"}
    assert set(records) == {"lesson-record:alpha/own-linked", "lesson-record:beta/beta-open"}
    assert records["lesson-record:alpha/own-linked"]["url"] == "/lessons/alpha/own-linked"
    text = json.dumps(plan)
    assert "beta-hidden" not in text and "Hidden beta lesson" not in text

    from_lessons = {i["id"]: i for i in lines(plan) if i["id"].startswith("lesson-record")}
    own = from_lessons["lesson-record-alpha-own-linked"]
    assert own["task"] == "3.5" and own["why"] == "A lesson learned by Alpha on the template case."
    assert own["evidence"][0] == "lesson-record:alpha/own-linked"
    assert from_lessons["lesson-record-beta-beta-open"]["task"].startswith("2.")
    power = next(i for i in plan["dimensions"]["conceptual"]["items"] if i["id"] == POWER_ITEM)
    assert "lesson-record:alpha/own-linked" in power["evidence"]
    autonomy = next(r for r in plan["risks"] if r["id"] == "risk-autonomy")
    assert "See also the lesson learned “Alpha lesson on the template” (Alpha)." in autonomy["mitigation"]
    assert "lesson-record:alpha/own-linked" in autonomy["evidence"]

    page = await client.get(f"/api/v1/plans/{plan['id']}.html", headers=world.auth("alpha_viewer"))
    assert page.status_code == 200 and "/lessons/alpha/own-linked" in page.text and "beta-hidden" not in page.text


async def test_another_tenant_planning_from_the_same_template_does_not_see_alpha_private_lesson(world, client):
    await add(world, "alpha", "own-linked", "private", title="Hidden alpha lesson", cases=["alpha/alpha-public"],
              msp_steps=[3], dimensions=["conceptual"])
    made = await client.post("/api/v1/plans", json={"template": "alpha/alpha-public", "target": TARGET},
                             headers=world.auth("beta_editor"))
    assert made.status_code == 201, made.text
    assert "own-linked" not in made.text and "Hidden alpha lesson" not in made.text
    assert not [e for e in made.json()["evidence"] if e["kind"] == "lesson-record"]
