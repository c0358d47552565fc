"""Settings read from the environment, so the same code runs embedded (SQLite) or in production."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_dir

from casebook import active
from casebook.domain.paths import CASES_DIR as CASES_DIR  # re-exported: the settings' readers find paths here too
from casebook.domain.paths import FRONTEND_DIR as FRONTEND_DIR
from casebook.domain.paths import REPO_ROOT as REPO_ROOT
from casebook.domain.paths import SEARCH_CONFIG_DIR as SEARCH_CONFIG_DIR

MAX_REQUEST_BYTES = 10_000_000
"""The largest request body accepted (uploads included)."""
MAX_FORM_PARTS = MAX_REQUEST_BYTES // 1_000
"""Files and fields per form: as many as the size limit allows for parts of at least 1 kB (a case file is
a few kB), so an upload is refused for its size, not its count."""


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None
    meili_url: str | None
    meili_key: str | None
    secret_key: bytes
    demo_password: str | None
    library_tenant: str = "library"
    base_url: str | None = None
    """CASEBOOK_BASE_URL: the site's public address; absolute links (feeds, invitations) use it, never the
    request's Host header."""
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    """CASEBOOK_ALLOWED_HOSTS (comma-separated host names, `*` for any): requests naming another Host get 400.
    The base URL's host is always allowed."""
    trusted_proxies: tuple[str, ...] = ()
    """CASEBOOK_TRUSTED_PROXIES (comma-separated addresses): only a request from one of them may name the
    client address in X-Forwarded-For (sign-in rate limits count per address)."""
    tls: bool = False
    """CASEBOOK_TLS=1: the site is served over HTTPS, so cookies are marked `Secure`."""

    @property
    def link_base(self) -> str | None:
        """The base of absolute links made outside a request (PDF and Word files): CASEBOOK_BASE_URL. None when
        it is not set: a link to where `make run` listens (127.0.0.1) opens nothing on a partner's computer."""
        return self.base_url

    @property
    def sqlite_path(self) -> Path:
        return self.home / "casebook.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def engine_name(self) -> str:
        return "postgres" if self.database_url else "sqlite"


def _names(environ: Mapping[str, str], variable: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = environ.get(variable)
    if value is None:
        return default
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def _base_url(environ: Mapping[str, str]) -> str | None:
    value = (environ.get("CASEBOOK_BASE_URL") or "").strip().rstrip("/")
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise ValueError(f"CASEBOOK_BASE_URL must start with http:// or https://, not {value!r}")
    return value or None


def _secret(environ: Mapping[str, str], home: Path) -> bytes:
    """The cookie secret: from the environment, else generated once and kept in CASEBOOK_HOME."""
    env = environ.get("CASEBOOK_SECRET_KEY")
    if env:
        return env.encode()[:32].ljust(32, b"0")
    path = home / "secret.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip().encode()[:32]


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings the environment describes (os.environ unless given): what the app and the CLI run with."""
    environ = os.environ if environ is None else environ
    home = Path(environ.get("CASEBOOK_HOME") or user_data_dir("casebook")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return Settings(
        home=home,
        database_url=environ.get("CASEBOOK_DATABASE_URL") or None,
        meili_url=environ.get("MEILI_URL") or None,
        meili_key=environ.get("MEILI_MASTER_KEY") or environ.get("MEILI_KEY") or None,
        secret_key=_secret(environ, home),
        demo_password=environ.get("CASEBOOK_DEMO_PASSWORD") or None,
        base_url=_base_url(environ),
        allowed_hosts=_names(environ, "CASEBOOK_ALLOWED_HOSTS", Settings.allowed_hosts),
        trusted_proxies=_names(environ, "CASEBOOK_TRUSTED_PROXIES", ()),
        tls=environ.get("CASEBOOK_TLS", "").strip().lower() in ("1", "true", "yes"),
    )


def get_settings() -> Settings:
    """The running runtime's settings (casebook.runtime); before one runs, the environment's. For code not
    handed the runtime: the matcher's model files, links in rendered plans (pages read their request's runtime)."""
    runtime = active.runtime()
    return runtime.settings if runtime is not None else settings_from_env()
