"""One controller for every record kind (cases, lessons, …): create, read, update, delete, restore, the
revision history and the publishing transitions, parametrised by the kind; each kind adds its own list
(its filters differ) and extras. Also: versions from If-Match or the body, and ETags.

No `from __future__ import annotations` here: the handlers are made inside `record_controller`, and their
annotations (the kind's body and answer shapes) must be real objects for Litestar to read them.
"""

import re
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.handlers import HTTPRouteHandler
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from casebook.api.params import ActorDep, IfMatch, PathInt, PathStr
from casebook.api.schemas import Shape, shaped
from casebook.api.schemas.records import Publication, Revision
from casebook.domain.access import Actor
from casebook.domain.errors import InvalidInput, Problem
from casebook.services import publishing, records
from casebook.services.integrity import MAX_INT, storable_int


class Transition(msgspec.Struct, forbid_unknown_fields=True):
    """The version the actor reviewed (required to approve) and a comment (required to send back)."""

    version: int | None = None
    comment: str | None = None


TransitionBody = JSONBody[Transition | None]
PerPage = Annotated[int, QueryParameter(ge=1, le=records.MAX_PER_PAGE, description="Items per page")]


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


def with_etag(body: Any, status: int = 200) -> Response:
    """A versioned answer (a record or a plan shape) with its version as the ETag."""
    return Response(content=body, status_code=status, headers={"ETag": etag(body.version)})


async def run_transition(actor: Actor, kind: publishing.Kind, tenant: str, slug: str, action: str,
                         data: Transition | None) -> Publication:
    """One publishing transition from an API body (version reviewed, comment), the same for every kind."""
    body = data or Transition()
    return shaped(Publication, await publishing.transition(actor, kind, tenant, slug, action, comment=body.comment,
                                                           expected_version=body.version))


@dataclass(frozen=True)
class RecordApi:
    """What the API needs to know of a kind beyond the service's `RecordKind`: its answer shapes."""

    kind: records.RecordKind
    view: type[Shape]  # one record, as `RecordKind.present` makes it
    at_revision: type[Shape]  # one revision, its document under the kind's name

    @property
    def noun(self) -> str:
        return self.kind.name


TRANSITIONS = {
    "submit": "Submit a draft {noun} for review",
    "approve": "Approve the reviewed version: it becomes what others see (409 if it changed since)",
    "return": "Send a {noun} in review back to draft, with a comment",
    "withdraw": "Withdraw the published {noun}: others stop seeing it at once",
}


def _named(name: str, fn: Any) -> Any:
    fn.__name__ = fn.__qualname__ = name  # the handler's name, which the OpenAPI operation id is made from
    return fn


def _bodies(api: RecordApi) -> tuple[Any, Any]:
    """The create and update bodies: the document goes under the kind's name (`case`, `lesson`)."""
    title, noun = api.noun.capitalize(), api.noun
    create = msgspec.defstruct(f"{title}Create", [("tenant", str), (noun, dict[str, Any]),
                                                  ("visibility", str, "private")],
                               forbid_unknown_fields=True, module=__name__)
    update = msgspec.defstruct(f"{title}Update", [(noun, dict[str, Any]), ("version", int | None, None),
                                                  ("visibility", str | None, None)],
                               forbid_unknown_fields=True, module=__name__)
    return create, update


def _transition_handlers(api: RecordApi) -> dict[str, HTTPRouteHandler]:
    """One documented route per transition, and a hidden catch-all so that any other action is a 400 naming
    the four (before, lessons answered so and cases 404/405: the named answer tells a client what to send)."""
    pk = api.kind.publishing

    def handler(action: str) -> HTTPRouteHandler:
        async def transition(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr,
                             data: TransitionBody = None) -> Publication:
            return await run_transition(actor, pk, tenant, slug, action, data)
        return post(f"/{{tenant:str}}/{{slug:str}}/{action}", status_code=200,
                    summary=TRANSITIONS[action].format(noun=api.noun))(_named(action, transition))

    async def other(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr, action: PathStr,
                    data: TransitionBody = None) -> Publication:
        return await run_transition(actor, pk, tenant, slug, action, data)

    handlers = {f"{action}_{api.noun}": handler(action) for action in TRANSITIONS}
    handlers["other_transition"] = post("/{tenant:str}/{slug:str}/{action:str}", status_code=200,
                                        include_in_schema=False)(other)
    return handlers


def record_controller(api: RecordApi, **extras: HTTPRouteHandler) -> type[Controller]:
    """The controller of one kind under /{kind.path}: the shared routes plus the kind's `extras` (its list,
    say), which are handlers taking `self` like any controller method."""
    kind, noun, View, AtRevision = api.kind, api.noun, api.view, api.at_revision
    Create, Update = _bodies(api)

    async def create(self: Controller, actor: ActorDep, data: JSONBody[Create]) -> Response[View]:
        created = await records.create(kind, actor, data.tenant, getattr(data, noun), data.visibility)
        return with_etag(shaped(View, created), HTTP_201_CREATED)

    async def read(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response[View]:
        return with_etag(shaped(View, await records.get(kind, actor, tenant, slug)))

    async def update(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr, data: JSONBody[Update],
                     if_match: IfMatch = None) -> Response[View]:
        version = version_from(if_match, data.version)
        updated = await records.update(kind, actor, tenant, slug, getattr(data, noun), version, data.visibility)
        return with_etag(shaped(View, updated))

    async def remove(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr,
                     if_match: IfMatch = None) -> None:
        await records.delete(kind, actor, tenant, slug, version_from(if_match, None))

    async def restore(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response[View]:
        return with_etag(shaped(View, await records.restore(kind, actor, tenant, slug)))

    async def revisions(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr) -> list[Revision]:
        return shaped(list[Revision], await records.revisions(kind, actor, tenant, slug))

    async def revision(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr,
                       version: PathInt) -> AtRevision:
        return shaped(AtRevision, await records.revision(kind, actor, tenant, slug, version))

    one = "/{tenant:str}/{slug:str}"
    handlers = {
        f"create_{noun}": post("/", summary=f"Create a {noun} in one of your organisations (a draft until approved)",
                               status_code=HTTP_201_CREATED)(_named(f"create_{noun}", create)),
        f"get_{noun}": get(one, summary=f"Read a {noun}")(_named(f"get_{noun}", read)),
        f"update_{noun}": put(one, summary=f"Replace a {noun}; send the edited version or If-Match")(
            _named(f"update_{noun}", update)),
        f"delete_{noun}": delete(one, summary=f"Delete a {noun} (it can be restored)",
                                 status_code=HTTP_204_NO_CONTENT)(_named(f"delete_{noun}", remove)),
        f"restore_{noun}": post(f"{one}/restore", summary=f"Restore a deleted {noun}", status_code=200)(
            _named(f"restore_{noun}", restore)),
        "revisions": get(f"{one}/revisions", summary=f"The revision history of a {noun}")(revisions),
        "revision": get(f"{one}/revisions/{{version:int}}", summary=f"One revision of a {noun}")(revision),
        **_transition_handlers(api),
        **extras,
    }
    namespace = {"path": f"/{kind.publishing.path}", "tags": [kind.publishing.path], **handlers,
                 "__doc__": f"The {kind.publishing.path} under /api/v1/{kind.publishing.path}.",
                 "__module__": __name__}
    return type(f"{noun.capitalize()}Controller", (Controller,), namespace)
