"""Publishing: runs the transitions of `casebook.domain.publication` on cases and lessons alike.

A record's working copy (`data`, `visibility`) is what its owner edits; `published_*` is the last
approved snapshot, the only thing readers outside the owner see. Every transition is one transaction
with its audit event and its outbox entry, guarded so a concurrent change makes it fail (409) instead
of publishing something nobody reviewed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from casebook.db import outbox, record_rows
from casebook.db.networks import network_peers, networks_of
from casebook.db.publication import publication_columns
from casebook.db.tables import CaseRecord, CaseRevision, LessonRecord, LessonRevision
from casebook.db.tables.publishable import PublishableRecord, RecordRevision
from casebook.db.transaction import write_transaction
from casebook.domain import publication
from casebook.domain.access import Actor, can_read, is_admin, require_signed_in
from casebook.domain.clock import now
from casebook.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from casebook.domain.permissions import TRANSITIONS, can
from casebook.domain.redaction import redact
from casebook.domain.visibility import json_value, visible_data
from casebook.services import audit, case_facets, list_facets

MAX_COMMENT = 2000


@dataclass(frozen=True)
class Kind:
    """A publishable kind of record: its tables, and how its pages are addressed."""

    name: str  # "case" | "lesson": audit actions, outbox entity, messages
    record: type[PublishableRecord]
    revision: type[RecordRevision]
    revision_fk: str  # the revision table's column pointing at the record
    path: str  # URL segment: /{path}/{tenant}/{slug}
    # Called inside the transaction after a transition, e.g. to re-derive the published list facets.
    after_change: Callable[[int], Awaitable[None]] | None = None

    def fk(self) -> Any:
        return getattr(self.revision, self.revision_fk)


CASES = Kind("case", CaseRecord, CaseRevision, "case", "cases", case_facets.sync)
LESSONS = Kind("lesson", LessonRecord, LessonRevision, "lesson", "lessons", list_facets.LESSONS.sync)
KINDS = (CASES, LESSONS)


def columns(kind: Kind) -> tuple[Any, ...]:
    """The columns a transition and `publication_out` need."""
    return publication_columns(kind.record)


def _pending(row: dict[str, Any]) -> bool:
    if row.get("published_version") is None:
        return False
    if "data" in row and "published_data" in row:
        return (json_value(row["data"]) != json_value(row["published_data"])
                or row["visibility"] != row["published_visibility"])
    return row["version"] != row["published_version"]


def publication_out(row: dict[str, Any]) -> dict[str, Any]:
    """The publishing state as the owner sees it; `pending`: the working copy is not the published one."""
    return {
        "state": row["publication"], "visibility": row["visibility"],
        "published_version": row["published_version"], "published_visibility": row["published_visibility"],
        "published_at": row["published_at"], "review_comment": row["review_comment"], "pending": _pending(row),
    }


def revision_scope(kind: Kind, row: dict[str, Any], actor: Actor) -> Any:
    """The revisions of `row` the actor reads: the owner every one; anyone else only those approved for an
    audience the actor belongs to, and never one withdrawn since (a later approval does not bring it back)."""
    rev = kind.revision
    scope = kind.fk() == row["id"]
    if row["tenant"] in actor.roles:
        return scope
    audiences = [v for v in ("public", "network") if can_read(actor, row["tenant"], v)]
    return scope & rev.published_at.is_not_null() & (rev.withdrawn == False) & rev.visibility.is_in(  # noqa: E712
        audiences)


def revision_columns(kind: Kind) -> tuple[Any, ...]:
    rev = kind.revision
    return (rev.version, rev.action, rev.visibility, rev.created_at, rev.published_at,
            rev.author.name.as_alias("author"))


async def list_revisions(kind: Kind, row: dict[str, Any], actor: Actor) -> list[dict[str, Any]]:
    """The history as the actor may see it, newest first; who wrote a revision only inside the owner."""
    rows = await kind.revision.select(*revision_columns(kind)).where(revision_scope(kind, row, actor)).order_by(
        kind.revision.version, ascending=False)
    return [author_shown(r, row, actor) for r in rows]


def author_shown(rev: dict[str, Any], row: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Outside the owner a revision names no author (neither name nor email)."""
    return rev if row["tenant"] in actor.roles else {**rev, "author": None}


