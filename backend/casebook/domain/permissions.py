"""Named permissions: `can(actor, "record.edit", record)`. Each is a small predicate over the one rule
in casebook.domain.access (and the review rule in casebook.domain.publication), so pages, templates and
services ask the same question by name instead of re-deriving it from roles. Deny by default; an unknown
name raises, so a typo cannot silently grant or hide anything.

A target is a tenant (its id, or a slug of one of the actor's tenants), a record-like mapping with
`tenant` (id or slug) and optionally `visibility`, `published_visibility` and `networks` (the owner's
networks, for review), or ANYWHERE (the default): "in any of the actor's tenants" (what a menu link asks).
None, or a slug of a tenant the actor is not in, is nobody's: every permission is denied on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from casebook.domain import publication
from casebook.domain.access import Actor, can_read, can_write, has_role, is_admin, read_audience
from casebook.domain.errors import Forbidden, NotFound


class _Anywhere:
    """The target of a question asked of all the actor's tenants at once ("may I create a case at all?")."""

    def __repr__(self) -> str:
        return "ANYWHERE"


ANYWHERE = _Anywhere()
Target = int | str | Mapping[str, Any] | _Anywhere | None


def owner_of(actor: Actor, target: Target) -> int | None:
    """The owner tenant id of a target; a slug resolves only among the actor's own tenants."""
    tenant = target.get("tenant") if isinstance(target, Mapping) else target
    if isinstance(tenant, bool) or not isinstance(tenant, int | str):
        return None
    if isinstance(tenant, int):
        return tenant
    return next((t for t, s in actor.tenant_slugs.items() if s == tenant), None)


def _per_tenant(test: Callable[[Actor, int], bool]) -> Callable[[Actor, Target], bool]:
    """A tenant-scoped predicate; with no target it asks whether any of the actor's tenants allows it."""
    def check(actor: Actor, target: Target) -> bool:
        if target is ANYWHERE:
            return any(test(actor, t) for t in actor.roles)
        owner = owner_of(actor, target)
        return owner is not None and test(actor, owner)
    return check


def _read(actor: Actor, target: Target) -> bool:
    owner = owner_of(actor, target)
    if owner is None or not isinstance(target, Mapping):
        return False
    return can_read(actor, owner, read_audience(owner, actor, target.get("visibility", "private"),
                                                target.get("published_visibility")))


def _transition(action: str) -> Callable[[Actor, Target], bool]:
    """A publishing transition, by the rule of casebook.domain.publication (who reviews which audience)."""
    def check(actor: Actor, target: Target) -> bool:
        if target is ANYWHERE:  # writers submit; only admins (of an owner or a network) review or withdraw
            return any((can_write if action == "submit" else is_admin)(actor, t) for t in actor.roles)
        owner = owner_of(actor, target)
        if owner is None or not isinstance(target, Mapping):
            return False
        return publication.may(actor, action, owner, target.get("visibility", "private"), target.get("networks", ()))
    return check


_write = _per_tenant(can_write)
_admin = _per_tenant(is_admin)
_member = _per_tenant(lambda actor, tenant: has_role(actor, tenant, "viewer"))

PERMISSIONS: dict[str, Callable[[Actor, Target], bool]] = {
    "record.read": _read,
    "record.create": _write,
    "record.edit": _write,
    "record.delete": _write,
    "record.import": _write,
    "record.submit": _transition("submit"),
    "record.publish": _transition("approve"),
    "review.decide": _transition("approve"),
    "record.withdraw": _transition("withdraw"),
    "plan.create": _write,
    "plan.edit": _write,
    "context.save": _write,
    "context.delete": _write,
    "tenant.view": _member,
    "member.manage": _admin,
    "token.manage": _admin,
    "audit.read": _admin,
    "search.reindex": _admin,
}


# publishing action -> the permission it needs
TRANSITIONS = {"submit": "record.submit", "approve": "review.decide", "return": "review.decide",
               "withdraw": "record.withdraw"}


def can(actor: Actor, permission: str, target: Target = ANYWHERE) -> bool:
    """Whether the actor holds `permission` on `target`. Raises KeyError for an unknown permission."""
    try:
        check = PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}") from None
    return check(actor, target)


def require(actor: Actor, permission: str, tenant_id: int) -> None:
    """The services' form of a tenant-scoped `can`: 404 to a non-member (an organisation's existence is not
    confirmed to outsiders), 403 when the member's role does not allow it."""
    if tenant_id not in actor.roles:
        raise NotFound("organisation not found")
    if not can(actor, permission, tenant_id):
        raise Forbidden(f"your role in this organisation does not allow {permission}")
