"""Property test of the access rule: its implementations agree with each other and with the rule.

For random worlds of organisations, networks, memberships, visibilities and publication states (written to
the real database), each caller's readable cases are computed by `can_read` (Python, through
`publishing.visible_data`), the named permission `can(actor, "record.read", row)`, the SQL `read_condition`,
the search documents' access labels, and the matcher's numpy scope; all must equal the rule as stated in
casebook.domain.access, computed here from the world alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.db.tables import CaseRecord, Membership, NetworkMember, Tenant
from casebook.domain.access import ANONYMOUS, actor_labels, can_read, read_audience, read_condition
from casebook.domain.permissions import can
from casebook.domain.visibility import visible_data
from casebook.matching.index import MatcherIndex
from casebook.search.documents import documents_for
from casebook.services import publishing, users
from casebook.services.actors import actor_for_user
from tests.conftest import wipe
from tests.factory import PASSWORD, make_case

VISIBILITIES = ("private", "network", "public")
PUBLISHED = (None, "network", "public")  # the audience of the last approved snapshot; None: never / withdrawn


@dataclass(frozen=True)
class WorldSpec:
    kinds: tuple[str, ...]  # tenant i: organisation | network
    joins: frozenset[tuple[int, int]]  # (organisation, network)
    members: tuple[frozenset[tuple[int, str]], ...]  # per user: (tenant, role)
    cases: tuple[tuple[int, str, str | None, bool], ...]  # (owner, visibility, published visibility, redacted)


@st.composite
def worlds(draw: st.DrawFn) -> WorldSpec:
    kinds = tuple(draw(st.lists(st.sampled_from(["organisation", "network"]), min_size=1, max_size=5)))
    orgs = [i for i, k in enumerate(kinds) if k == "organisation"]
    nets = [i for i, k in enumerate(kinds) if k == "network"]
    pairs = [(o, n) for o in orgs for n in nets]
    joins = frozenset(draw(st.sets(st.sampled_from(pairs)))) if pairs else frozenset()
    member = st.tuples(st.integers(0, len(kinds) - 1), st.sampled_from(["viewer", "editor", "admin"]))
    members = tuple(frozenset(dict(draw(st.lists(member, max_size=3))).items())
                    for _ in range(draw(st.integers(0, 3))))
    case = st.tuples(st.integers(0, len(kinds) - 1), st.sampled_from(VISIBILITIES), st.sampled_from(PUBLISHED),
                     st.booleans())
    return WorldSpec(kinds, joins, members, tuple(draw(st.lists(case, min_size=1, max_size=6))))


def networks_of(spec: WorldSpec, tenants: set[int]) -> set[int]:
    return {n for o, n in spec.joins if o in tenants} | {t for t in tenants if spec.kinds[t] == "network"}


def expected(spec: WorldSpec, tenants: set[int]) -> set[int]:
    """The rule: members of the owner read the case; others the approved snapshot, when public, or when
    network and the owner shares a network with one of the reader's tenants (a network is in itself)."""
    mine = networks_of(spec, tenants)
    out = set()
    for i, (owner, _, published, _) in enumerate(spec.cases):
        if owner in tenants or published == "public" or (
                published == "network" and networks_of(spec, {owner}) & mine):
            out.add(i)
    return out


async def build(spec: WorldSpec) -> tuple[list[int], list[int], dict[int, int]]:
    await wipe()
    tenant_ids = []
    for i, kind in enumerate(spec.kinds):
        row = await Tenant.insert(Tenant(slug=f"t{i}", name=f"T{i}", kind=kind)).returning(Tenant.id)
        tenant_ids.append(row[0]["id"])
    for org, net in sorted(spec.joins):
        await NetworkMember.insert(NetworkMember(network=tenant_ids[net], member=tenant_ids[org]))
    user_ids = []
    for u, memberships in enumerate(spec.members):
        user_ids.append((await users.create_user(f"u{u}@example.org", f"u{u}", PASSWORD))["id"])
        for tenant, role in memberships:
            await Membership.insert(Membership(user=user_ids[-1], tenant=tenant_ids[tenant], role=role))
    case_ids = {}
    for i, (owner, visibility, published, redacted) in enumerate(spec.cases):
        data = make_case(f"case-{i}", sensitive=["locality"] if redacted else [])
        row = await CaseRecord.insert(CaseRecord(
            tenant=tenant_ids[owner], slug=data["slug"], visibility=visibility, title=data["title"],
            country=data["country"], status=data["status"], data=json.dumps(data), version=1,
            publication="published" if published else "draft", published_version=1 if published else None,
            published_visibility=published, published_data=json.dumps(data) if published else None,
        )).returning(CaseRecord.id)
        case_ids[row[0]["id"]] = i
    return tenant_ids, user_ids, case_ids


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(worlds())
async def test_the_four_implementations_of_the_access_rule_agree(clean, spec):
    tenant_ids, user_ids, case_ids = await build(spec)
    rows = await CaseRecord.select(*publishing.columns(publishing.CASES), CaseRecord.data)
    docs, _ = await documents_for("case")
    matcher = MatcherIndex(persist=False)
    await matcher.refresh()
    callers = [(ANONYMOUS, set())] + [
        (await actor_for_user(uid), {t for t, _ in spec.members[u]}) for u, uid in enumerate(user_ids)]
    for actor, tenants in callers:
        rule = expected(spec, tenants)
        python = {case_ids[r["id"]] for r in rows if visible_data(r, actor) is not None}
        direct = {case_ids[r["id"]] for r in rows if can_read(actor, r["tenant"], read_audience(
            r["tenant"], actor, r["visibility"], r["published_visibility"]))}
        named = {case_ids[r["id"]] for r in rows if can(actor, "record.read", r)}
        sql = {case_ids[r["id"]] for r in await CaseRecord.select(CaseRecord.id).where(
            read_condition(CaseRecord, actor))}
        labels = set(actor_labels(actor))
        search = {case_ids[int(d["id"][1:].rstrip("p"))] for d in docs
                  if labels & set(d["labels"]) and not labels & set(d["hide"])}
        mask = matcher.features.readable(matcher.scope_key(actor))
        scope = {case_ids[matcher.features.entries[s].case_id] for s in mask.nonzero()[0]}
        assert python == direct == named == sql == search == scope == rule, (spec, tenants)
