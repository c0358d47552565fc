"""The app is wired in Litestar 3's explicit style: no inferred dependencies, parameters or bodies.

Litestar 2.25 still infers them but warns at app creation; Litestar 3 will not infer them, so a handler
written in the old style would silently lose its `actor`, path values or body after the upgrade.
"""

from __future__ import annotations

import warnings

from litestar.exceptions import LitestarDeprecationWarning

from casebook.app import create_app
from tests.conftest import RUNTIME


def test_creating_the_app_emits_no_litestar_deprecation_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", LitestarDeprecationWarning)
        app = create_app(RUNTIME)
    assert any(r.path == "/api/v1/cases/{tenant:str}/{slug:str}" for r in app.routes)


async def test_the_schema_still_names_where_each_value_comes_from(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    def params(path: str, method: str) -> dict[str, tuple[str, bool]]:
        return {p["name"]: (p["in"], p.get("required", False)) for p in paths[path][method].get("parameters", [])}

    put_case = params("/api/v1/cases/{tenant}/{slug}", "put")
    assert put_case == {"tenant": ("path", True), "slug": ("path", True), "If-Match": ("header", False)}
    assert "requestBody" in paths["/api/v1/cases/{tenant}/{slug}"]["put"]
    listing = {p["name"]: p for p in paths["/api/v1/cases"]["get"]["parameters"]}
    assert listing["page"]["in"] == "query" and listing["page"]["schema"]["minimum"] == 1
    assert listing["deleted"]["in"] == "query" and not listing["deleted"].get("required", False)
    assert params("/api/v1/plans/{plan_id}", "delete")["version"] == ("query", False)
    assert params("/api/v1/search/suggest", "get") == {"q": ("query", False)}
    assert "actor" not in str(paths)  # a dependency, never a parameter a client sends
