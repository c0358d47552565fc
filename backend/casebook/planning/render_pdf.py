"""PDF rendering with WeasyPrint. The URL fetcher serves only the app's own static files: a plan holds
user text, so nothing in it may make the server fetch a remote (or any other local) URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from casebook.planning import render_html
from casebook.settings import FRONTEND_DIR

STATIC_DIR = (FRONTEND_DIR / "static").resolve()
BASE_URL = STATIC_DIR.parent.as_uri() + "/"  # so href="static/css/…" resolves under frontend/
MIME = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2"}


class RefusedURL(ValueError):
    pass


def static_path(url: str) -> Path:
    """The file under frontend/static that `url` names; anything else is refused."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise RefusedURL(f"refused to fetch {url[:200]!r}: only the app's static files may be used")
    path = Path(unquote(parsed.path)).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file() or path.suffix not in MIME:
        raise RefusedURL(f"refused to fetch {url[:200]!r}: not one of the app's static files")
    return path


class StaticOnlyFetcher(URLFetcher):
    """Never opens a network connection: every URL is checked by `static_path` and read from disk."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_path(url)
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": MIME[path.suffix]})


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render(plan: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html.render(plan, links=False))
