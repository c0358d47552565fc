"""The one access rule. Every read, write, search document, match and plan goes through here.

An actor reads a record when it is public, when the actor belongs to the owner tenant, or when it
is `network` and the owner shares a network with one of the actor's tenants. Deny by default.
Outside the owner, "public"/"network" means the audience of the last approved snapshot
(see casebook.domain.publication): a record nobody approved is private to its owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from casebook.domain.errors import Forbidden, NotFound, Unauthenticated

WRITER_ROLES = frozenset({"editor", "admin"})
ROLE_RANK = {"viewer": 1, "editor": 2, "admin": 3}


@dataclass(frozen=True)
class Actor:
    """Who is asking. Built per request from a session or a token; never cached across requests."""

    user_id: int | None = None
    roles: Mapping[int, str] = field(default_factory=dict)  # tenant id -> role
    networks: frozenset[int] = frozenset()  # networks the actor's tenants belong to (or are)
    network_peers: frozenset[int] = frozenset()  # tenants whose `network` records the actor reads
    active_tenant: int | None = None
    email: str | None = None
    name: str | None = None
    tenant_slugs: Mapping[int, str] = field(default_factory=dict)
    system: bool = False  # the CLI operator, acting for one tenant

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None or self.system

    @property
    def tenant_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def role_in(self, tenant_id: int) -> str | None:
        return self.roles.get(tenant_id)


ANONYMOUS = Actor()


def can_read(actor: Actor, owner: int, visibility: str) -> bool:
    if visibility == "public" or owner in actor.roles:
        return True
    return visibility == "network" and owner in actor.network_peers


def can_write(actor: Actor, owner: int) -> bool:
    return actor.roles.get(owner) in WRITER_ROLES


def is_admin(actor: Actor, tenant_id: int) -> bool:
    return actor.roles.get(tenant_id) == "admin"


def has_role(actor: Actor, tenant_id: int, minimum: str) -> bool:
    return ROLE_RANK.get(actor.roles.get(tenant_id, ""), 0) >= ROLE_RANK[minimum]


def require_read(actor: Actor, owner: int, visibility: str, what: str = "case") -> None:
    if not can_read(actor, owner, visibility):
        raise NotFound(f"{what} not found")


def require_write(actor: Actor, owner: int, visibility: str, what: str = "case") -> None:
    """404 when the actor cannot even read it, 403 when it can read but not write."""
    require_read(actor, owner, visibility, what)
    require_signed_in(actor)
    if not can_write(actor, owner):
        raise Forbidden(f"your role does not allow changing this {what}")


def require_signed_in(actor: Actor) -> None:
    if not actor.authenticated:
        raise Unauthenticated("sign in, or send an API token, to change anything")


def read_condition(table: Any, actor: Actor) -> Any:
    """A Piccolo where-clause selecting the rows of `table` the actor reads: all of its own tenants', and
    others' by the audience of their published snapshot (`published_visibility`; null: not published)."""
    clause = table.published_visibility == "public"
    if actor.roles:
        clause = clause | table.tenant.is_in(sorted(actor.roles))
    if actor.network_peers:
        clause = clause | ((table.published_visibility == "network")
                           & table.tenant.is_in(sorted(actor.network_peers)))
    return clause


def read_audience(owner: int, actor: Actor, visibility: str, published_visibility: str | None) -> str:
    """The visibility the access rule applies to: the working copy's in the owner, else the snapshot's."""
    return visibility if owner in actor.roles else (published_visibility or "private")


def record_labels(owner: int, visibility: str, owner_networks: Iterable[int]) -> list[str]:
    """Access labels stored with a search document; a reader must hold one of them."""
    labels = [f"t:{owner}"]
    if visibility == "public":
        labels.append("public")
    elif visibility == "network":
        labels.extend(f"n:{n}" for n in sorted(set(owner_networks)))
    return labels


def actor_labels(actor: Actor) -> list[str]:
    return ["public", *(f"t:{t}" for t in sorted(actor.roles)), *(f"n:{n}" for n in sorted(actor.networks))]
