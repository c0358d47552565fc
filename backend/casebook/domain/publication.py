"""The publishing workflow: states, transitions and who may make them. Pure functions, no database.

The working copy of a record moves draft -> in_review -> published; readers outside the owner only
ever see the last approved snapshot. Who reviews depends on the audience asked for: the owner's own
admins for `public` (it speaks for the organisation), the network's admins for `network` (they curate
what their members see).
"""

from __future__ import annotations

from collections.abc import Iterable

from casebook.domain.access import Actor, can_write, is_admin
from casebook.domain.errors import Conflict

STATES = ("draft", "in_review", "published", "withdrawn")
ACTIONS = ("submit", "approve", "return", "withdraw")
SHARED = ("network", "public")
# action -> the states it starts from (withdraw: any state, as long as a snapshot is published).
FROM_STATES = {"submit": ("draft", "withdrawn"), "approve": ("in_review",), "return": ("in_review",),
               "withdraw": STATES}
TARGET = {"submit": "in_review", "approve": "published", "return": "draft", "withdraw": "withdrawn"}


def is_reviewer(actor: Actor, owner: int, visibility: str, owner_networks: Iterable[int]) -> bool:
    """May approve or return a record asking for `visibility`.

    `owner_networks` are the networks the owner belongs to, plus the owner itself when it is a network.
    """
    if visibility == "public":
        return is_admin(actor, owner)
    if visibility == "network":
        return any(is_admin(actor, n) for n in owner_networks)
    return False


def may(actor: Actor, action: str, owner: int, visibility: str, owner_networks: Iterable[int]) -> bool:
    """Whether the actor's role allows the action on this record (the state is checked separately)."""
    if action == "submit":
        return can_write(actor, owner)
    if action in ("approve", "return"):
        return is_reviewer(actor, owner, visibility, owner_networks)
    if action == "withdraw":
        return is_admin(actor, owner) or is_reviewer(actor, owner, visibility, owner_networks)
    return False


def next_state(action: str, state: str, visibility: str, has_snapshot: bool) -> str:
    """The state after `action`, or Conflict when the record's state does not allow it."""
    if state not in FROM_STATES[action]:
        raise Conflict(f"cannot {action} a record that is {state.replace('_', ' ')}", code="invalid_transition")
    if action == "submit" and visibility not in SHARED:
        raise Conflict("a private record is not reviewed: set its visibility to network or public first",
                       code="invalid_transition")
    if action == "withdraw" and not has_snapshot:
        raise Conflict("nothing is published to withdraw", code="invalid_transition")
    return TARGET[action]


def after_edit(state: str) -> str:
    """A content edit sends a record under review or published back to draft; it needs a new review."""
    return "draft" if state in ("in_review", "published") else state


def allowed_actions(actor: Actor, owner: int, visibility: str, state: str, has_snapshot: bool,
                    owner_networks: Iterable[int]) -> list[str]:
    """The transitions the actor could make now: the buttons a page shows."""
    networks = list(owner_networks)
    allowed = []
    for action in ACTIONS:
        if not may(actor, action, owner, visibility, networks):
            continue
        try:
            next_state(action, state, visibility, has_snapshot)
        except Conflict:
            continue
        allowed.append(action)
    return allowed
