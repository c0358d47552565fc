"""The test world plus cases and lessons in every publishing state, and who may read what of them.

For each owner (alpha and gamma share the network `net`; beta is alone) and shared audience (network,
public), one case and one lesson in each state: `draft` and `review` (never approved), `published`,
`pending` (published, then edited: others must read the old text) and `withdrawn`. Words an outsider may
read carry PUBLISHED_WORD; words only the owner may read carry HIDDEN_WORD. Lessons cite the owner's
private case of the base world, whose slug must never reach anyone else.
"""

from __future__ import annotations

from typing import Any

from casebook.services import cases, lessons, publishing
from casebook.services.actors import system_actor
from tests.factory import USERS, World, build_world, make_case
from tests.lesson_fixtures import make_lesson

OWNERS = ("alpha", "beta", "gamma")
AUDIENCES = ("network", "public")
STATES = ("draft", "review", "published", "pending", "withdrawn")
SHOWN = ("published", "pending")  # the states with a snapshot others read
PUBLISHED_WORD = "Vellichor"  # in every approved snapshot
HIDDEN_WORD = "Quixotry"  # in every working copy nobody approved (and in nothing else)
WITHDRAWN_WORD = "Sonderish"  # in snapshots later withdrawn
KIND_PATHS = {"case": "cases", "lesson": "lessons"}
# Tenant -> the networks it belongs to (see tests.factory.TENANTS); a user reads a `network` record of an
# owner it shares a network with (a network counts as in itself).
NETWORKS = {"alpha": {"net"}, "beta": set(), "gamma": {"net"}, "net": {"net"}}


def slug_of(owner: str, audience: str, state: str) -> str:
    return f"pub-{owner}-{audience}-{state}"


RECORDS = [(o, a, s) for o in OWNERS for a in AUDIENCES for s in STATES]
ALL = {slug_of(*r) for r in RECORDS}


def _text(slug: str, word: str) -> dict[str, str]:
    return {"title": f"{word} {slug}", "summary": f"{word} summary of {slug}: partners meet and agree."}


def case_doc(owner: str, slug: str, word: str) -> dict[str, Any]:
    return make_case(slug, **_text(slug, word))


def lesson_doc(owner: str, slug: str, word: str) -> dict[str, Any]:
    text = _text(slug, word)
    return make_lesson(slug, title=text["title"], body=f"{text['summary']}\n\nBuild **trust** first.",
                       tags=["trust", word.casefold()], cases=[*PRIVATE_REF.get(owner, []), "alpha/alpha-public"])


# The owner's private case (tests.factory) each lesson cites; only the owner may see the reference.
PRIVATE_REF = {"alpha": ["alpha/alpha-private"], "beta": ["beta/beta-private"]}
DOCS = {"case": case_doc, "lesson": lesson_doc}


def reads(user: str, owner: str, audience: str, state: str) -> str | None:
    """What `user` reads of the record: "working" (the owner's copy), "published" (the snapshot) or None."""
    home = USERS.get(user, (None, None))[0]
    if home == owner:
        return "working"
    if state not in SHOWN:
        return None
    if audience == "public":
        return "published"
    return "published" if home and NETWORKS[home] & NETWORKS[owner] else None


def readable(user: str) -> set[str]:
    return {slug_of(*r) for r in RECORDS if reads(user, *r)}


WORKING_WORD = {"draft": HIDDEN_WORD, "review": HIDDEN_WORD, "published": PUBLISHED_WORD, "pending": HIDDEN_WORD,
                "withdrawn": WITHDRAWN_WORD}


def title_for(user: str, owner: str, audience: str, state: str) -> str | None:
    """The title `user` must see, or None when the record must not show at all."""
    seen = reads(user, owner, audience, state)
    if seen is None:
        return None
    return f"{PUBLISHED_WORD if seen == 'published' else WORKING_WORD[state]} {slug_of(owner, audience, state)}"


async def _create(world: World, kind: str, owner: str, audience: str, slug: str, word: str, system: bool) -> None:
    actor = system_actor(world.tenant_ids[owner]) if system else await world.actor(f"{owner}_editor")
    doc = DOCS[kind](owner, slug, word)
    if kind == "case":
        await cases.create_case(actor, owner, doc, audience)
    else:
        await lessons.create_lesson(actor, owner, doc, audience)


async def _reviewer(world: World, owner: str, audience: str) -> Any:
    """Who approves: the owner's admin for public (gamma has none: the operator), the network's for network."""
    if audience == "network":
        return await world.actor("net_admin")
    return await world.actor(f"{owner}_admin") if f"{owner}_admin" in USERS else system_actor(world.tenant_ids[owner])


async def _publish(world: World, kind: str, owner: str, audience: str, slug: str, word: str) -> None:
    """Published through the workflow (submit, approve) where a reviewer exists; beta has no network, so its
    network records are published by the operator (the CLI path)."""
    if owner == "beta" and audience == "network":
        await _create(world, kind, owner, audience, slug, word, system=True)
        return
    await _create(world, kind, owner, audience, slug, word, system=False)
    pub_kind = publishing.CASES if kind == "case" else publishing.LESSONS
    await publishing.transition(await world.actor(f"{owner}_editor"), pub_kind, owner, slug, "submit")
    await publishing.transition(await _reviewer(world, owner, audience), pub_kind, owner, slug, "approve",
                                expected_version=1)


async def _edit(world: World, kind: str, owner: str, slug: str, word: str) -> None:
    actor = await world.actor(f"{owner}_editor")
    doc = DOCS[kind](owner, slug, word)
    if kind == "case":
        current = await cases.get_case(actor, owner, slug)
        await cases.update_case(actor, owner, slug, doc, current["version"])
    else:
        current = await lessons.get_lesson(actor, owner, slug)
        await lessons.update_lesson(actor, owner, slug, doc, current["version"])


async def add_publishing_records(world: World) -> None:
    for kind in ("case", "lesson"):
        pub_kind = publishing.CASES if kind == "case" else publishing.LESSONS
        for owner, audience, state in RECORDS:
            slug = slug_of(owner, audience, state)
            if state in ("draft", "review"):
                await _create(world, kind, owner, audience, slug, HIDDEN_WORD, system=False)
                if state == "review" and owner == "beta" and audience == "network":
                    # Submitting needs a network now; this stands for one made before beta left its network.
                    table = pub_kind.record
                    await table.update({table.publication: "in_review"}).where(
                        (table.slug == slug) & (table.tenant == world.tenant_ids[owner]))
                elif state == "review":
                    await publishing.transition(await world.actor(f"{owner}_editor"), pub_kind, owner, slug,
                                                "submit")
            elif state == "published":
                await _publish(world, kind, owner, audience, slug, PUBLISHED_WORD)
            elif state == "pending":
                await _publish(world, kind, owner, audience, slug, PUBLISHED_WORD)
                await _edit(world, kind, owner, slug, HIDDEN_WORD)
            else:
                await _publish(world, kind, owner, audience, slug, WITHDRAWN_WORD)
                withdrawer = await world.actor(f"{owner}_admin") if f"{owner}_admin" in USERS \
                    else system_actor(world.tenant_ids[owner])
                await publishing.transition(withdrawer, pub_kind, owner, slug, "withdraw")


async def build_publishing_world() -> World:
    world = await build_world()
    await add_publishing_records(world)
    return world
