#!/usr/bin/env bash
# Runs Casebook on its embedded defaults: SQLite and the embedded search index under CASEBOOK_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
exec .venv/bin/casebook serve --host "${CASEBOOK_HOST:-127.0.0.1}" --port "${CASEBOOK_PORT:-8000}"
