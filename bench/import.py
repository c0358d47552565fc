"""Import benchmark: records per second of both registry importers, against a bare bulk insert of the same rows.

    python bench/import.py [--runs 3] [--database-url postgresql://postgres@127.0.0.1:5432/DB]

Prints JSON. Each importer run reads and validates the file, writes every record in one transaction
(rows, revisions, facets, outbox, audit) and applies the search outbox to the embedded index; then it
runs again over the unchanged file (the re-run path). The baseline inserts the same case rows (only the
`case_record` rows, one executemany in one transaction) into the same database, for a
fresh tenant. Runs in a throwaway CASEBOOK_HOME; SQLite unless --database-url names a PostgreSQL
database (it must exist and be empty: the benchmark migrates it). Needs ../shared/data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["CASEBOOK_HOME"] = tempfile.mkdtemp(prefix="casebook-bench-import-")
os.environ.pop("MEILI_URL", None)
ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data") if p.is_dir()),
                ROOT.parent / "shared" / "data")
FILES = {"un-registry": DATA_DIR / "un-partnerships-2018.jsonl",
         "undp-south-south": DATA_DIR / "undp-south-south-2023.csv"}


async def bare_insert(tenant_id: int, documents: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds to insert the same case rows, nothing else, in one transaction, through the driver's executemany."""
    from casebook.db.bulk import insert_rows
    from casebook.db.tables import CaseRecord
    from casebook.db.transaction import write_transaction

    started = time.perf_counter()
    async with write_transaction():
        await insert_rows(CaseRecord, [{"tenant": tenant_id, "slug": d["slug"], "visibility": "public",
                                        "title": d["title"], "country": d.get("country"), "status": d["status"],
                                        "data": json.dumps(d), "version": 1} for _, d in documents])
    return time.perf_counter() - started


async def one_run(name: str, run: int) -> dict[str, float]:
    from casebook import active
    from casebook.importers.pipeline import convert
    from casebook.importers.un_registry import UN_REGISTRY
    from casebook.importers.undp_south_south import UNDP_SOUTH_SOUTH
    from casebook.services import library, tenants
    from casebook.services import search as service
    from casebook.services.actors import system_actor

    registry = {"un-registry": UN_REGISTRY, "undp-south-south": UNDP_SOUTH_SOUTH}[name]
    tenant = await tenants.create_tenant(f"b-{name}-{run}", "Bench")
    baseline = await tenants.create_tenant(f"bare-{name}-{run}", "Bench bare")
    operator = system_actor(tenant["id"])

    async def full() -> tuple[dict[str, float], dict[str, int], int]:
        started = time.perf_counter()
        documents, problems = convert(registry, FILES[name], 2026)
        assert not problems, problems[:3]
        read = time.perf_counter()
        counts = await library.import_documents(operator, tenant["slug"], documents, "public", replace=True)
        written = time.perf_counter()
        await service.sync_pending(active.require().search)
        done = time.perf_counter()
        return ({"total": done - started, "read_validate": read - started, "write": written - read,
                 "index": done - written}, counts, len(documents))

    first, counts, n = await full()
    assert counts["created"] == n, counts
    again, counts, _ = await full()
    assert counts["unchanged"] == n, counts
    documents, _ = convert(registry, FILES[name], 2026)
    bare = await bare_insert(baseline["id"], documents)
    return {"records": n, "import_s": first["total"], "rerun_s": again["total"], "bare_insert_s": bare,
            **{f"{k}_s": v for k, v in first.items() if k != "total"}}


async def main(runs: int) -> dict[str, Any]:
    from casebook.db.migrate import migrate
    from casebook.runtime import Runtime

    missing = [str(p) for p in FILES.values() if not p.exists()]
    if missing:
        return {"skipped": f"absent: {', '.join(missing)}"}
    runtime = await Runtime.build().start(pool=False)
    await migrate()
    out: dict[str, Any] = {"database": "postgresql" if os.environ.get("CASEBOOK_DATABASE_URL") else "sqlite"}
    try:
        for name in FILES:
            samples = [await one_run(name, run) for run in range(runs)]
            n = samples[0]["records"]
            med = {k: statistics.median(s[k] for s in samples) for k in samples[0] if k != "records"}
            out[name] = {
                "records": n, "runs": runs,
                "import_records_per_s": round(n / med["import_s"]),
                "rerun_unchanged_records_per_s": round(n / med["rerun_s"]),
                "bare_insert_records_per_s": round(n / med["bare_insert_s"]),
                "import_to_bare_ratio": round(med["import_s"] / med["bare_insert_s"], 2),
                "target_1000_per_s": n / med["import_s"] >= 1000,
                "phases_s": {k: round(med[f"{k}_s"], 2) for k in ("read_validate", "write", "index")},
            }
    finally:
        await runtime.close()
    out["measures"] = ("import: read + map + validate the file, one-transaction write (rows, revisions, facets, "
                       "outbox, audit), then the search outbox applied to the embedded tantivy index; rerun: the "
                       "same unchanged file again; bare insert: only the case_record rows of the same documents, "
                       "one executemany through the driver in one transaction, same database; medians of the runs")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.database_url:
        os.environ["CASEBOOK_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("CASEBOOK_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        print(json.dumps(asyncio.run(main(args.runs)), indent=2))
    finally:
        shutil.rmtree(os.environ["CASEBOOK_HOME"], ignore_errors=True)
