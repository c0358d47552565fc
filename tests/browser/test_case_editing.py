"""The case page, its history, the editor (validation, conflicts) and YAML import, walked as a user."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser

LIBRARY_CASE = "/cases/library/bosnia-zenica-steelworks"


def the_case(page):
    """The editor's first section (titles also appear in sources and building blocks)."""
    return page.get_by_role("group", name="The case")


def test_case_page_offers_the_next_steps(page):
    page.goto(LIBRARY_CASE)
    actions = page.get_by_role("navigation", name="Case actions")
    assert actions.get_by_role("link", name="Find comparable cases").get_attribute("href") == (
        "/match?case=library/bosnia-zenica-steelworks")
    assert actions.get_by_role("link", name="Use as template").get_attribute("href") == (
        "/plans/new?template=library/bosnia-zenica-steelworks")
    assert actions.get_by_role("link", name="Edit", exact=True).count() == 0  # anonymous
    assert page.locator(".revisions li").first.inner_text().startswith("v1\nimport")
    axe_check(page)
    screenshot(page, "case")


def test_case_page_on_a_phone(new_page):
    page = new_page(width=360, height=740)
    page.goto(LIBRARY_CASE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "case-360")
    axe_check(page)


def test_edit_save_and_see_the_difference(page):
    sign_in(page, "ana@acme.test")
    page.goto("/cases/acme/acme-edit")
    page.get_by_role("link", name="Edit", exact=True).click()
    the_case(page).get_by_label("Title").fill("Editable acme-edit, renamed")
    page.get_by_label("Sectors").fill("mining, water")
    page.get_by_role("checkbox", name="health").check()
    partners = page.locator("#group-partners")
    partners.get_by_role("button", name="+ Add partner").click()
    row = partners.locator("[data-row]").nth(2)
    assert row.get_by_label("Name").evaluate("el => el === document.activeElement")
    row.get_by_label("Name").fill("Water Board")
    row.get_by_label("Type").select_option("government-local")
    row.get_by_label("Roles").fill("regulator")
    partners.locator("[data-row]").nth(0).get_by_role("button", name="Remove partner").click()
    axe_check(page)
    screenshot(page, "editor")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/cases/acme/acme-edit")
    assert page.get_by_role("heading", level=1).inner_text() == "Editable acme-edit, renamed"
    rows = page.locator("#partners-h + .table-scroll tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == [
        "Community Council", "Water Board"]
    page.get_by_role("link", name="What changed in version 2").click()
    assert page.locator("tr.diff-changed", has_text="title").locator("del").inner_text() == "Editable acme-edit"
    assert page.locator("tr.diff-changed", has_text="title").locator("ins").inner_text() == (
        "Editable acme-edit, renamed")
    sectors = page.locator("tr", has=page.locator("code", has_text="sectors"))
    assert sectors.locator("ins").inner_text() == "water"
    assert page.locator("tr.diff-removed", has_text="partners[Mining Co]").count() == 1  # by identity
    assert page.locator("tr.diff-added", has_text="partners[Water Board]").locator("ins").inner_text().startswith(
        "name: Water Board; type: government-local; roles: regulator")
    axe_check(page)
    screenshot(page, "history")


def test_validation_messages_sit_next_to_their_fields(page, console):
    console.expect("status of 400")
    sign_in(page, "ana@acme.test")
    page.goto("/cases/new")
    page.get_by_label("Organisation (required)").select_option("acme")
    page.get_by_label("Slug").fill("Bad Slug")
    the_case(page).get_by_label("Title").fill("A new partnership")
    page.get_by_label("Start year").fill("2021")
    page.get_by_label("End year").fill("2019")
    page.locator("#group-partners [data-row]").first.get_by_label("Name").fill("Nameless type")
    page.get_by_role("button", name="Create case").click()
    assert page.get_by_role("alert").first.inner_text().startswith("The case was not saved.")
    slug = page.get_by_label("Slug")
    assert slug.get_attribute("aria-invalid") == "true"
    assert page.locator("#f-slug-err").inner_text() == "'Bad Slug' has the wrong form"
    assert page.locator("#f-period-end-err").inner_text() == "period.end is before period.start"
    assert page.locator("#f-summary-err").inner_text() == "'summary' is required"
    assert page.locator("#f-partners-0-type-err").inner_text() == "'type' is required"
    assert page.locator("#group-sources > .field-error").inner_text() == "'sources' is required"
    assert the_case(page).get_by_label("Title").input_value() == "A new partnership"  # the input is kept
    axe_check(page)
    screenshot(page, "editor-errors")


