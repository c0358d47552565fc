"""Saved target contexts under /api/v1/contexts: list, save, read, delete (private to your organisation)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from casebook.api.params import ActorDep, PathInt
from casebook.api.schemas import shaped
from casebook.api.schemas.contexts import SavedContext, SavedContextList
from casebook.services import contexts


class ContextCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    context: dict[str, Any]
    tenant: str | None = None
    source: str | None = None  # the case the context was taken from; the owner's members must read it


class ContextController(Controller):
    path = "/contexts"
    tags = ["contexts"]

    @get("/", summary="The saved target contexts of your organisations")
    async def list_contexts(self, actor: ActorDep) -> SavedContextList:
        items = await contexts.list_contexts(actor)
        return shaped(SavedContextList, {"items": items, "total": len(items)})

    @post("/", summary="Save a target context (validated like a match or plan target)", status_code=HTTP_201_CREATED)
    async def create_context(self, actor: ActorDep, data: JSONBody[ContextCreate]) -> SavedContext:
        return shaped(SavedContext, await contexts.create_context(actor, data.name, data.context, data.tenant,
                                                                  data.source))

    @get("/{context_id:int}", summary="One saved target context")
    async def get_context(self, actor: ActorDep, context_id: PathInt) -> SavedContext:
        return shaped(SavedContext, await contexts.get_context(actor, context_id))

    @delete("/{context_id:int}", summary="Delete a saved target context", status_code=HTTP_204_NO_CONTENT)
    async def delete_context(self, actor: ActorDep, context_id: PathInt) -> None:
        await contexts.delete_context(actor, context_id)
