"""The named permissions of casebook.domain.permissions: exact answers per role, and agreement with the rule.

Tenants: 1 and 2 are organisations, 9 a network with 1 as a member. The SQL agreement of "record.read" is
proved on real data in tests/test_property_access.py; here it is checked against `can_read` on random actors.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.domain.access import ANONYMOUS, Actor, can_read, read_audience
from casebook.domain.errors import Forbidden, NotFound
from casebook.domain.permissions import ANYWHERE, PERMISSIONS, can, require

SLUGS = {1: "one", 2: "two", 9: "net"}


def member(role: str, tenant: int = 1, **extra) -> Actor:
    return Actor(user_id=7, roles={tenant: role}, tenant_slugs={tenant: SLUGS[tenant]}, **extra)


VIEWER, EDITOR, ADMIN = member("viewer"), member("editor"), member("admin")
NETWORK_ADMIN = member("admin", 9, networks=frozenset({9}), network_peers=frozenset({1, 9}))
ACTORS = {"anonymous": ANONYMOUS, "viewer": VIEWER, "editor": EDITOR, "admin": ADMIN, "network admin": NETWORK_ADMIN}

PRIVATE = {"tenant": 1, "visibility": "private", "published_visibility": None}
SHARED_DRAFT = {"tenant": 1, "visibility": "network", "published_visibility": None, "networks": (9,)}
SHARED = {"tenant": 1, "visibility": "network", "published_visibility": "network", "networks": (9,)}
PUBLIC = {"tenant": 1, "visibility": "public", "published_visibility": "public", "networks": (9,)}

# permission, target -> the actors (by name) that hold it; everyone else is denied.
EXPECTED = [
    ("record.read", PRIVATE, {"viewer", "editor", "admin"}),
    ("record.read", SHARED_DRAFT, {"viewer", "editor", "admin"}),
    ("record.read", SHARED, {"viewer", "editor", "admin", "network admin"}),
    ("record.read", PUBLIC, set(ACTORS)),
    ("record.read", {**PUBLIC, "tenant": "one"}, {"viewer", "editor", "admin"}),  # a slug resolves among mine
    ("record.create", 1, {"editor", "admin"}),
    ("record.create", "one", {"editor", "admin"}),
    ("record.create", ANYWHERE, {"editor", "admin", "network admin"}),
    ("record.create", 2, set()),
    ("record.edit", PRIVATE, {"editor", "admin"}),
    ("record.edit", PUBLIC, {"editor", "admin"}),
    ("record.delete", PRIVATE, {"editor", "admin"}),
    ("record.import", "one", {"editor", "admin"}),
    ("record.submit", SHARED_DRAFT, {"editor", "admin"}),
    ("record.submit", ANYWHERE, {"editor", "admin", "network admin"}),
    ("record.publish", PUBLIC, {"admin"}),
    ("record.publish", SHARED, {"network admin"}),
    ("record.withdraw", PUBLIC, {"admin"}),
    ("record.withdraw", SHARED, {"admin", "network admin"}),
    ("record.withdraw", ANYWHERE, {"admin", "network admin"}),
    ("review.decide", PUBLIC, {"admin"}),
    ("review.decide", SHARED, {"network admin"}),
    ("review.decide", PRIVATE, set()),
    ("review.decide", ANYWHERE, {"admin", "network admin"}),
    ("plan.create", ANYWHERE, {"editor", "admin", "network admin"}),
    ("plan.edit", {"tenant": "one"}, {"editor", "admin"}),
    ("context.save", ANYWHERE, {"editor", "admin", "network admin"}),
    ("context.delete", 1, {"editor", "admin"}),
    ("tenant.view", 1, {"viewer", "editor", "admin"}),
    ("member.manage", 1, {"admin"}),
    ("member.manage", 9, {"network admin"}),
    ("token.manage", 1, {"admin"}),
    ("audit.read", 1, {"admin"}),
    ("search.reindex", 1, {"admin"}),
]


@pytest.mark.parametrize(("permission", "target", "holders"), EXPECTED)
def test_each_permission_is_held_by_exactly_these_actors(permission, target, holders):
    assert {name for name, actor in ACTORS.items() if can(actor, permission, target)} == holders


def test_every_permission_has_an_exact_test():
    assert {p for p, _, _ in EXPECTED} == set(PERMISSIONS)


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_deny_by_default_on_nobodys_target(permission):
    """None, a foreign slug, a target without a tenant: denied even to an admin of every tenant."""
    everything = Actor(user_id=1, roles={1: "admin", 2: "admin", 9: "admin"}, tenant_slugs=SLUGS,
                       networks=frozenset({9}), network_peers=frozenset({1, 2, 9}))
    for target in (None, "elsewhere", {}, {"tenant": None}, {"tenant": True}):
        assert can(everything, permission, target) is False


def test_an_unknown_permission_raises():
    with pytest.raises(KeyError, match="unknown permission 'record.edt'"):
        can(ADMIN, "record.edt", PRIVATE)


def test_require_is_404_outside_the_tenant_and_403_below_the_permission():
    require(ADMIN, "member.manage", 1)
    with pytest.raises(NotFound, match="^organisation not found$"):
        require(ADMIN, "member.manage", 2)
    with pytest.raises(NotFound, match="^organisation not found$"):
        require(ADMIN, "member.manage", None)
    with pytest.raises(Forbidden, match="^your role in this organisation does not allow member.manage$"):
        require(EDITOR, "member.manage", 1)
    with pytest.raises(Forbidden, match="^your role in this organisation does not allow plan.create$"):
        require(VIEWER, "plan.create", 1)
    with pytest.raises(KeyError):
        require(ADMIN, "plan.craete", 1)


TENANTS = st.sampled_from([1, 2, 9])
ROLES = st.sampled_from(["viewer", "editor", "admin"])


@st.composite
def actors(draw: st.DrawFn) -> Actor:
    roles = draw(st.dictionaries(TENANTS, ROLES, max_size=3))
    return Actor(user_id=1 if roles else None, roles=roles, tenant_slugs={t: SLUGS[t] for t in roles},
                 network_peers=frozenset(draw(st.sets(TENANTS))))


records = st.fixed_dictionaries({"tenant": TENANTS, "visibility": st.sampled_from(["private", "network", "public"]),
                                 "published_visibility": st.sampled_from([None, "network", "public"])})


@settings(max_examples=200, deadline=None)
@given(actors(), records)
def test_record_read_is_the_access_rule(actor, record):
    owner = record["tenant"]
    assert can(actor, "record.read", record) is can_read(actor, owner, read_audience(
        owner, actor, record["visibility"], record["published_visibility"]))
