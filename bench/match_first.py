"""The first match a user asks for after a large import: how long the match page takes to answer.

    python bench/match_first.py [--home DIR] [--wait S]

Builds (or reuses, with --home) a CASEBOOK_HOME holding the seed library and the UN registry
records (`casebook init`, `casebook import un-registry ... --tenant library --visibility public`),
starts the real server (uvicorn, in its own process) and times, over HTTP:
- `first_get_ms`: the first plain GET of the match page with a filled-in target, sent as soon as
  /healthz answers (a user arriving while the server warms up);
- `results_ready_s`: from start-up until that page shows results (polling the results fragment);
- `warm_get_ms`: the same GET once results are ready, and `warm_p95_ms` over 20 more targets.
Each run starts with the matcher's stored models deleted (`--keep-models` keeps them: a restart).
Prints JSON. Needs ../shared/data; says so and exits when it is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("CASEBOOK_DATA_DIR") or ROOT.parent / "shared" / "data") / "un-partnerships-2018.jsonl"
TARGET = {"title": "Mistrust between a steel plant and residents", "country": "RS", "sectors": "steel",
          "summary": "Residents distrust the privatised steel plant over air pollution and lay-offs.",
          "ctx_trust": "low"}
MORE = ["copper smelter pollution", "palm oil land dispute", "cyclone logistics companies", "measles vaccination",
        "legal aid women violence", "microfinance small firms", "solar energy villages", "water utility slums",
        "youth jobs training", "fisheries cooperative", "cocoa farmers traceability", "school meals",
        "waste pickers recycling", "mobile money rural", "forest carbon communities", "tourism island reef",
        "garment factory workers", "refugee camp services", "drought early warning", "post-conflict reconciliation"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(home: Path, env: dict[str, str]) -> None:
    if (home / "casebook.sqlite3").exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "casebook.cli"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "import", "un-registry", str(DATA), "--tenant", "library", "--visibility", "public"],
                   env=env, check=True, capture_output=True)


def url(base: str, path: str, params: dict[str, str]) -> str:
    return f"{base}{path}?{urlencode(params)}"


def has_results(html: str) -> bool:
    return 'class="match-list"' in html


def measure(home: Path, env: dict[str, str], keep_models: bool, timeout: float) -> dict:
    if not keep_models:
        shutil.rmtree(home / "matcher", ignore_errors=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "casebook.app:create_app", "--factory",
                               "--port", str(port), "--log-level", "warning"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(timeout=120) as client:
            while True:
                try:
                    if client.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            up_s = time.perf_counter() - started
            t0 = time.perf_counter()
            first = client.get(url(base, "/match", TARGET))
            first_ms = (time.perf_counter() - t0) * 1000
            ready = has_results(first.text)
            while not ready and time.perf_counter() - started < timeout:
                time.sleep(0.2)
                ready = has_results(client.get(url(base, "/match/results", TARGET)).text)
            ready_s = time.perf_counter() - started
            t0 = time.perf_counter()
            warm = client.get(url(base, "/match", TARGET))
            warm_ms = (time.perf_counter() - t0) * 1000
            times = []
            for words in MORE:
                t0 = time.perf_counter()
                client.get(url(base, "/match", {"title": words, "country": "KE"}))
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"server_up_s": round(up_s, 2), "first_get_ms": round(first_ms, 1), "first_get_status": first.status_code,
            "first_get_had_results": has_results(first.text),
            "first_get_showed_progress": 'id="match-progress"' in first.text,
            "results_ready_s": round(ready_s, 2), "warm_get_ms": round(warm_ms, 1),
            "warm_get_had_results": has_results(warm.text),
            "warm_p50_ms": round(times[len(times) // 2], 1), "warm_p95_ms": round(times[int(len(times) * 0.95)], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="reuse this CASEBOOK_HOME (built when empty)")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--keep-models", action="store_true", help="keep stored matcher models (a restart)")
    args = parser.parse_args()
    if not DATA.exists():
        print(json.dumps({"skipped": f"{DATA} is absent"}))
        return
    home = args.home or Path(tempfile.mkdtemp(prefix="casebook-match-first-"))
    env = {**os.environ, "CASEBOOK_HOME": str(home), "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT}"}
    env.pop("CASEBOOK_DATABASE_URL", None)
    env.pop("MEILI_URL", None)
    t0 = time.perf_counter()
    prepare(home, env)
    report = {"home": str(home), "prepare_s": round(time.perf_counter() - t0, 1),
              "cold": measure(home, env, args.keep_models, args.timeout),
              "restart": measure(home, env, True, args.timeout),
              "load_average": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
