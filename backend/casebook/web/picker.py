"""The case pickers' suggestions: GET /cases/suggest?q= answers JSON for static/js/picker.js.

A page route (the session's reader), not an API one: the pickers live on pages, and the API knows only bearer
tokens. The search index serves it through the same access rule as every search.
"""

from __future__ import annotations

from typing import Any

from litestar import get

from casebook.api.params import ActorDep, QueryStr, RuntimeDep
from casebook.services import case_picker


@get("/cases/suggest", name="case-suggest", cache=False)
async def suggest(actor: ActorDep, runtime: RuntimeDep, q: QueryStr = "") -> dict[str, Any]:
    """`{total, options: [{ref, title, country, evidence_level, status, building_blocks, url}]}`, best evidence
    first; `total` counts every readable case matching, so the picker can ask for more letters."""
    return await case_picker.suggest(actor, q, runtime.search)


PAGES = [suggest]
