.PHONY: run test lint
run:  ## set up and run the app on http://127.0.0.1:8000 (SQLite, embedded search, seed library)
	scripts/run.sh
test: ## set up and run the whole test suite (SQLite and PostgreSQL)
	scripts/test.sh
lint: ## ruff, the import-layers contract and the type check (mypy: domain and services) of pyproject.toml
	.venv/bin/ruff check backend tests bench
	.venv/bin/lint-imports
	.venv/bin/mypy
