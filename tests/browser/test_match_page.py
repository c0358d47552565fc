"""Find comparable in the browser: started from a case, re-ranked by a weight slider without a reload."""

from __future__ import annotations

import pytest

from tests.browser import seed
from tests.browser.conftest import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser
ZENICA_TITLE = "Resetting company-community relations around the Zenica steelworks (ArcelorMittal Zenica)"


def cards(page):
    return page.locator(".match-card")


def ranking(page):
    """Each result's case and score, in order."""
    return cards(page).evaluate_all(
        "els => els.map(e => e.dataset.ref + ' ' + e.querySelector('.score-value').textContent)")


def test_a_weight_slider_re_ranks_the_cases_found_from_a_case(page):
    page.goto("/match?case=library/bosnia-zenica-steelworks")
    assert page.get_by_role("heading", level=1).inner_text() == "Find comparable cases"
    assert page.get_by_label("Title").input_value() == ZENICA_TITLE
    assert page.get_by_label("Country").input_value() == "BA"
    assert cards(page).count() == 10
    first = cards(page).first
    assert first.get_attribute("data-ref") == "library/liberia-concessions-hsbp"
    assert first.locator(".explanation").inner_text().strip() != ""
    assert first.get_by_role("heading", name="Differs on").is_visible()
    assert "%" in first.locator(".contrib-legend").inner_text()
    template = first.get_by_role("link", name="Use as template")
    assert "/plans/new?template=library%2Fliberia-concessions-hsbp&from=" in template.get_attribute("href")
    axe_check(page)
    screenshot(page, "match-1280")

    before = ranking(page)
    page.evaluate("window.__stillHere = true")
    for facet in ("text", "context", "scenarios", "challenges", "sectors"):
        page.locator(f"#w-{facet}").fill("0")
    page.wait_for_function(
        "before => JSON.stringify([...document.querySelectorAll('.match-card')].map("
        "e => e.dataset.ref + ' ' + e.querySelector('.score-value').textContent)) !== JSON.stringify(before)",
        arg=before)
    after = ranking(page)
    assert after != before and len(after) == 10
    assert page.evaluate("window.__stillHere") is True  # no reload
    assert page.locator("#w-text-value").inner_text() == "0"
    page.wait_for_function("location.search.includes('w_text=0')")
    axe_check(page)

    page.get_by_role("button", name="Reset weights").click()
    page.wait_for_function(
        "before => JSON.stringify([...document.querySelectorAll('.match-card')].map("
        "e => e.dataset.ref + ' ' + e.querySelector('.score-value').textContent)) === JSON.stringify(before)",
        arg=before)
    first.get_by_role("link", name="Open case").click()
    page.wait_for_url("**/cases/library/liberia-concessions-hsbp")


def test_phone_width_and_bad_input(new_page, console):
    page = new_page(360, 780)
    page.goto("/match?case=library/bosnia-zenica-steelworks")
    assert cards(page).count() == 10
    axe_check(page)
    screenshot(page, "match-360")
    console.expect(r"status of 400 \(Bad Request\)")  # bad input comes back as a 400 naming the field
    for slider in page.locator("#weights input[type=range]").all():
        slider.fill("0")
    problem = page.locator("#match-results .problem")
    problem.wait_for()
    assert problem.inner_text() == "Weights: at least one weight must be above zero"
    assert cards(page).count() == 0
    page.get_by_role("button", name="Reset weights").click()
    cards(page).first.wait_for()
    page.get_by_label("Title").fill("ab")
    page.get_by_role("button", name="Find comparable cases").click()
    page.wait_for_load_state()
    assert page.locator("#err-title").inner_text().endswith("'ab' is too short")
    assert cards(page).count() == 0
    axe_check(page)


def test_another_organisation_never_sees_a_private_case(new_page):
    title = seed.PRIVATE_CASE[2]
    owner = new_page()
    sign_in(owner, "ana@acme.test")
    owner.goto(f"/match?title={title}&country=CO")
    assert owner.locator(".match-card").first.get_attribute("data-ref") == "acme/acme-private-pilot"
    other = new_page()
    sign_in(other, "bo@beacon.test")
    other.goto(f"/match?title={title}&country=CO")
    assert cards(other).count() > 0
    assert title not in other.locator("#match-results").inner_text()
    assert "acme-private-pilot" not in other.content()


def test_save_a_context_and_start_from_it_here_and_in_the_plan_wizard(new_page):
    page = new_page()
    sign_in(page, "ana@acme.test")
    page.goto("/match")
    page.get_by_label("A case").fill("library/bosnia-zenica-steelworks")
    page.get_by_role("button", name="Fill in from the case").click()
    page.wait_for_url("**/match?case=library*")
    assert page.get_by_label("Title").input_value() == ZENICA_TITLE
    page.get_by_label("Title").fill("Smelter town in the Timok valley")
    page.get_by_label("Country").select_option("RS")
    page.get_by_label("Goals").fill("Clean air and a trusted grievance channel.")
    page.get_by_role("button", name="Find comparable cases").click()
    cards(page).first.wait_for()
    page.get_by_label("Name", exact=True).fill("Timok valley smelter")
    page.get_by_role("button", name="Save this context").click()
    page.wait_for_url("**/match?saved=*")
    page.get_by_text("The context is saved").wait_for()
    assert page.get_by_label("Title").input_value() == "Smelter town in the Timok valley"
    assert page.get_by_label("Goals").input_value() == "Clean air and a trusted grievance channel."
    assert cards(page).count() == 10
    axe_check(page)
    screenshot(page, "match-saved-context")

    page.goto("/match")
    page.get_by_label("A saved context").select_option(label="Timok valley smelter")
    page.get_by_role("button", name="Fill in from the saved context").click()
    page.wait_for_url("**/match?saved=*")
    assert page.get_by_label("Country").input_value() == "RS" and cards(page).count() == 10

    page.goto("/plans/new")
    page.get_by_label("Start from a saved context").select_option(label="Timok valley smelter")
    page.get_by_role("button", name="Fill in the target").click()
    assert page.get_by_label("Title").input_value() == "Smelter town in the Timok valley"
    assert page.get_by_label("Country").input_value() == "RS"
    axe_check(page)

    other = new_page()
    sign_in(other, "bo@beacon.test")
    other.goto("/match")
    assert "Timok" not in other.content()