def test_create_a_case_through_the_form(page):
    sign_in(page, "ana@acme.test")
    page.goto("/cases/new")
    page.get_by_label("Organisation (required)").select_option("acme")
    page.get_by_label("Slug").fill("acme-new-form")
    the_case(page).get_by_label("Title").fill("Water kiosks run by a village committee")
    page.get_by_label("Country", exact=True).fill("ke")
    page.get_by_label("Status").select_option("proposed")
    page.get_by_label("Summary").fill("A utility, a county and a village committee share the running of kiosks.")
    page.get_by_label("SDGs").fill("6, 16.7")
    lessons = page.locator("#group-lessons")
    lessons.get_by_role("button", name="+ Add lesson").click()
    lessons.get_by_label("Lesson").fill("Agree the tariff before building.")
    partner = page.locator("#group-partners [data-row]").first
    partner.get_by_label("Name").fill("County Water")
    partner.get_by_label("Type").select_option("government-subnational")
    source = page.locator("#group-sources [data-row]").first
    source.get_by_label("Title").fill("Field notes")
    source.get_by_label("Locator").fill("p. 4")
    source.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Create case").click()
    page.wait_for_url("**/cases/acme/acme-new-form")
    assert page.locator(".case-meta").inner_text().startswith("KE")
    assert page.locator(".lessons li").all_inner_texts() == ["Agree the tariff before building."]
    assert page.locator(".sources li").inner_text() == "Field notes (2024) — p. 4"


def test_a_conflict_shows_both_versions_and_reapplies_mine(new_page, console):
    console.expect("status of 409")
    first, second = new_page(), new_page()
    for page in (first, second):
        sign_in(page, "ana@acme.test")
        page.goto("/cases/acme/acme-conflict/edit")
    first.get_by_label("Locality").fill("Their town")
    first.get_by_role("button", name="Save changes").click()
    first.wait_for_url("**/cases/acme/acme-conflict")

    the_case(second).get_by_label("Title").fill("My better title")
    second.get_by_role("button", name="Save changes").click()
    panel = second.locator("section.conflict")
    assert panel.get_by_role("heading").inner_text() == "Someone else saved this case first"
    rows = panel.locator("tbody tr")
    cells = {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").all_inner_texts()
             for i in range(rows.count())}
    assert cells == {"title": ["Editable acme-conflict", "My better title"],
                     "locality": ["Their town", "Test locality"]}
    assert the_case(second).get_by_label("Title").input_value() == "My better title"
    axe_check(second)
    screenshot(second, "conflict")
    second.get_by_label("Locality").fill("Their town")  # keep their change, re-apply mine
    second.locator("section.conflict").get_by_role("button", name="Save my version over theirs").click()
    second.wait_for_url("**/cases/acme/acme-conflict")
    assert second.get_by_role("heading", level=1).inner_text() == "My better title"
    assert "Their town" in second.locator(".case-meta").inner_text()
    assert "version 3" in second.locator(".case-meta").inner_text()


BAD_YAML = b"""slug: upload-bad
title: Uploaded with mistakes
country: XX
status: finished
summary: A summary.
sources:
  - title: A source
"""


def good_yaml(slug: str) -> bytes:
    return f"""slug: {slug}
title: Uploaded case {slug}
country: PE
status: active
summary: Two mining towns and a regional government agree on a water fund.
sources:
  - {{title: Annual report, year: 2022, locator: "p. 3"}}
""".encode()


def test_import_reports_problems_per_file_and_field(page, console):
    console.expect("status of 400")
    sign_in(page, "ana@acme.test")
    page.goto("/import")
    axe_check(page)
    page.get_by_label("Case files (.yaml)").set_input_files([
        {"name": "good.yaml", "mimeType": "application/yaml", "buffer": good_yaml("upload-good")},
        {"name": "bad.yaml", "mimeType": "application/yaml", "buffer": BAD_YAML},
    ])
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("alert").inner_text().startswith("Nothing was imported.")
    bad = page.locator(".file-result", has_text="bad.yaml")
    rows = [r.split("\t") for r in bad.locator("tbody tr").all_inner_texts()]
    assert rows == [["3", "country", "unknown country code 'XX' (ISO 3166-1 alpha-2 expected)"],
                    ["4", "status", "'finished' is not one of: proposed, active, completed, scaled, terminated"],
                    ["7", "sources[0]", "'locator' is required"]]
    assert page.locator(".file-result", has_text="good.yaml").locator(".tag").inner_text() == "valid"
    screenshot(page, "import-errors")
    page.goto("/cases/acme/upload-good")  # all or nothing: the good file was not saved either
    console.expect("status of 404")
    assert page.get_by_role("heading", level=1).inner_text() == "Not found"

    page.goto("/import")
    page.get_by_label("Case files (.yaml)").set_input_files([
        {"name": "one.yaml", "mimeType": "application/yaml", "buffer": good_yaml("upload-one")},
        {"name": "two.yaml", "mimeType": "application/yaml", "buffer": good_yaml("upload-two")},
    ])
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("status").first.inner_text().startswith(
        "Imported 2 files: 2 created, 0 updated, 0 unchanged.")
    page.get_by_role("link", name="acme/upload-two").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uploaded case upload-two"
