"""Matcher speed: p50/p95 of a top-10 match at 1,000 / 10,000 / 50,000 cases, build time and memory.

    python bench/match.py [--sizes 1000,10000,50000] [--queries 40]

Corpus: the seed cases, then UN Partnerships registry records (../shared/data, when present) turned
into case documents, then synthetic cases that recombine those texts with random tags, contexts and
countries. Prints JSON. Targets: p95 < 50 ms at 10,000 and < 250 ms at 50,000. The baseline is a
brute-force numpy cosine over the same dense vectors (latent text + one-hot facets) with a full sort.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))

from casebook.domain.casefile import load_case_files  # noqa: E402
from casebook.domain.vocabulary import CONTEXT_SCALES, HUMAN_SECURITY, PARTNER_TYPES  # noqa: E402
from casebook.matching import geography  # noqa: E402
from casebook.matching.facets import SET_FACETS, profile  # noqa: E402
from casebook.matching.index import Entry, MatcherIndex, ScopeKey  # noqa: E402
from casebook.matching.service import rank  # noqa: E402
from casebook.matching.weights import DEFAULT_WEIGHTS  # noqa: E402
from casebook.settings import CASES_DIR  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "un-partnerships-2018.jsonl"
REGISTRY_TYPES = {"Government": "government-national", "NGO": "civil-society",
                  "Private sector": "business-multinational", "United Nations / Multilateral body": "un-agency",
                  "Academic institution": "academia"}
COUNTRIES = sorted(geography._places())


def registry_docs() -> list[dict]:
    if not DATA.exists():
        return []
    docs = []
    for line in DATA.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        r = json.loads(line)
        if not r.get("title"):
            continue
        docs.append({"slug": f"un-{r['id']}", "title": r["title"][:200], "summary": (r.get("description") or "")[:4000],
                     "country": next((c for c in r.get("countries") or [] if geography.known(c)), None),
                     "sdgs": sorted({int(g) for g in r.get("sdgs") or [] if 1 <= int(g) <= 17}),
                     "partners": [{"name": p["name"], "type": REGISTRY_TYPES.get(p.get("type"), "civil-society")}
                                  for p in (r.get("partners") or [])[:8]]})
    return docs


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


def dense_vectors(index: MatcherIndex, scope: object) -> np.ndarray:
    f = index.features
    blocks = [scope.latent] + [f.sets[k][scope.slots].toarray() for k in SET_FACETS]
    return np.hstack(blocks).astype(np.float32)


def run(size: int, seeds: list[dict], registry: list[dict], queries: list[dict]) -> dict:
    docs = corpus(size, seeds, registry)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    index = MatcherIndex()
    index.load_entries([Entry(i + 1, 1, "bench", d["slug"], d["title"], d.get("country"), "public", 1, d, profile(d))
                        for i, d in enumerate(docs)])
    loaded = time.perf_counter()
    scope = index.scope(ScopeKey(frozenset(), frozenset()))
    built = time.perf_counter()
    peak_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before  # KiB, process high-water mark
    weights = dict(DEFAULT_WEIGHTS)
    times = []
    for q in queries:
        t = time.perf_counter()
        rank(index, scope, q, weights, 10)
        times.append((time.perf_counter() - t) * 1000)
    dense = dense_vectors(index, scope)
    norms = np.linalg.norm(dense, axis=1) + 1e-9
    brute = []
    for q in queries:
        t = time.perf_counter()
        vector = scope.model.transform([profile(q).text]).latent[0]
        qv = np.zeros(dense.shape[1], dtype=np.float32)
        qv[: vector.size] = vector
        np.argsort(-(dense @ qv) / norms)[:10]
        brute.append((time.perf_counter() - t) * 1000)
    word_bytes = scope.words.data.nbytes + scope.words.indices.nbytes + scope.words.indptr.nbytes
    set_bytes = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in index.features.sets.values())
    p = lambda xs, q: round(float(np.percentile(xs, q)), 2)  # noqa: E731
    return {"cases": size, "from_registry": min(len(registry), max(0, size - len(seeds))),
            "load_s": round(loaded - start, 2), "fit_s": round(built - loaded, 2),
            "build_rss_growth_mb": round(peak_growth / 1024, 1),
            "index_mb": round((scope.latent.nbytes + word_bytes + set_bytes) / 2**20, 1),
            "p50_ms": p(times, 50), "p95_ms": p(times, 95),
            "brute_force_p50_ms": p(brute, 50), "brute_force_p95_ms": p(brute, 95),
            "ratio_p50_to_brute_force": round(p(times, 50) / max(p(brute, 50), 1e-6), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    seeds = [d for _, d in load_case_files([CASES_DIR])]
    registry = registry_docs()
    judged = [j["context"] for j in yaml.safe_load((Path(__file__).parent / "judged_contexts.yaml").read_text())]
    queries = (judged * (args.queries // len(judged) + 1))[: args.queries]
    results = [run(int(s), seeds, registry, queries) for s in args.sizes.split(",")]
    targets = {r["cases"]: r["p95_ms"] for r in results}
    met = {"p95_10k_under_50ms": targets[10000] < 50 if 10000 in targets else None,
           "p95_50k_under_250ms": targets[50000] < 250 if 50000 in targets else None}
    print(json.dumps({"registry_data": DATA.exists(), "queries": len(queries), "results": results,
                      "targets": met}, indent=2))


if __name__ == "__main__":
    sp.csr_matrix  # noqa: B018  (scipy imported for the matrices the index holds)
    main()
