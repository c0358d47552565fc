"""GET /api/v1/export: every case and lesson the caller may read, as JSON, YAML, CSV or UN registry JSON."""

from __future__ import annotations

from litestar import Response, get

from casebook.api.params import ActorDep, OptQueryStr, QueryStr
from casebook.services import exports


@get("/export", tags=["exports"], summary="Export every case and lesson you may read (json, yaml, csv, un-registry)",
     description="`kind=case|lesson` exports one kind only. JSON and YAML hold both kinds by default; CSV "
                 "holds cases unless `kind=lesson` (its own columns); un-registry holds cases only.")
async def export_cases(actor: ActorDep, format: QueryStr = "json", kind: OptQueryStr = None) -> Response:
    body, media_type = await exports.export(actor, format, kind)
    extension = {"un-registry": "json"}.get(format, format)
    return Response(content=body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="casebook-export.{extension}"'})
