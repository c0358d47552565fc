"""The site's own address: absolute links come from the configured base URL, and a request naming a host
the site does not serve is refused, so a forged `Host` header never reaches a feed or an invitation link."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar import Request
from litestar.exceptions import HTTPException

from casebook.settings import Settings


def _settings(request: Request) -> Settings:
    """The settings of the runtime serving this request (the app's state holds it)."""
    return request.app.state.runtime.settings


def _hostname(host: str) -> str:
    """`example.org:8000` -> `example.org`; `[::1]:8000` -> `::1`."""
    return (urlsplit(f"//{host}").hostname or "").lower()


def host_allowed(host: str, settings: Settings) -> bool:
    allowed = set(settings.allowed_hosts)
    if settings.base_url:
        allowed.add((urlsplit(settings.base_url).hostname or "").lower())
    return "*" in allowed or _hostname(host) in allowed


async def check_host(request: Request) -> None:
    """App hook before every handler: 400 for a Host the site does not serve."""
    if not host_allowed(request.headers.get("host", ""), _settings(request)):
        raise HTTPException(status_code=400, detail="the Host header names a site this server does not serve")


def site_url(request: Request) -> str:
    """The base for absolute links, without a trailing slash."""
    return _settings(request).base_url or str(request.base_url).rstrip("/")


def client_address(request: Request) -> str:
    """The caller's address. X-Forwarded-For counts only when the connection comes from a trusted proxy
    (CASEBOOK_TRUSTED_PROXIES); then the last address not itself a trusted proxy is the client."""
    peer = request.client.host if request.client else "unknown"
    trusted = set(_settings(request).trusted_proxies)
    if peer not in trusted:
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return peer
