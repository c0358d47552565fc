"""Publishing walked as users: an editor submits, the network admin approves from /review, another member of
the network reads it, and a later edit stays a draft while that member keeps reading the published one."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check, screenshot, sign_in
from tests.browser.seed import SHARED_CASE

pytestmark = pytest.mark.browser

TENANT, SLUG, TITLE = SHARED_CASE
CASE = f"/cases/{TENANT}/{SLUG}"


def test_submit_approve_read_and_edit_again(new_page, console):
    editor, reviewer, member = new_page(), new_page(), new_page()  # separate contexts: separate users
    sign_in(editor, "ana@acme.test")
    sign_in(reviewer, "nia@alliance.test")
    sign_in(member, "cy@cedar.test")
    console.expect("status of 404")
    assert member.goto(CASE).status == 404  # a draft: nobody outside acme knows it

    editor.goto(CASE)
    assert editor.locator("#publication-state").inner_text() == "Draft"
    axe_check(editor)
    editor.get_by_role("button", name="Submit for review").click()
    editor.wait_for_url(f"**{CASE}")
    assert editor.locator("#publication-state").inner_text() == "In review"
    assert editor.get_by_role("button", name="Approve").count() == 0  # an editor does not approve

    reviewer.goto("/")
    reviewer.get_by_role("link", name="Review", exact=True).click()
    reviewer.wait_for_url("**/review")
    axe_check(reviewer)
    reviewer.get_by_role("link", name=f"Review changes of {TITLE}").click()
    reviewer.wait_for_url(f"**/review/case/{TENANT}/{SLUG}")
    assert reviewer.get_by_role("heading", name="Everything is new").count() == 1
    axe_check(reviewer)
    screenshot(reviewer, "review-record")
    reviewer.get_by_role("button", name="Approve v1").click()
    reviewer.wait_for_url("**/review")
    assert reviewer.locator("#queue-empty").count() == 1

    member.goto(CASE)
    assert member.get_by_role("heading", level=1).inner_text() == TITLE
    assert member.locator("#publishing").count() == 0

    editor.goto(f"{CASE}/edit")
    editor.get_by_role("group", name="The case").get_by_label("Title").fill(f"{TITLE}, revised")
    editor.get_by_role("button", name="Save changes").click()
    editor.wait_for_url(f"**{CASE}")
    assert editor.locator("#publication-state").inner_text() == "Draft"
    assert "published v1 (network), your changes in v2 not yet reviewed" in editor.locator(
        "#publication-summary").inner_text()
    axe_check(editor)
    screenshot(editor, "case-publishing")

    member.goto(CASE)
    assert member.get_by_role("heading", level=1).inner_text() == TITLE  # still the published revision
