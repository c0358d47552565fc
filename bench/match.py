"""Matcher speed: p50/p95 of a top-10 match at 1,000 / 10,000 / 50,000 cases, build time and memory.

    python bench/match.py [--sizes 1000,10000,50000] [--queries 40]

Corpus: the seed cases, then UN Partnerships registry records (../shared/data, when present) turned
into case documents, then synthetic cases that recombine those texts with random tags, contexts and
countries. Each size runs in its own process with its own CASEBOOK_HOME, so `peak_rss_mb` is that
size's high-water mark (corpus included). Reported per size: `fit_s` (cold: fit the scope model on
its sample, transform every case, store it), `restart_load_s` (a new index loading the stored model),
`first_match_new_scope_ms` (the first match of a new tenant with 3 private cases, the public model
already saved and loaded: every organisation's first user pays it), then that scope's
`new_scope_p95_ms` and `new_scope_own_mb` (the arrays it does not share with the public model),
p50/p95 of `rank` (scores, top 10, explanations), `edit_applied_ms` (one edited case transformed
into the warm index) and whether that edited case is then found first. Prints JSON. Targets: p95 <
50 ms at 10,000 and < 250 ms at 50,000. The baseline is a brute-force numpy cosine over the same
vectors (latent text + one-hot facets, L2-normalised, dense) with a full sort, timed with the
query's transform; the ratios compare the matcher's percentiles to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))

from casebook.domain.access import Actor  # noqa: E402
from casebook.domain.casefile import load_case_files  # noqa: E402
from casebook.domain.vocabulary import CONTEXT_SCALES, HUMAN_SECURITY, PARTNER_TYPES  # noqa: E402
from casebook.matching import geography  # noqa: E402
from casebook.matching.entries import Entry  # noqa: E402
from casebook.matching.index import MatcherIndex  # noqa: E402
from casebook.matching.profile import SET_FACETS, profile  # noqa: E402
from casebook.matching.scope_models import ScopeModel  # noqa: E402
from casebook.matching.scopes import ScopeKey  # noqa: E402
from casebook.matching.service import rank  # noqa: E402
from casebook.matching.text import FIT_SAMPLE  # noqa: E402
from casebook.matching.weights import DEFAULT_WEIGHTS  # noqa: E402
from casebook.settings import CASES_DIR  # noqa: E402

DATA_DIR = Path(os.environ.get("CASEBOOK_DATA_DIR") or ROOT.parent / "shared" / "data")  # a worktree sets it
DATA = DATA_DIR / "un-partnerships-2018.jsonl"
COUNTRIES = sorted(geography._places())


def registry_docs() -> list[dict]:
    """The UN registry records as the project's importer turns them into cases (what the service matches)."""
    if not DATA.exists():
        return []
    from casebook.importers.pipeline import convert
    from casebook.importers.un_registry import UN_REGISTRY
    documents, _ = convert(UN_REGISTRY, DATA, 2026)
    return [doc for _, doc in documents]


def synthetic(rng: random.Random, pool: list[dict], seeds: list[dict], i: int) -> dict:
    base, other = rng.choice(pool), rng.choice(pool)
    tags = {k: sorted({t for s in rng.sample(seeds, 3) for t in s.get(k) or []})[:4]
            for k in ("sectors", "scenarios", "challenges", "tools", "population_groups")}
    return {"slug": f"syn-{i}", "title": f"{base['title'][:120]} / {other['title'][:60]}",
            "summary": f"{base.get('summary', '')[:1500]} {other.get('summary', '')[:500]}",
            "country": rng.choice(COUNTRIES),
            "sdgs": rng.sample(range(1, 18), 3) + [f"{rng.randint(1, 17)}.{rng.randint(1, 9)}"],
            "human_security": rng.sample(HUMAN_SECURITY, 2),
            "context": {k: rng.choice(v) for k, v in rng.sample(sorted(CONTEXT_SCALES.items()), 3)},
            "partners": [{"name": "p", "type": t} for t in rng.sample(PARTNER_TYPES, 3)], **tags}


def corpus(size: int, seeds: list[dict], registry: list[dict]) -> list[dict]:
    rng = random.Random(size)
    docs = (seeds + registry)[:size]
    pool = registry or seeds
    docs += [synthetic(rng, pool, seeds, i) for i in range(size - len(docs))]
    return docs


def dense_vectors(index: MatcherIndex, scope: ScopeModel) -> np.ndarray:
    f = index.features
    blocks = [scope.latent] + [f.sets[k][scope.slots].toarray() for k in SET_FACETS]
    return np.hstack(blocks).astype(np.float32)


def percentile(values: list[float], q: int) -> float:
    return round(float(np.percentile(values, q)), 2)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def first_match_new_scope(index: MatcherIndex, docs: list[dict], query: dict) -> tuple[float, ScopeModel]:
    """Seconds for a new tenant's first match (its scope, then the ranking), as the service does it,
    with 3 private cases of its own on top of the library; and the scope model it got."""
    tenant = 2
    private = [dict(d, slug=f"private-{i}", title=f"Our own partnership {i}: {d['title'][:80]}")
               for i, d in enumerate(docs[:3])]
    start = len(docs) + 1
    index.apply_changes({start + i: [Entry(start + i, tenant, "newcomer", d["slug"], d)]
                         for i, d in enumerate(private)})
    actor = Actor(user_id=1, roles={tenant: "viewer"}, active_tenant=tenant)
    out: list = []

    async def timed_first() -> None:
        start_s = time.perf_counter()
        scope = await index.scope_for(actor)
        rank(index, scope, query, dict(DEFAULT_WEIGHTS), 10)
        out.extend([time.perf_counter() - start_s, scope])
        await asyncio.gather(*index.refits.values())  # a background fit must not outlive the loop
    asyncio.run(timed_first())
    return out[0], out[1]


