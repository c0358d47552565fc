"""Benchmark: plan generation and PDF rendering (p50/p95), and our PDF time over WeasyPrint alone.

Prints JSON. Targets: plan < 300 ms, PDF < 2 s, ratio < 1.2. Run: python -m bench.plan [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import weasyprint
import yaml

from casebook.matching.service import compare
from casebook.planning import render_html, render_pdf
from casebook.planning.plan import build_plan
from casebook.settings import CASES_DIR

TARGET = {"title": "Gold mining district in Bong County", "country": "LR", "locality": "Bong County",
          "context": {"conflict": "post-conflict", "trust": "low", "power_asymmetry": "high",
                      "policy_frameworks": [], "budget_commitment": "none"},
          "population_groups": ["women", "youth"]}


def _ref(slug: str) -> dict:
    case = yaml.safe_load((CASES_DIR / f"{slug}.yaml").read_text())
    return {"tenant": "library", "slug": slug, "title": case["title"], "case": case}


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    template = _ref("bosnia-zenica-steelworks")
    similar = [_ref("colombia-antioquia-rural-hsbp"), _ref("liberia-concessions-hsbp")]
    plan_times, ours, alone = [], [], []
    plan = build_plan(template, TARGET, compare(template["case"], TARGET), similar)  # warm caches
    render_pdf.render(plan)
    for _ in range(args.runs):
        start = time.perf_counter()
        plan = build_plan(template, TARGET, compare(template["case"], TARGET), similar)
        plan_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_pdf.render(plan)
        ours.append(time.perf_counter() - start)
        # Baseline in the same run: WeasyPrint alone, the HTML the PDF renders, stylesheet inlined, default fetcher.
        html = render_html.render(plan, standalone=True, links=False)
        start = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        alone.append(time.perf_counter() - start)
    result = {"runs": args.runs, "plan": _stats(plan_times), "pdf": _stats(ours), "weasyprint_alone": _stats(alone),
              "ratio_pdf_to_weasyprint": round(statistics.median(ours) / statistics.median(alone), 3),
              "targets": {"plan_ms": 300, "pdf_ms": 2000, "ratio": 1.2}}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
