"""Per-query screening latency on one core: the dev A + D queries against the evaluation OFAC index, with the
rapidfuzz full-scan baseline (token_sort_ratio over every indexed name) measured in the same run.

    .venv/bin/python bench/search_latency.py [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from sanctions import evaluate as ev
from sanctions.screen import Screener


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N queries (0 = all)")
    ap.add_argument(
        "--baseline-every", type=int, default=10, help="time the full-scan baseline on every Nth query"
    )
    args = ap.parse_args(argv)

    data, evd = ev.data_root(), ev.eval_root()
    holdout = set((evd / "A_holdout_alt_nums.txt").read_text().split())
    entities = ev.load_ofac(data, holdout)
    t0 = time.perf_counter()
    screener = Screener.from_entities(entities)
    build = time.perf_counter() - t0
    queries = [r["query"] for r in ev.read_tsv(evd / "A_alias_holdout.tsv")]
    queries += [r["query"] for r in ev.read_tsv(evd / "D_negatives.tsv")]
    if args.limit:
        queries = queries[: args.limit]

    for q in queries[:200]:  # warm-up (lazy tables, caches)
        screener.screen(q)
    lat = []
    for q in queries:
        t = time.perf_counter()
        screener.screen(q)
        lat.append((time.perf_counter() - t) * 1000)

    base = ev.FullScanBaseline(entities)
    blat = []
    for q in queries[:: args.baseline_every]:
        t = time.perf_counter()
        base(q)
        blat.append((time.perf_counter() - t) * 1000)

    names = len(screener.index.names)
    print(f"index: {len(entities)} entities, {names} names, built in {build:.2f} s")
    print(f"{'matcher':<44}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for label, xs in (("engine (Screener.screen)", lat), ("rapidfuzz token_sort_ratio full scan", blat)):
        print(
            f"{label:<44}{len(xs):>7}{percentile(xs, 50):>9.2f}{percentile(xs, 99):>9.2f}{statistics.mean(xs):>9.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
