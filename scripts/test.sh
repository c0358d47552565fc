#!/usr/bin/env bash
# The whole test suite: lint, then every test on SQLite, then the database-bound tests on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/postgres.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check backend tests bench
echo "== import layers"
lint-imports
echo "== types (mypy: domain and services)"
mypy
echo "== pytest on SQLite"
pytest -q -rs -p no:cacheprovider "$@"
echo "== pytest on PostgreSQL"
CASEBOOK_TEST_PG="${CASEBOOK_TEST_PG:-postgresql://postgres@127.0.0.1:5432}" pytest -q -rs -p no:cacheprovider -m "not browser" "$@"
