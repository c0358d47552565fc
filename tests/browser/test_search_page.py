"""The library search in the browser: results as you type, facets, chips and the URL, on a wide and a phone screen."""

from __future__ import annotations

import re

import pytest

from tests.browser import seed
from tests.browser.conftest import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser
LIBERIA = "Human Security Business Partnerships to break the impasse around natural resource concessions in Liberia"


def result_titles(page) -> list[str]:
    return page.locator(".results .card h2").all_inner_texts()


def test_typing_filters_without_a_reload_and_chips_follow_the_url(page):
    page.goto("/")
    page.locator(".results .card").first.wait_for()  # the index is filled in the background after start-up
    page.evaluate("window.__same_page = true")
    page.get_by_label("Search cases, lessons and building blocks").press_sequentially("mistrust mining", delay=20)
    page.wait_for_url(re.compile(r"/\?q=mistrust\+mining$"))
    page.locator(".results .card h2", has_text="Liberia").wait_for()
    assert LIBERIA in result_titles(page)
    assert page.locator("#result-count").inner_text().endswith("match “mistrust mining”")
    assert page.locator(".results .card", has_text="Liberia").locator("mark").count() > 0  # highlighted snippets
    assert page.evaluate("window.__same_page") is True  # no page load happened

    before = page.locator(".results .card").count()
    page.get_by_role("group", name="Country").get_by_label(re.compile("^Liberia")).check()
    chip = page.get_by_role("link", name="Remove filter Country: Liberia")
    chip.wait_for()
    page.wait_for_url(re.compile(r"/\?q=mistrust\+mining&country=LR$"))
    assert result_titles(page) == [LIBERIA] and before > 1
    assert page.get_by_role("group", name="Country").get_by_label(re.compile("^Liberia")).is_checked()
    axe_check(page)
    screenshot(page, "search-filtered")

    chip.click()
    page.wait_for_url(re.compile(r"/\?q=mistrust\+mining$"))
    page.get_by_role("link", name="Remove filter Country: Liberia").wait_for(state="detached")
    assert page.locator(".results .card").count() == before
    assert page.evaluate("window.__same_page") is True

    page.go_back()
    page.wait_for_url(re.compile(r"country=LR"))


def test_a_shared_url_opens_the_same_search_without_javascript_state(page):
    page.goto("/?q=mistrust&sdg=16&sort=date")
    assert page.get_by_label("Search cases, lessons and building blocks").input_value() == "mistrust"
    assert page.get_by_label("Sort by").input_value() == "date"
    page.get_by_role("link", name=re.compile("Remove filter Sustainable Development Goal: SDG 16")).wait_for()
    assert LIBERIA in result_titles(page)


def test_bad_input_is_explained_on_the_page(page):
    page.goto("/?country=XX&q=mistrust")
    assert "country: 'XX' is not an ISO 3166-1 alpha-2 country code" in page.get_by_role("alert").inner_text()
    assert LIBERIA in result_titles(page)


def test_another_organisations_private_case_is_not_found(page):
    sign_in(page, "bo@beacon.test")
    page.goto("/?q=secret+acme+pilot")
    assert "Secret Acme pilot" not in page.content()
    _, slug, title = seed.PRIVATE_CASE
    sign_in(page, "ana@acme.test")
    page.goto("/?q=secret+acme+pilot")
    page.locator(".results .card h2", has_text=title).wait_for()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_library_looks_right(new_page, width):
    page = new_page(width=width, height=900)
    page.goto("/?q=water")
    page.locator(".results .card").first.wait_for()
    panel = page.locator("details.facet-panel")
    assert panel.evaluate("d => d.open") is (width > 820)  # folded on phones, open on wide screens
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows sideways
    axe_check(page)
    screenshot(page, f"search-{width}", full_page=False)
    if width < 820:
        page.locator(".facet-panel > summary").click()
        assert panel.evaluate("d => d.open") is True
        page.get_by_role("group", name="Status").get_by_label(re.compile("^Proposed")).check()
        page.wait_for_url(re.compile(r"status=proposed"))
        assert panel.evaluate("d => d.open") is True  # the swap keeps the reader's choice
        screenshot(page, f"search-{width}-filters", full_page=False)


def test_lessons_show_with_a_badge_and_a_kind_facet(page):
    page.goto("/?q=bilateral+dynamic")
    lesson = page.locator(".results .card-lesson").first
    lesson.wait_for()
    assert lesson.locator(".lesson-badge").text_content() == "Lesson"
    assert lesson.locator("mark").count() > 0
    href = lesson.locator("a.card-link").get_attribute("href")
    assert href == "/lessons/library/break-the-bilateral-dynamic"
    page.get_by_role("group", name="Kind").get_by_label(re.compile("^Lesson")).check()
    page.wait_for_url(re.compile(r"kind=lesson"))
    page.get_by_role("link", name="Remove filter Kind: Lesson").wait_for()
    cards = page.locator(".results .card")
    assert cards.count() == page.locator(".results .card-lesson").count() > 0
    assert page.locator("#result-count").inner_text().startswith(f"{cards.count()} lesson")
    axe_check(page)
    screenshot(page, "search-lessons")
    page.locator(f'.results a.card-link[href="{href}"]').click()
    page.wait_for_url(re.compile(href + "$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bring communities into")