def run(size: int, seeds: list[dict], registry: list[dict], queries: list[dict]) -> dict:
    """One size, in its own process (see main), so the peak RSS is this size's own."""
    docs = corpus(size, seeds, registry)
    public = ScopeKey(frozenset(), frozenset())
    load_s, entries = timed(lambda: [Entry(i + 1, 1, "bench", d["slug"], d, audience="public")
                                     for i, d in enumerate(docs)])
    index = MatcherIndex()
    index.load_entries(entries)
    corpus_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the documents and per-case features
    fit_s, scope = timed(lambda: index.scope(public))  # cold: fit on the sample, transform the rest, store
    restarted = MatcherIndex()
    restarted.load_entries(entries)
    warm_s, _ = timed(lambda: restarted.scope(public))  # after a restart: the stored model, no fit
    new_scope_s, new_scope = first_match_new_scope(restarted, docs, queries[0])
    weights = dict(DEFAULT_WEIGHTS)
    rank(index, scope, queries[0], weights, 10)  # first-call costs (vocabulary names) are not per query
    times = [timed(lambda q=q: rank(index, scope, q, weights, 10))[0] * 1000 for q in queries]
    new_scope_times = [timed(lambda q=q: rank(restarted, new_scope, q, weights, 10))[0] * 1000
                       for q in queries]
    dense = dense_vectors(index, scope)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True) + 1e-9

    def brute_force(q: dict) -> None:
        vector = scope.model.transform([profile(q).text]).latent[0]
        qv = np.zeros(dense.shape[1], dtype=np.float32)
        qv[: vector.size] = vector
        np.argsort(-(dense @ qv))[:10]
    brute = [timed(lambda q=q: brute_force(q))[0] * 1000 for q in queries]
    edited = dict(docs[0], title="A freshly edited case about seaweed farmers", summary="Seaweed farmers.")
    fresh_s, _ = timed(lambda: index.apply_changes({1: [Entry(1, 1, "bench", docs[0]["slug"], edited,
                                                              audience="public", state=(2,))]}))
    probe = {"title": edited["title"], "summary": edited["summary"], "country": edited.get("country") or "TZ"}
    found = rank(index, index.scope(public), probe, weights, 10)
    words = scope.words
    set_bytes = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in index.features.sets.values())
    return {"cases": size, "from_registry": min(len(registry), max(0, size - len(seeds))),
            "load_s": round(load_s, 2), "fit_s": round(fit_s, 2), "restart_load_s": round(warm_s, 2),
            "rss_before_fit_mb": round(corpus_rss / 1024, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "index_mb": round((scope.latent.nbytes + words.data.nbytes + words.indices.nbytes
                               + words.indptr.nbytes + set_bytes) / 2**20, 1),
            "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "brute_force_p50_ms": percentile(brute, 50), "brute_force_p95_ms": percentile(brute, 95),
            "ratio_p50_to_brute_force": round(percentile(times, 50) / max(percentile(brute, 50), 1e-6), 2),
            "ratio_p95_to_brute_force": round(percentile(times, 95) / max(percentile(brute, 95), 1e-6), 2),
            "first_match_new_scope_ms": round(new_scope_s * 1000, 1),
            "new_scope_p95_ms": percentile(new_scope_times, 95),
            "new_scope_own_mb": round(sum(a.nbytes for a in (new_scope.latent, new_scope.slots, new_scope.words.data,
                                                              new_scope.words.indices)) / 2**20, 2),
            "edit_applied_ms": round(fresh_s * 1000, 1),
            "edited_case_found_first": bool(found) and found[0]["slug"] == docs[0]["slug"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, in a child process
    args = parser.parse_args()
    if args.one is None:  # each size in a fresh process: its own peak memory, its own model folder
        results = []
        for size in args.sizes.split(","):
            with tempfile.TemporaryDirectory(prefix="casebook-bench-match-") as home:
                out = subprocess.run([sys.executable, __file__, "--one", size, "--queries", str(args.queries)],
                                     env={**os.environ, "CASEBOOK_HOME": home}, check=True, capture_output=True,
                                     text=True)
            results.append(json.loads(out.stdout))
        targets = {r["cases"]: r["p95_ms"] for r in results}
        met = {"p95_10k_under_50ms": targets[10000] < 50 if 10000 in targets else None,
               "p95_50k_under_250ms": targets[50000] < 250 if 50000 in targets else None}
        print(json.dumps({"registry_data": DATA.exists(), "queries": args.queries, "fit_sample": FIT_SAMPLE,
                          "load_average": [round(x, 2) for x in os.getloadavg()], "results": results,
                          "targets": met}, indent=2))
        return
    seeds = [d for _, d in load_case_files([CASES_DIR])]
    judged = [j["context"] for j in yaml.safe_load((Path(__file__).parent / "judged_contexts.yaml").read_text())]
    queries = (judged * (args.queries // len(judged) + 1))[: args.queries]
    print(json.dumps(run(args.one, seeds, registry_docs(), queries)))


if __name__ == "__main__":
    main()
