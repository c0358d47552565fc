"""GET /api/v1/export: everything the caller may read, as JSON, YAML, CSV or UN registry JSON."""

from __future__ import annotations

from litestar import Response, get

from casebook.domain.access import Actor
from casebook.services import exports


@get("/export", tags=["exports"], summary="Export every case you may read (json, yaml, csv, un-registry)")
async def export_cases(actor: Actor, format: str = "json") -> Response:
    body, media_type = await exports.export(actor, format)
    extension = {"un-registry": "json"}.get(format, format)
    return Response(content=body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="casebook-export.{extension}"'})
