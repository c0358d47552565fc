"""What the record controllers (cases, lessons) share: versions from If-Match or the body, ETags, and the
publishing transitions."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Response
from litestar.params import JSONBody

from casebook.domain.access import Actor
from casebook.domain.errors import InvalidInput, Problem
from casebook.services import publishing
from casebook.services.integrity import MAX_INT, storable_int


class Transition(msgspec.Struct, forbid_unknown_fields=True):
    """The version the actor reviewed (required to approve) and a comment (required to send back)."""

    version: int | None = None
    comment: str | None = None


TransitionBody = JSONBody[Transition | None]


def etag(version: int) -> str:
    return f'"v{version}"'


def version_from(if_match: str | None, body_version: int | None) -> int | None:
    """The version a writer edited: from If-Match ("v3", "3", W/"v3") or from the body."""
    if if_match:
        match = re.fullmatch(r'\s*(?:W/)?"?v?(\d+)"?\s*', if_match)
        if not match:
            raise InvalidInput(Problem('use If-Match: "v<version>"', field="If-Match"))
        header_version = int(match.group(1))
        if not storable_int(header_version):
            raise InvalidInput(Problem(f"the version must be at most {MAX_INT}", field="If-Match"))
        if body_version is not None and body_version != header_version:
            raise InvalidInput(Problem("If-Match and version disagree", field="version"))
        return header_version
    if body_version is not None and not storable_int(body_version):
        raise InvalidInput(Problem(f"must be at most {MAX_INT}", field="version"))
    return body_version


def with_etag(case: dict[str, Any], status: int = 200) -> Response:
    return Response(content=case, status_code=status, headers={"ETag": etag(case["version"])})


async def run_transition(actor: Actor, kind: publishing.Kind, tenant: str, slug: str, action: str,
                         data: Transition | None) -> dict[str, Any]:
    """One publishing transition from an API body (version reviewed, comment), the same for every kind."""
    body = data or Transition()
    return await publishing.transition(actor, kind, tenant, slug, action, comment=body.comment,
                                       expected_version=body.version)
