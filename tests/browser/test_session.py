"""Sign in and sign out in the browser, with the errors a user meets."""

from __future__ import annotations

import pytest

from tests.browser import seed
from tests.browser.conftest import DEMO_PASSWORD, axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_and_out_as_the_demo_user(page):
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    axe_check(page)
    screenshot(page, "login")
    sign_in(page, "demo@casebook.local", DEMO_PASSWORD)
    assert page.url.endswith("/")
    assert page.locator(".who").inner_text() == "Demo User · demo"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="Sign in").is_visible()
    assert page.locator(".who").count() == 0


def test_wrong_password_says_so_and_keeps_the_email(page, console):
    console.expect("status of 401")
    sign_in(page, "ana@acme.test", "not the password")
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "The email or password is wrong. Check both and try again."
    assert page.get_by_label("Email").input_value() == "ana@acme.test"
    assert page.get_by_label("Password").input_value() == ""
    axe_check(page)
    screenshot(page, "login-error")


def test_too_many_failures_are_rate_limited(page, console):
    console.expect("status of 40[19]|status of 429")
    for _ in range(5):
        sign_in(page, "locked@acme.test", "wrong password")
    sign_in(page, "locked@acme.test", seed.PASSWORD)
    assert page.get_by_role("alert").inner_text() == (
        "Sign-in is paused after too many failed sign-ins for this account. "
        "Wait a few minutes (the pause grows with each failure, up to 15 minutes), then try again.")


def test_sign_in_returns_to_the_page_asked_for(page):
    page.goto("/login?next=/cases/library/bosnia-zenica-steelworks")
    page.get_by_label("Email").fill("ana@acme.test")
    page.get_by_label("Password").fill(seed.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cases/library/bosnia-zenica-steelworks")
