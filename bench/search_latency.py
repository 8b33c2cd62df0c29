"""Per-query screening latency on one core with all current lists loaded, over the dev A + D queries, with the
rapidfuzz full-scan baseline (token_sort_ratio over every indexed name) measured in the same run; and process
start to first answer of the real CLI (`sanctions screen NAME`), with the index built and read from the cache.

    .venv/bin/python bench/search_latency.py [--limit N] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_root, machine, pct  # noqa: E402

from sanctions import evaluate as ev  # noqa: E402


def first_answer_seconds(db: Path, cache: bool, runs: int) -> list[float]:
    """Wall time of `sanctions screen` from process start to its answer (interpreter start-up included)."""
    env = dict(os.environ, SANCTIONS_INDEX_CACHE="1" if cache else "0")
    cmd = [sys.executable, "-m", "sanctions", "--db", str(db), "screen", "Choi Myung Hyun", "--json"]
    if cache:
        subprocess.run(cmd, env=env, check=True, capture_output=True)  # writes the cache file
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
        out.append(time.perf_counter() - t)
        assert "us-ofac-sdn:27209" in r.stdout
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N queries (0 = all)")
    ap.add_argument("--runs", type=int, default=5, help="CLI start-up runs per mode")
    ap.add_argument("--baseline-every", type=int, default=10, help="time the full-scan baseline on every Nth query")
    args = ap.parse_args(argv)

    from sanctions.cli import main as cli
    from sanctions.screen import Screener
    from sanctions.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    db = tmp / "current.db"
    assert cli(["--db", str(db), "sync", "--from", str(data_root() / "current")]) == 0
    store = Store(db, readonly=True)
    t0 = time.perf_counter()
    screener = Screener.from_store(store)  # no cache: a full build
    build = time.perf_counter() - t0
    entities = screener.index.entities

    evd = ev.eval_root()
    queries = [r["query"] for r in ev.read_tsv(evd / "A_alias_holdout.tsv")]
    queries += [r["query"] for r in ev.read_tsv(evd / "D_negatives.tsv")]
    if args.limit:
        queries = queries[: args.limit]
    for q in queries[:200]:  # warm-up (lazy tables)
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

    cold = first_answer_seconds(db, cache=False, runs=args.runs)
    warm = first_answer_seconds(db, cache=True, runs=args.runs)

    print(f"machine: {machine()}")
    print(f"index: all current lists, {len(entities)} entities, {len(screener.index.names)} names, "
          f"built in {build:.2f} s (in process)")
    print(f"{'matcher':<44}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for label, xs in (("engine (Screener.screen)", lat), ("rapidfuzz token_sort_ratio full scan", blat)):
        print(f"{label:<44}{len(xs):>7}{pct(xs, 50):>9.2f}{pct(xs, 99):>9.2f}{statistics.mean(xs):>9.2f}")
    print(f"p50 ratio: baseline / engine = {pct(blat, 50) / pct(lat, 50):.1f}x")
    print(f"process start to first answer (`sanctions screen`, median of {args.runs}): "
          f"index built {statistics.median(cold):.2f} s, index read from the cache {statistics.median(warm):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