async def retire_withdrawn(kind: Kind, record_id: int, values: dict[str, Any]) -> None:
    """When a write takes the published snapshot down, every revision approved so far is withdrawn for good."""
    if values.get("publication") != "withdrawn" or values.get("published_data", "kept") is not None:
        return
    rev = kind.revision
    await rev.update({rev.withdrawn: True}).where((kind.fk() == record_id) & rev.published_at.is_not_null())


def _published(version: int, visibility: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"publication": "published", "published_version": version, "published_visibility": visibility,
            "published_data": json.dumps(data), "published_at": now(), "review_comment": None}


UNPUBLISHED = {"published_version": None, "published_visibility": None, "published_data": None,
               "published_at": None}


def insert_values(actor: Actor, visibility: str, data: dict[str, Any], version: int = 1) -> dict[str, Any]:
    """Publishing columns of a new record. The system actor (CLI import, seed library) publishes at once;
    pages and the API start a draft. The revision of `version` takes `published_at` from the result."""
    if actor.system and visibility != "private":
        return _published(version, visibility, data)
    return {"publication": "draft", **UNPUBLISHED, "review_comment": None}


def edit_values(row: dict[str, Any], actor: Actor | None = None, *, visibility: str | None = None,
                data: dict[str, Any] | None = None, version: int | None = None) -> dict[str, Any]:
    """Publishing columns for a content edit of `row`: back to draft, the last snapshot stays visible.

    The system actor, given the new visibility, data and version, publishes directly (or, asking for
    private, takes the snapshot down)."""
    if actor is not None and actor.system and visibility and data is not None and version is not None:
        if visibility != "private":
            return _published(version, visibility, data)
        state = "withdrawn" if row.get("published_visibility") else row["publication"]
        return {"publication": state, **UNPUBLISHED}
    return {"publication": publication.after_edit(row["publication"])}


async def _owner_networks(owner: int) -> set[int]:
    return await networks_of(frozenset({owner}))


async def _row(kind: Kind, tenant_slug: str, slug: str) -> dict[str, Any] | None:
    t = kind.record
    return await record_rows.first(record_rows.select(t).where((t.tenant.slug == tenant_slug) & (t.slug == slug)))


def _input(action: str, comment: str | None, expected_version: int | None) -> str | None:
    if action not in publication.ACTIONS:
        raise InvalidInput(Problem(f"must be one of {', '.join(publication.ACTIONS)}", field="action"))
    text = (comment or "").strip() or None
    problems = []
    if action == "return" and not text:
        problems.append(Problem("say what should change before it can be approved", field="comment"))
    if text and len(text) > MAX_COMMENT:
        problems.append(Problem(f"must be at most {MAX_COMMENT} characters", field="comment"))
    if action == "approve" and expected_version is None:
        problems.append(Problem("send the version you reviewed", field="version"))
    if problems:
        raise InvalidInput(problems)
    return text


def _values(action: str, row: dict[str, Any], comment: str | None) -> dict[str, Any]:
    state = publication.TARGET[action]
    if action == "approve":
        return _published(row["version"], row["visibility"], json_value(row["data"]))
    if action == "return":
        return {"publication": state, "review_comment": comment}
    if action == "withdraw":
        return {"publication": state, **UNPUBLISHED}
    return {"publication": state, "review_comment": None}


