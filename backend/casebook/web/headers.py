"""Security headers on every response: pages run only the site's own scripts and are never framed."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# Styles may be inline (htmx adds its indicator style); scripts come only from /static.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Litestar's OpenAPI viewers at /schema load their scripts and styles from a CDN, with inline set-up.
SCHEMA_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
              "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
              "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://cdn.jsdelivr.net; "
              "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


async def security_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook: adds the headers to every HTTP response, errors and static files included."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    path = scope.get("path", "")
    viewer = (path == "/schema" or path.startswith("/schema/")) and not path.endswith((".json", ".yaml", ".yml"))
    headers["content-security-policy"] = SCHEMA_CSP if viewer else CSP
    for name, value in HEADERS.items():
        headers[name] = value
