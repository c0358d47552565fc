"""Where the real registry data lives: ../shared/data next to the repository (or next to the main checkout,
for a git worktree one level further down). Tests and benchmarks that need it skip when it is absent."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data") if p.is_dir()),
                ROOT.parent / "shared" / "data")
