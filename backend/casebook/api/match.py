"""POST /api/v1/match: the most comparable cases to a case or a target context, with explanations."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import post
from litestar.params import Body

from casebook.api.params import ActorDep, RuntimeDep
from casebook.api.schemas import shaped
from casebook.api.schemas.match import MatchResults
from casebook.domain.errors import InvalidInput, Problem
from casebook.services import matching as service

BODY_KEYS = ("case", "context", "weights", "top")
MatchBody = Annotated[dict[str, Any], Body(
    description='{"case": "tenant/slug" or "slug"} or {"context": {...}}, optional "weights" and "top"')]


@post("/match", summary="Rank the cases you may read by similarity, and explain each match", tags=["match"],
      status_code=200)
async def match_cases(actor: ActorDep, runtime: RuntimeDep, data: MatchBody) -> MatchResults:
    unknown = sorted(set(data) - set(BODY_KEYS))
    if unknown:
        raise InvalidInput([Problem(f"unknown key; use {', '.join(BODY_KEYS)}", field=k) for k in unknown])
    return shaped(MatchResults, await service.match(actor, case=data.get("case"), context=data.get("context"),
                                                    weights=data.get("weights"), top=data.get("top", 10),
                                                    index=runtime.matcher))
