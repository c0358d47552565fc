"""Expected outcomes of the tenant-isolation matrix: who may read and write each case of the test world."""

from __future__ import annotations

from tests.factory import CASES, USERS, case_slug

ALL = {case_slug(t, v) for t, v in CASES}
PUBLIC = {"alpha-public", "beta-public"}
ALPHA = {"alpha-private", "alpha-network", "alpha-public"}
BETA = {"beta-private", "beta-network", "beta-public"}
# alpha and gamma share the network "net"; beta shares nothing.
READS = {
    "anonymous": PUBLIC,
    **{u: ALPHA | PUBLIC | {"gamma-network"} for u in ("alpha_admin", "alpha_editor", "alpha_viewer")},
    **{u: BETA | PUBLIC for u in ("beta_admin", "beta_editor", "beta_viewer")},
    "gamma_editor": {"gamma-network", "alpha-network"} | PUBLIC,
    "net_admin": {"gamma-network", "alpha-network"} | PUBLIC,
}
WRITES = {"alpha_admin": ALPHA, "alpha_editor": ALPHA, "beta_admin": BETA, "beta_editor": BETA,
          "gamma_editor": {"gamma-network"}}
API_USERS = [u for u in READS if u == "anonymous" or USERS[u][0]]


def owner(slug: str) -> str:
    return slug.split("-")[0]


