"""Every main page on a 360 px phone without sideways scrolling, readable MSP step names, and the plain warning
(with its Withdraw button) when an owner asks for private while an approved version is still published."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check, screenshot, sign_in
from tests.browser.seed import RETIRED_CASE

pytestmark = pytest.mark.browser

TENANT, SLUG, TITLE = RETIRED_CASE
CASE = f"/cases/{TENANT}/{SLUG}"
LESSON = "/lessons/library/a-dynamiser-brings-partners-to-the-table"  # a seed lesson
BLOCK = "/cases/library/bosnia-zenica-steelworks/blocks/externally-facilitated-confidential-mediation"
PUBLIC_PAGES = ["/", "/?q=trust", "/lessons", "/lessons?tag=no-such-tag", LESSON,
                "/cases/library/bosnia-zenica-steelworks", BLOCK, "/cases/library/sids-partnership-framework",
                "/compare?cases=library/bosnia-zenica-steelworks,library/nepal-fwld",
                "/match", "/match?case=library/bosnia-zenica-steelworks", "/login"]
ADMIN_PAGES = ["/cases/new", "/cases/acme/acme-edit/edit", "/import", "/plans", "/plans/new", "/lessons/new",
               "/review", "/admin/acme/members", "/admin/acme/tokens", "/admin/acme/audit", "/admin/acme/search", CASE]
WIDTH = "() => document.documentElement.scrollWidth"


def overflowing(page, urls: list[str]) -> dict[str, int]:
    """The pages wider than the 360 px viewport, with their width; a screenshot of each for a look."""
    wide = {}
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if (width := page.evaluate(WIDTH)) > 360:
            wide[url] = width
            screenshot(page, "overflow" + url.replace("/", "_").replace("?", "_"))
    return wide


def test_no_page_scrolls_sideways_on_a_360px_phone(new_page):
    assert overflowing(new_page(width=360, height=800), PUBLIC_PAGES) == {}
    admin = new_page(width=360, height=800)
    sign_in(admin, "ada@acme.test")
    assert overflowing(admin, ADMIN_PAGES) == {}


def test_msp_steps_read_as_numbered_names_not_slugs(new_page):
    page = new_page()
    sign_in(page, "ana@acme.test")
    page.goto("/lessons/new")
    steps = page.get_by_role("group", name="MSP steps")
    assert steps.get_by_role("checkbox", name="2. Agenda setting and scoping").count() == 1
    assert "agenda-setting-and-scoping" not in steps.inner_text()
    page.goto("/lessons")
    assert page.get_by_label("MSP step").locator("option", has_text="2. Agenda setting and scoping").count() == 1
    page.goto(LESSON)
    facts = page.get_by_role("region", name="Where it applies")
    assert "1. Getting started" in facts.inner_text() and "getting-started" not in facts.inner_text()


def test_private_but_still_published_says_so_and_the_admin_withdraws_it(new_page, console):
    reader, editor, admin = new_page(), new_page(), new_page()
    assert reader.goto(CASE).status == 200  # the public snapshot stays readable after the owner asked private
    sign_in(editor, "ana@acme.test")
    editor.goto(CASE)
    warning = editor.locator("#still-published")
    assert "Version 1 is still published" in warning.inner_text()
    assert "Ask an admin of" in warning.inner_text()  # an editor may not withdraw
    assert editor.get_by_role("button", name="Withdraw").count() == 0
    editor.goto(f"{CASE}/edit")
    assert "does not unpublish it" in editor.locator("#visibility-published-note").inner_text()

    sign_in(admin, "ada@acme.test")
    admin.goto(CASE)
    assert "Withdraw" in admin.locator("#still-published").inner_text()
    screenshot(admin, "case-private-still-published", full_page=False)
    axe_check(admin)
    admin.get_by_role("button", name="Withdraw").click()
    admin.wait_for_load_state()
    assert admin.locator("#publication-state").inner_text() == "Withdrawn"
    assert admin.locator("#still-published").count() == 0
    console.expect("status of 404")
    assert reader.goto(CASE).status == 404  # withdrawn: private for real


def test_review_page_puts_the_decision_first_and_only_links_what_the_reviewer_can_open(new_page):
    author, reviewer = new_page(), new_page()
    sign_in(author, "ana@acme.test")
    author.goto("/lessons/new")
    author.get_by_label("Organisation").select_option("acme")
    author.get_by_label("Slug").fill("layout-review-lesson")
    author.get_by_label("Visibility").select_option("network")
    author.get_by_label("Title").fill("A lesson for the layout review")
    author.get_by_label("Body (Markdown)").fill("Meet **early**, meet often.")
    author.get_by_role("checkbox", name="1. Getting started").check()
    author.get_by_role("button", name="Create lesson").click()
    author.get_by_role("button", name="Submit for review").click()
    author.wait_for_load_state()

    sign_in(reviewer, "nia@alliance.test")
    reviewer.goto("/review")
    row = reviewer.get_by_role("row").filter(has_text="A lesson for the layout review")
    title = row.get_by_role("link", name="A lesson for the layout review", exact=True)
    assert title.count() == 0  # its own page opens for the network only once approved: no dead link
    row.get_by_role("link", name="Review changes").click()
    reviewer.set_viewport_size({"width": 360, "height": 800})
    decision = reviewer.get_by_role("region", name="Your decision")
    assert decision.get_by_role("button", name="Approve v1").is_visible()  # no scrolling past the whole record
    assert reviewer.evaluate(WIDTH) <= 360
    screenshot(reviewer, "review-record-360", full_page=False)
    axe_check(reviewer)
    decision.get_by_role("button", name="Approve v1").click()
    reviewer.wait_for_url("**/review")


FOCUSED = """() => { const el = document.activeElement; const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return [el.id || el.textContent.trim().slice(0, 30), outlined]; }"""


def test_the_lesson_editor_is_keyboard_usable_in_reading_order_with_a_visible_focus(new_page):
    page = new_page()
    sign_in(page, "ana@acme.test")
    page.goto("/lessons/new")
    seen = []
    for _ in range(24):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    assert seen[0][0] == "Skip to content"
    assert all(visible for _, visible in seen), [name for name, visible in seen if not visible]
    order = [name for name, _ in seen]
    fields = ["f-tenant", "f-slug", "f-visibility", "f-title", "f-body"]
    assert all(f in order for f in fields), order
    assert [order.index(f) for f in fields] == sorted(order.index(f) for f in fields)


def test_a_block_page_reads_as_a_page_of_its_own_and_passes_axe(new_page):
    page = new_page()
    page.goto("/cases/library/bosnia-zenica-steelworks")
    page.get_by_role("link", name="Externally facilitated confidential mediation").click()
    assert page.url.endswith(BLOCK)
    assert page.get_by_role("heading", level=1).inner_text() == "Externally facilitated confidential mediation"
    steps = page.get_by_role("region", name="MSP steps").inner_text()
    assert "3. Building relationships" in steps and "building-relationships" not in steps
    axe_check(page)
    screenshot(page, "block-page")
