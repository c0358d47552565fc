"""Lessons in the browser: known XSS payloads typed into the real form must not run, and the pages pass axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check, screenshot, sign_in
from tests.lesson_fixtures import XSS_BODY

pytestmark = pytest.mark.browser
MEDIATION = "Confidential mediation builds trust, but needs a wider dialogue around it"  # a seed lesson

# Run in the page: anything in the rendered lesson that could execute script.
DANGER = """(root) => {
  const found = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'img', 'svg', 'object', 'embed', 'style', 'math'].includes(tag)) found.push(tag);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || attr.name === 'style' && /expression|url\\(/i.test(attr.value)) {
        found.push(`${tag}[${attr.name}]`);
      }
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href').trim();
    if (!/^(https?:|mailto:|\\/|#)/i.test(href)) found.push(`a[href=${href}]`);
  }
  return found;
}"""

ZENICA = "Resetting company-community relations around the Zenica steelworks"


def start_lesson(page, slug, title, body):
    """Signed in as an acme editor: the new-lesson form filled with the required fields."""
    sign_in(page, "ana@acme.test")
    page.goto("/lessons/new")
    page.get_by_label("Organisation").select_option("acme")
    page.get_by_label("Slug").fill(slug)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Body (Markdown)").fill(body)


def test_xss_payloads_through_the_form_do_not_run(page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    start_lesson(page, "xss-payloads", "Payloads in a lesson", XSS_BODY)
    preview = page.locator(".lesson-preview")
    preview.get_by_role("heading", name="Payloads").wait_for()  # the htmx preview rendered the typed body
    assert page.evaluate(DANGER, preview.element_handle()) == []
    page.get_by_label("Tags").fill("security, test")
    page.get_by_role("checkbox", name="3. Building relationships").check()
    page.get_by_role("checkbox", name="conceptual").check()
    page.get_by_label("Linked cases").fill("library/bosnia-zenica-steelworks")
    axe_check(page)
    page.get_by_role("button", name="Create lesson").click()
    page.wait_for_url("**/lessons/acme/xss-payloads")
    page.wait_for_load_state("networkidle")
    body = page.locator(".lesson-body")
    assert "<script>alert('xss-script')</script>" in body.inner_text()  # shown as text, not run
    assert page.evaluate(DANGER, body.element_handle()) == []
    assert page.evaluate("[...document.scripts].filter(s => /xss/.test(s.textContent + s.src)).length") == 0
    assert page.locator("a[href^='javascript' i], a[href^='data:' i], a[href^='vbscript' i]").count() == 0
    assert body.get_by_role("link", name="https://example.org/ok").get_attribute("rel") == "noopener noreferrer"
    # Linked cases are named by their title.
    assert page.get_by_role("link", name=ZENICA).get_attribute("href") == "/cases/library/bosnia-zenica-steelworks"
    # Click every link text that carried a payload: none of them is a link, so nothing can fire.
    for text in ("md link", "mixed case", "entity", "data link"):
        assert body.get_by_role("link", name=text).count() == 0
    assert dialogs == []
    axe_check(page)
    screenshot(page, "lesson-xss")

    page.get_by_role("link", name="Edit", exact=True).click()
    assert page.get_by_label("Body (Markdown)").input_value() == XSS_BODY.strip()
    page.locator(".lesson-preview").get_by_role("heading", name="Payloads").wait_for()
    assert page.evaluate(DANGER, page.locator(".lesson-preview").element_handle()) == []
    assert dialogs == []


def test_validation_messages_sit_next_to_their_fields(page, console):
    console.expect("status of 400")  # the refused save answers 400 with the form
    start_lesson(page, "Not a slug", "x", "Fine body")
    page.get_by_label("Linked cases").fill("beacon/whatever")
    page.get_by_role("button", name="Create lesson").click()
    assert page.locator("#f-slug-err").is_visible() and page.locator("#f-title-err").is_visible()
    assert "no case you may read" in page.locator("#f-cases-err").inner_text()
    assert page.get_by_label("Body (Markdown)").input_value() == "Fine body"
    axe_check(page)


def test_seed_lessons_list_page_and_case_page_link(page):
    page.goto("/lessons")
    assert page.get_by_role("heading", name="Lessons learned", level=1).is_visible()
    page.get_by_label("Scaling dimension").select_option("conceptual")
    page.get_by_role("button", name="Filter").click()
    link = page.get_by_role("link", name=MEDIATION)
    axe_check(page)
    link.click()
    assert page.get_by_role("link", name=ZENICA).is_visible()
    assert page.locator(".lesson-body strong", has_text="mediation").count() == 1
    axe_check(page)
    page.goto("/cases/library/bosnia-zenica-steelworks")
    linked = page.locator(".linked-lessons-section")
    linked.get_by_role("link", name=MEDIATION).wait_for()
    axe_check(page)


def test_a_private_lesson_stays_inside_its_organisation(new_page, console):
    author = new_page()
    start_lesson(author, "acme-only", "Secret acme lesson", "Only for acme.")
    author.get_by_role("button", name="Create lesson").click()
    author.wait_for_url("**/lessons/acme/acme-only")
    other = new_page()
    sign_in(other, "bo@beacon.test")
    console.expect("Failed to load resource")
    response = other.goto("/lessons/acme/acme-only")
    assert response.status == 404 and "Secret acme lesson" not in other.content()
    other.goto("/lessons")
    assert "Secret acme lesson" not in other.content()
