"""Settings read from the environment, so the same code runs embedded (SQLite) or in production."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = REPO_ROOT / "cases"
FRONTEND_DIR = REPO_ROOT / "frontend"
SEARCH_CONFIG_DIR = REPO_ROOT / "search"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None
    meili_url: str | None
    meili_key: str | None
    secret_key: bytes
    demo_password: str | None
    library_tenant: str = "library"
    base_url: str = "http://127.0.0.1:8000"  # where the app is reached: absolute links in PDFs and Word files

    @property
    def sqlite_path(self) -> Path:
        return self.home / "casebook.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def engine_name(self) -> str:
        return "postgres" if self.database_url else "sqlite"


def _secret(home: Path) -> bytes:
    """The cookie secret: from the environment, else generated once and kept in CASEBOOK_HOME."""
    env = os.environ.get("CASEBOOK_SECRET_KEY")
    if env:
        return env.encode()[:32].ljust(32, b"0")
    path = home / "secret.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip().encode()[:32]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    home = Path(os.environ.get("CASEBOOK_HOME") or user_data_dir("casebook")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return Settings(
        home=home,
        database_url=os.environ.get("CASEBOOK_DATABASE_URL") or None,
        meili_url=os.environ.get("MEILI_URL") or None,
        meili_key=os.environ.get("MEILI_MASTER_KEY") or os.environ.get("MEILI_KEY") or None,
        secret_key=_secret(home),
        demo_password=os.environ.get("CASEBOOK_DEMO_PASSWORD") or None,
        base_url=(os.environ.get("CASEBOOK_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
    )