async def transition(actor: Actor, kind: Kind, tenant_slug: str, slug: str, action: str, *,
                     comment: str | None = None, expected_version: int | None = None) -> dict[str, Any]:
    """Runs one transition. 404: the actor may neither read nor review it; 403: its role does not allow the
    action; 409: the state does not, or the record changed since `expected_version`. Nothing changes then."""
    text = _input(action, comment, expected_version)
    require_signed_in(actor)
    row = await _row(kind, tenant_slug, slug)
    if row is None or row["deleted_at"] is not None:
        raise NotFound(f"{kind.name} not found")
    owner_networks = await _owner_networks(row["tenant"])
    target = {"tenant": row["tenant"], "visibility": row["visibility"], "networks": owner_networks}
    if visible_data(row, actor) is None and not can(actor, "review.decide", target):
        raise NotFound(f"{kind.name} not found")
    if not can(actor, TRANSITIONS[action], target):
        raise Forbidden(_forbidden(action, row["visibility"], kind.name))
    publication.next_state(action, row["publication"], row["visibility"], row["published_visibility"] is not None)
    if action == "submit" and row["visibility"] == "network" and not owner_networks:
        raise Conflict(f"this organisation belongs to no network, so nobody could review the {kind.name} for one: "
                       "join a network first, or ask for public visibility", code="no_network")
    if expected_version is not None and expected_version != row["version"]:
        raise Conflict(f"this {kind.name} changed since you reviewed it (you saw version {expected_version}, "
                       f"the current version is {row['version']}); review it again",
                       current=publication_out(row), code="stale_version")
    values = _values(action, row, text)
    t = kind.record
    async with write_transaction():
        # Piccolo types `values` as an invariant dict[Column | str, Any], so a dict[str, Any] is refused.
        changed = await t.update(values).where(  # type: ignore[arg-type]
            (t.id == row["id"]) & (t.version == row["version"]) & (t.publication == row["publication"])
        ).returning(t.id)
        if not changed:
            raise Conflict(f"this {kind.name} was changed by someone else meanwhile; reload and try again",
                           code="stale_version")
        await retire_withdrawn(kind, row["id"], values)
        if action == "approve":
            await kind.revision.update({kind.revision.published_at: values["published_at"]}).where(
                (kind.fk() == row["id"]) & (kind.revision.version == row["version"]))
        if kind.after_change is not None:
            await kind.after_change(row["id"])
        await outbox.enqueue(kind.name, row["id"], "upsert")
        await audit.record(actor, row["tenant"], f"{kind.name}.{action}", f"{tenant_slug}/{slug}",
                           version=row["version"], visibility=row["visibility"], comment=text)
    return publication_out({**row, **values})


def _forbidden(action: str, visibility: str, what: str) -> str:
    if action == "submit":
        return f"submitting a {what} for review needs an editor or admin of its organisation"
    if action == "withdraw":
        return f"withdrawing a {what} needs an admin of its organisation or one of its reviewers"
    if visibility == "public":
        return f"publishing a {what} to everyone needs an admin of its organisation"
    return f"reviewing a {what} for a network needs an admin of that network"


async def _reviewable(actor: Actor, kind: Kind, tenant_slug: str, slug: str) -> tuple[dict[str, Any], set[int]]:
    """The row and its owner's networks, if the actor is a member of the owner or one of its reviewers."""
    row = await _row(kind, tenant_slug, slug)
    if row is None or row["deleted_at"] is not None:
        raise NotFound(f"{kind.name} not found")
    owner_networks = await _owner_networks(row["tenant"])
    if row["tenant"] not in actor.roles and not can(actor, "review.decide", {
            "tenant": row["tenant"], "visibility": row["visibility"], "networks": owner_networks}):
        raise NotFound(f"{kind.name} not found")
    return row, owner_networks


async def actions_on(actor: Actor, tenant_id: int, visibility: str, state: str, has_published: bool) -> list[str]:
    """The publishing actions the actor may take now on a record of `tenant_id` in this state (its owner's
    networks looked up here, so a page need not)."""
    return publication.allowed_actions(actor, tenant_id, visibility, state, has_published,
                                       await _owner_networks(tenant_id))


