.PHONY: run test lint
run:  ## set up and run the app on http://127.0.0.1:8000 (SQLite, embedded search, seed library)
	scripts/run.sh
test: ## set up and run the whole test suite (SQLite and PostgreSQL)
	scripts/test.sh
lint: ## ruff, and the import-layers contract of pyproject.toml (lint-imports)
	.venv/bin/ruff check backend tests bench
	.venv/bin/lint-imports
