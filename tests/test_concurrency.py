"""Concurrent edits: of two writers holding the same version, exactly one wins; the other gets a conflict."""

from __future__ import annotations

import asyncio

from casebook.domain.errors import Conflict
from casebook.services import cases
from tests.factory import make_case


async def test_two_concurrent_updates_of_one_version_leave_one_winner(world):
    editor = await world.actor("alpha_editor")
    admin = await world.actor("alpha_admin")

    async def save(actor, title):
        try:
            return await cases.update_case(actor, "alpha", "alpha-private",
                                           make_case("alpha-private", title=title), expected_version=1)
        except Conflict as exc:
            return exc

    results = await asyncio.gather(save(editor, "From editor"), save(admin, "From admin"))
    winners = [r for r in results if isinstance(r, dict)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1)
    current = await cases.get_case(editor, "alpha", "alpha-private")
    assert current["version"] == 2 and current["title"] == winners[0]["title"]
    assert losers[0].current["version"] == 2
    assert [r["version"] for r in await cases.revisions(editor, "alpha", "alpha-private")] == [2, 1]


async def test_concurrent_creates_of_one_slug_leave_one_case(world):
    editor = await world.actor("alpha_editor")

    async def create():
        try:
            return await cases.create_case(editor, "alpha", make_case("race"))
        except Conflict as exc:
            return exc

    results = await asyncio.gather(*(create() for _ in range(4)))
    assert sum(isinstance(r, dict) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 3