def _actions(actor: Actor, row: dict[str, Any], owner_networks: set[int]) -> list[str]:
    return publication.allowed_actions(actor, row["tenant"], row["visibility"], row["publication"],
                                       row["published_visibility"] is not None, owner_networks)


async def review_record(actor: Actor, kind: Kind, tenant_slug: str, slug: str) -> dict[str, Any]:
    """A record as its reviewer sees it: the submitted working copy (redacted outside the owner) next to
    the published snapshot, and the transitions the actor may make. Outside the owner only while it is in
    review: a working copy nobody submitted is the owner's alone."""
    row, owner_networks = await _reviewable(actor, kind, tenant_slug, slug)
    owner = row["tenant"] in actor.roles
    if not owner and row["publication"] != "in_review":
        raise NotFound(f"{kind.name} not found")
    working = json_value(row["data"])
    snapshot = json_value(row["published_data"]) if row["published_data"] is not None else None
    return {
        "kind": kind.name, "path": kind.path, "tenant": tenant_slug, "owner": row["tenant"], "slug": slug,
        "title": row["title"], "version": row["version"], "submitted": working if owner else redact(working),
        "published": snapshot if snapshot is None or owner else redact(snapshot),
        "publication": publication_out(row),
        "actions": _actions(actor, row, owner_networks),
    }


async def actions_for(actor: Actor, kind: Kind, tenant_slug: str, slug: str) -> list[str]:
    """The transitions the actor may make on the record now (none when it may not even review it)."""
    if not actor.authenticated:
        return []
    try:
        return _actions(actor, *await _reviewable(actor, kind, tenant_slug, slug))
    except NotFound:
        return []


async def _reviewable_owners(actor: Actor) -> set[int]:
    """Tenants whose records the actor might review: those it administers, and the members of those that
    are networks."""
    admin_of = {t for t in actor.roles if is_admin(actor, t)}
    return admin_of | await network_peers(await networks_of(frozenset(admin_of)) & admin_of)


async def review_queue(actor: Actor) -> list[dict[str, Any]]:
    """The cases and lessons in review that the actor may approve or return, oldest submission first."""
    owners = await _reviewable_owners(actor)
    if not owners:
        return []
    queue: list[dict[str, Any]] = []
    networks: dict[int, set[int]] = {}
    for kind in KINDS:
        t = kind.record
        rows = await t.select(
            t.tenant, t.tenant.slug.as_alias("tenant_slug"), t.tenant.name.as_alias("tenant_name"), t.slug,
            t.title, t.visibility, t.version, t.updated_at, t.published_version, t.published_visibility,
        ).where((t.publication == "in_review") & t.deleted_at.is_null() & t.tenant.is_in(sorted(owners)))
        for row in rows:
            if row["tenant"] not in networks:
                networks[row["tenant"]] = await _owner_networks(row["tenant"])
            if can(actor, "review.decide", {"tenant": row["tenant"], "visibility": row["visibility"],
                                            "networks": networks[row["tenant"]]}):
                queue.append({"kind": kind.name, "path": kind.path, "tenant": row["tenant_slug"],
                              "owner": row["tenant"], "tenant_name": row["tenant_name"], "slug": row["slug"],
                              "title": row["title"],
                              "visibility": row["visibility"], "version": row["version"],
                              "published_version": row["published_version"],
                              "published_visibility": row["published_visibility"], "updated_at": row["updated_at"],
                              "url": f"/{kind.path}/{row['tenant_slug']}/{row['slug']}"})
    return sorted(queue, key=lambda item: item["updated_at"])


def kind_named(name: str) -> Kind:
    """`case`/`cases` or `lesson`/`lessons` -> its Kind; 404 for anything else."""
    for kind in KINDS:
        if name in (kind.name, kind.path):
            return kind
    raise NotFound(f"no such kind of record: {name}")
