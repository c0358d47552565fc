"""The plan wizard in the browser: generate from the Bosnia template, tabs, ticks, inline edits, PDF download,
delete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import DEMO_PASSWORD, axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser
TEMPLATE = "library/bosnia-zenica-steelworks"


def test_generate_tick_edit_and_download_a_plan(new_page):
    page = new_page()
    sign_in(page, "demo@casebook.local", DEMO_PASSWORD)
    page.get_by_role("link", name="Plans", exact=True).click()
    page.wait_for_url("**/plans")
    page.get_by_role("link", name="New plan", exact=True).click()
    page.wait_for_url("**/plans/new")
    page.get_by_label("Template case").fill(TEMPLATE)
    page.get_by_label("Title").fill("Copper smelter town in eastern Serbia")
    page.get_by_label("Country").fill("RS")
    page.get_by_label("Trust").select_option("medium")
    page.get_by_label("Population groups").fill("workers, residents, roma")
    page.get_by_label("Goals").fill("Cut air pollution and rebuild trust between the smelter and the town.")
    axe_check(page)
    screenshot(page, "plan-wizard")
    page.get_by_role("button", name="Generate plan").click()
    page.wait_for_url(re.compile(r".*/plans/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Copper smelter town in eastern Serbia: replicating “Resetting company-community relations around the "
        "Zenica steelworks”")
    assert page.get_by_role("heading", name="Before you use this plan").is_visible()

    views = page.get_by_role("tablist", name="Plan views").get_by_role("tab")
    assert views.all_inner_texts() == ["First-meeting brief", "Full plan"]
    # The page opens on the brief, the page a partner takes into the first meeting.
    assert page.get_by_role("tablist", name="Plan views").get_by_role("tab", selected=True).inner_text() == (
        "First-meeting brief")
    assert page.get_by_role("heading", name="Who to invite").is_visible()
    views.nth(0).click()
    assert page.get_by_role("heading", name="Who to invite").is_visible()
    assert not page.locator("#workplan").is_visible()
    views.nth(1).click()
    # The long sections fold (native details): the first is open, the others open from their summary.
    sections = page.locator("#full-plan details.section")
    assert sections.count() == 9
    assert [sections.nth(i).evaluate("d => d.open") for i in range(9)] == [True] + [False] * 8
    assert page.locator("#goals").get_by_role("heading", name="Your goals and what the library offers").is_visible()
    assert not page.locator("#risks table").is_visible()
    page.locator("#adaptation > details > summary").click()
    page.locator("#workplan > details > summary").click()
    tabs = page.get_by_role("tablist", name="Scaling dimensions").get_by_role("tab")
    assert tabs.all_inner_texts() == [re.sub(r"\s+", " ", t) for t in tabs.all_inner_texts()]
    assert [t.split()[0] for t in tabs.all_inner_texts()] == ["Social", "Physical", "Political", "Conceptual"]
    tabs.nth(0).click()
    tabs.nth(0).press("ArrowRight")
    assert page.get_by_role("tablist", name="Scaling dimensions").get_by_role("tab", selected=True).inner_text(
    ).startswith("Physical")
    assert page.locator("#dim-physical").is_visible() and not page.locator("#dim-social").is_visible()
    assert page.locator("details.step").count() == 12

    page.get_by_label("1.1", exact=False).first.check()
    page.get_by_text("Marked as done; saved.").wait_for()
    page.locator("#task-owner-task-1\\.1").select_option("to be agreed")
    page.get_by_text("Owner saved: To be agreed.", exact=False).wait_for()
    page.locator("#task-when-task-1\\.1").select_option("first quarter")
    page.get_by_text("Timing saved: First quarter.", exact=False).wait_for()
    line = page.locator("#workplan li.line").first
    line_id = line.get_attribute("id")
    line.locator("summary").click()
    line.get_by_label("Text of this line").fill("Start with a joint air-quality walk with the town council.")
    line.get_by_role("button", name="Save text").click()
    page.get_by_text("Text saved.").wait_for()
    axe_check(page)
    page.reload()
    assert page.locator("#done-task-1\\.1").is_checked()
    assert page.locator("#task-owner-task-1\\.1").input_value() == "to be agreed"
    assert page.locator("#task-when-task-1\\.1").input_value() == "first quarter"
    assert page.locator(f"#{line_id} .line-text").inner_text() == (
        "Start with a joint air-quality walk with the town council.")
    assert page.locator("[data-progress-count]").inner_text() == "1 of 32"

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    page.get_by_text(re.compile(r"PDF ready \(\d+ KB\)")).wait_for()
    screenshot(page, "plan-page")
    screenshot(page, "plan-page-top", full_page=False)

    phone = new_page(width=360, height=780)
    sign_in(phone, "demo@casebook.local", DEMO_PASSWORD)
    phone.goto(page.url)
    axe_check(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "plan-page-360", full_page=False)
    # On a phone the full plan is a list of folded sections one can navigate, not one page tens of screens long;
    # a link of the contents opens the section it points to.
    phone.get_by_role("tab", name="Full plan").click()
    folded = phone.evaluate("document.getElementById('full-plan').scrollHeight")
    assert folded < 12 * 780, folded
    assert not phone.locator("#risks table").is_visible()
    phone.locator(".plan-toc").get_by_role("link", name="Risks").click()
    assert phone.locator("#risks > details").evaluate("d => d.open")
    assert phone.locator("#risks table").is_visible()
    screenshot(phone, "plan-page-360-full", full_page=False)
    phone.goto("/plans")
    assert phone.get_by_role("link", name=re.compile("Copper smelter town")).count() == 1
    screenshot(phone, "plans-list-360")

    page.get_by_text("Delete plan…").click()
    page.get_by_role("button", name="Yes, delete the plan").click()
    page.wait_for_url("**/plans?said=deleted")
    page.get_by_text("The plan and its history were deleted.").wait_for()
    assert page.get_by_role("link", name=re.compile("Copper smelter town")).count() == 0
    axe_check(page)
