"""Organisation admin (tokens, members, invitations, audit), compare, and tenant isolation, in the browser."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser import seed
from tests.browser.conftest import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_admin_creates_a_token_that_is_shown_once_and_works(page, server):
    sign_in(page, "ada@acme.test")
    page.get_by_role("link", name="Organisation").click()
    page.wait_for_url("**/admin/acme/members")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("nightly export")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("New API token").input_value()
    assert re.fullmatch(r"cbk_[A-Za-z0-9_-]{43}", secret)
    axe_check(page)
    screenshot(page, "admin-tokens")
    me = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["email"] == "ada@acme.test"
    page.goto("/admin/acme/tokens")  # shown once: never again
    assert secret not in page.content()
    row = page.locator("tr", has_text="nightly export")
    assert row.locator("code").inner_text() == secret[:10] + "…"
    row.get_by_role("button", name="Revoke").click()
    assert page.locator("tr", has_text="nightly export").locator(".tag").inner_text() == "revoked"
    assert httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    page.get_by_role("link", name="Audit log").click()
    actions = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert actions[:2] == ["token.revoke", "token.create"]
    axe_check(page)
    screenshot(page, "admin-audit")


def test_invitation_link_lets_a_new_person_join_with_the_role(new_page):
    admin = new_page()
    sign_in(admin, "ada@acme.test")
    admin.goto("/admin/acme/members")
    admin.get_by_label("Email (optional)").fill("newcomer@acme.test")
    admin.get_by_label("Role", exact=True).select_option("editor")
    admin.get_by_role("button", name="Create invitation link").click()
    link = admin.get_by_label("Invitation link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/join/inv_[A-Za-z0-9_-]{32}", link)
    axe_check(admin)
    screenshot(admin, "admin-members")

    guest = new_page()
    guest.goto(link)
    assert guest.get_by_role("heading", level=1).inner_text() == "Join Acme Ltd"
    assert guest.get_by_label("Email").input_value() == "newcomer@acme.test"
    guest.get_by_label("Your name").fill("Nia Newcomer")
    guest.get_by_label("Password").fill("a long enough password")
    axe_check(guest)
    guest.get_by_role("button", name="Join Acme Ltd").click()
    guest.wait_for_url("**/")
    assert guest.locator(".who").inner_text() == "Nia Newcomer · acme"

    admin.goto("/admin/acme/members")  # not reload(): that would post the invitation form again
    row = admin.locator("tbody tr", has_text="newcomer@acme.test").first
    assert row.get_by_label("Role of newcomer@acme.test").input_value() == "editor"
    assert admin.locator("tr", has_text="newcomer@acme.test").locator(".tag").first.inner_text() == "accepted"


def test_a_used_invitation_link_is_refused(new_page, console):
    console.expect("status of 404")
    admin = new_page()
    sign_in(admin, "ada@acme.test")
    admin.goto("/admin/acme/members")
    admin.get_by_role("button", name="Create invitation link").click()
    link = admin.get_by_label("Invitation link").input_value()
    admin.locator("tr", has_text="anyone with the link").first.get_by_role("button", name="Revoke").click()
    guest = new_page()
    guest.goto(link)
    assert guest.get_by_role("heading", level=1).inner_text() == "Not found"
    assert guest.locator(".lead").inner_text() == (
        "this invitation link is not valid: it is unknown, used, revoked or expired")


def test_an_editor_sees_members_but_cannot_change_them(page, console):
    console.expect("status of 403")
    sign_in(page, "ana@acme.test")
    page.goto("/admin/acme/members")
    assert page.get_by_role("combobox").count() == 0
    assert page.get_by_role("link", name="Audit log").count() == 0
    page.goto("/admin/acme/audit")
    assert page.get_by_role("heading", level=1).inner_text() == "Not allowed"


def test_compare_marks_the_differing_facets(page):
    page.goto("/compare?cases=library/bosnia-zenica-steelworks,library/liberia-concessions-hsbp")
    country = page.locator("tr", has=page.locator("th", has_text=re.compile("^Country")))
    assert country.get_attribute("class") == "differs"
    assert country.locator("td").all_inner_texts() == ["BA", "LR"]
    page.get_by_label("Add a case", exact=True).fill("library/mexico-campana-altamira")  # a picker: any ref works
    page.get_by_role("button", name="Add to comparison").click()
    assert page.locator("table.compare thead th").all_inner_texts()[1:] == [
        t for t in page.locator("table.compare thead th a").all_inner_texts()]
    assert page.locator("table.compare thead th").count() == 4
    assert page.get_by_label("Add a case", exact=True).count() == 0  # three is the most
    axe_check(page)
    screenshot(page, "compare")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "compare-360", full_page=False)


def test_another_organisation_cannot_see_a_private_case(new_page, console):
    console.expect("status of 404")
    tenant, slug, title = seed.PRIVATE_CASE
    owner = new_page()
    sign_in(owner, "ana@acme.test")
    owner.goto(f"/cases/{tenant}/{slug}")
    assert owner.get_by_role("heading", level=1).inner_text() == title

    other = new_page()
    sign_in(other, "bo@beacon.test")
    assert title not in other.content()  # not in the library list either
    for path in (f"/cases/{tenant}/{slug}", f"/cases/{tenant}/{slug}/edit", f"/cases/{tenant}/{slug}/history",
                 f"/compare?cases={tenant}/{slug},library/nepal-fwld", f"/admin/{tenant}/members"):
        other.goto(path)
        assert other.get_by_role("heading", level=1).inner_text() == "Not found", path
        assert title not in other.content() and "Secret" not in other.content(), path
    axe_check(other)
    screenshot(other, "not-found")
    other.goto("/compare?cases=library/nepal-fwld")
    assert f"{tenant}/{slug}" not in other.content()


def test_an_admin_rebuilds_the_search_index_and_watches_it_finish(page):
    sign_in(page, "ada@acme.test")
    page.goto("/admin/acme/members")
    page.get_by_role("link", name="Search index").click()
    page.wait_for_url("**/admin/acme/search")
    page.evaluate("window.__stillHere = true")
    page.get_by_role("button", name="Rebuild the search index").click()
    status = page.locator("#reindex-status")
    status.locator("text=Done:").wait_for(timeout=60_000)
    assert page.evaluate("window.__stillHere") is True  # progress came by polling, the page never reloaded
    assert re.search(r"indexed \d+ documents", status.inner_text())
    axe_check(page)
    screenshot(page, "admin-search")
    page.goto("/admin/acme/audit")
    assert "search.reindex" in page.locator("tbody tr td:nth-child(3)").all_inner_texts()


def test_an_editor_has_no_reindex_action(page, console):
    console.expect(r"status of 403 \(Forbidden\)")
    sign_in(page, "ana@acme.test")
    page.goto("/admin/acme/members")
    assert page.get_by_role("link", name="Search index").count() == 0
    assert page.goto("/admin/acme/search").status == 403
