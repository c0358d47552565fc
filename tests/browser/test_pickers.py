"""Case pickers in the browser (compare, plan wizard, find comparable): type, choose with the keyboard, submit;
the plain-field fallback without JavaScript; "add to compare" from results and case pages; search + Enter with
no console error (the fixture fails a test on any console error)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser
ZENICA = "library/bosnia-zenica-steelworks"
ZENICA_TITLE = "Resetting company-community relations around the Zenica steelworks (ArcelorMittal Zenica)"
LIBERIA = "library/liberia-concessions-hsbp"


def choose_with_keyboard(page, label: str, text: str, wanted: str) -> None:
    """Types into the picker, waits for the listbox to offer `wanted`, moves to it with the arrow keys, Enter."""
    field = page.get_by_role("combobox", name=label)
    field.press_sequentially(text, delay=30)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    option = listbox.get_by_role("option", name=re.compile(re.escape(wanted)))
    option.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option").all_inner_texts()
    index = next(i for i, t in enumerate(options) if wanted in t)
    for _ in range(index + 1):
        field.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    field.press("Enter")
    assert field.get_attribute("aria-expanded") == "false"


def test_compare_picker_offers_zenica_and_the_keyboard_adds_it(page):
    page.goto(f"/compare?cases={LIBERIA}")
    choose_with_keyboard(page, "Add a case", "zenica", "Zenica steelworks")
    field = page.get_by_role("combobox", name="Add a case")
    assert field.input_value() == ZENICA
    assert page.locator(".picker-chosen").inner_text() == f"Chosen: {ZENICA_TITLE}"
    field.press("Enter")  # the listbox is closed: Enter submits the form
    page.wait_for_url(re.compile(r"/compare\?cases=library%2Fliberia-concessions-hsbp&add=library%2Fbosnia"))
    heads = page.locator("table.compare thead th a").all_inner_texts()
    assert heads[1] == ZENICA_TITLE and "Liberia" in heads[0]


def test_escape_closes_the_list_and_badges_show_the_evidence(page, new_page):
    page.goto("/compare")
    field = page.get_by_role("combobox", name="Add a case")
    field.press_sequentially("liberia", delay=30)
    option = page.get_by_role("option", name=re.compile("natural resource concessions in Liberia"))
    option.wait_for()
    assert "Evidence: Documented" in option.inner_text().replace("\n", " ")
    axe_check(page)
    screenshot(page, "picker-open-1280")
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false" and page.locator(".picker-list").is_hidden()
    field.press("Escape")  # closed: Escape clears the field
    assert field.input_value() == ""
    phone = new_page(360, 800)
    phone.goto("/compare")
    phone.get_by_role("combobox", name="Add a case").press_sequentially("colombia", delay=30)
    phone.get_by_role("option", name=re.compile("Antioquia")).wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "picker-open-360")


def test_plan_wizard_picker_chooses_by_keyboard_and_the_plan_is_made(page):
    sign_in(page, "ana@acme.test")
    page.goto("/plans/new")
    choose_with_keyboard(page, "Template case", "zenica", "Zenica steelworks")
    assert page.get_by_role("combobox", name="Template case").input_value() == ZENICA
    assert page.locator("#f-template-lacks").is_hidden()  # the Zenica case has building blocks
    page.get_by_label("Title").fill("Steel town in Serbia")
    page.get_by_label("Country").fill("RS")
    page.get_by_role("button", name="Generate plan").click()
    page.wait_for_url(re.compile(r"/plans/\d+$"))
    assert "Zenica" in page.locator("h1").inner_text()


def test_find_comparable_starts_from_a_picked_case(page):
    page.goto("/match")
    choose_with_keyboard(page, "A case", "liberia", "Liberia")
    page.get_by_role("button", name="Fill in from the case").click()
    page.wait_for_url(re.compile(r"/match\?case=library%2Fliberia-concessions-hsbp"))
    assert "Started from" in page.locator(".lead").inner_text()
    page.locator(".match-card").first.wait_for()
    assert page.locator(".match-card .card-badges").first.inner_text().startswith("Evidence:")


def test_without_javascript_the_pickers_resolve_typed_text(browser, server):
    server.wait_ready()
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email").fill("ana@acme.test")
        page.get_by_label("Password").fill("browser-test-password")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/plans/new")
        page.get_by_label("Template case").fill("bosnia")  # the field's own example, now accepted
        page.get_by_label("Title").fill("Steel town in Serbia")
        page.get_by_label("Country").fill("RS")
        page.get_by_role("button", name="Generate plan").click()
        page.wait_for_url(re.compile(r"/plans/\d+$"))
        assert "Zenica" in page.locator("h1").inner_text()
        page.goto("/compare")
        page.get_by_role("textbox", name="Add a case").fill("india")
        page.get_by_role("button", name="Add to comparison").click()
        problem = page.locator(".picker-problem")
        assert re.match(r"“india” matches \d+ cases: choose one, or type more of its title", problem.inner_text())
        problem.get_by_role("link", name=re.compile("Pulse Polio")).click()
        page.wait_for_url(re.compile(r"/compare\?cases=library/india-pulse-polio"))
    finally:
        context.close()


def test_add_to_compare_from_results_and_a_case_page(page):
    page.goto("/?q=zenica")
    card = page.locator(".results .card", has_text="Zenica steelworks")
    card.wait_for()
    card.get_by_role("link", name=re.compile("^Add to compare")).click()
    basket = page.get_by_role("complementary", name="Cases to compare")
    basket.wait_for()
    assert "1 of 3 chosen to compare" in basket.inner_text()
    assert card.locator(".add-compare").inner_text().startswith("✓ In compare")
    page.goto(f"/cases/{LIBERIA}")
    page.get_by_role("link", name=re.compile("^Add to compare")).click()
    basket.get_by_role("link", name="Compare 2 cases").click()
    page.wait_for_url(re.compile(r"/compare\?cases="))
    assert page.locator("table.compare thead th a").all_inner_texts()[0] == ZENICA_TITLE
    assert len(page.locator("table.compare thead th a").all_inner_texts()) == 2
    assert page.get_by_role("complementary", name="Cases to compare").is_hidden()  # the page is the basket here
    screenshot(page, "compare-1280")


@pytest.mark.parametrize("delay", [0, 120, 400])
def test_search_then_enter_logs_no_console_error(page, delay):
    page.goto("/")
    page.locator(".results .card").first.wait_for()
    box = page.get_by_label("Search cases, lessons and building blocks")
    box.press_sequentially("mistrust mining", delay=delay)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=mistrust\+mining"))
    page.locator("#result-count", has_text="match “mistrust mining”").wait_for()
    page.wait_for_timeout(700)  # any request still pending (typed, then Enter) has ended by now
    assert page.locator(".results .card").count() > 0
