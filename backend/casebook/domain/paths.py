"""Where the repository keeps the files the code reads (case schema, vocabulary, templates, search config).

Pure constants, so the domain can read its schema and vocabulary without the environment-reading settings.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
CASES_DIR = REPO_ROOT / "cases"
FRONTEND_DIR = REPO_ROOT / "frontend"
SEARCH_CONFIG_DIR = REPO_ROOT / "search"
