"""screen-file throughput: names/s and peak memory on a generated 1,000,000-row customer file, and the rapidfuzz
full-scan baseline (process.extractOne over every listed name, on a small sample) for the ratio.

    .venv/bin/python bench/batch_throughput.py [--rows 1000000] [--workers N] [--db STORE] [--keep DIR]

The customer file is generated at run time in a temporary folder (never committed): names drawn from
D_negatives.tsv plus 5 % listed names with light perturbation. Peak memory is sampled from /proc every 0.2 s
over the whole process tree: the sum of RSS (counts copy-on-write pages shared by the forked workers once per
process, so it overstates) and the sum of PSS (shared pages split between the processes: the real footprint).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SANCTIONS_TEST_DATA", REPO.parent / "shared" / "data"))
EVAL = Path(os.environ.get("SANCTIONS_TEST_EVAL", DATA.parent / "eval" / "dev"))


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(x) for x in fh.read().split()]
        except OSError:
            pass
    return out


def _mem(pid: int) -> tuple[int, int]:
    rss = pss = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss * 1024, pss * 1024


def run_measured(cmd: list[str], env: dict) -> tuple[float, int, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            r, p = _mem(proc.pid)
            peak[0], peak[1] = max(peak[0], r), max(peak[1], p)
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _out, err = proc.communicate()
    done.set()
    th.join()
    if proc.returncode:
        sys.exit(f"screen-file failed: {err.strip()[-500:]}")
    return time.perf_counter() - t0, peak[0], peak[1], err.strip().splitlines()[-1]


def rapidfuzz_rate(names: list[str], queries: list[str]) -> float:
    from rapidfuzz import fuzz, process, utils

    choices = [utils.default_process(n) for n in names]
    t0 = time.perf_counter()
    for q in queries:
        process.extractOne(utils.default_process(q), choices, scorer=fuzz.WRatio, processor=None)
    return len(queries) / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--db", help="a store with the current lists (default: synced into the temp folder)")
    ap.add_argument("--keep", help="folder for the generated file and alerts (default: a temporary folder)")
    ap.add_argument("--baseline-sample", type=int, default=200)
    args = ap.parse_args()

    from sanctions.batch import synth
    from sanctions.cli import main as cli
    from sanctions.screen import Screener
    from sanctions.store import Store

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench-batch-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = args.db or str(tmp / "cur.db")
    if not args.db:
        cli(["--db", db, "sync", "--from", str(DATA / "current")])
    screener = Screener.from_store(Store(db, readonly=True))
    listed = synth.listed_names(screener.index.entities)
    neg = synth.negatives(EVAL / "D_negatives.tsv")
    customers = tmp / "customers.csv"
    t0 = time.perf_counter()
    synth.write_customers(customers, args.rows, neg, listed, listed_share=0.05)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s: {customers}")

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    cmd = [
        sys.executable,
        "-m",
        "sanctions",
        "--db",
        db,
        "screen-file",
        str(customers),
        "--out",
        str(tmp / "alerts.csv"),
    ] + (["--workers", str(args.workers)] if args.workers else [])
    wall, rss, pss, line = run_measured(cmd, env)
    print(f"screen-file: {line}")
    print(
        f"screen-file wall time (workers read or build the index): {wall:.1f} s = {args.rows / wall:,.0f} names/s "
        f"end to end; peak memory: RSS sum {rss / 2**30:.2f} GiB, PSS sum {pss / 2**30:.2f} GiB"
    )

    rng = random.Random(5)
    sample = rng.sample(neg, args.baseline_sample // 2) + [
        synth.perturb(n, rng) for n in rng.sample(listed, args.baseline_sample // 2)
    ]
    rf = rapidfuzz_rate(listed, sample)
    print(
        f"rapidfuzz full scan baseline (extractOne WRatio over {len(listed):,} names, {len(sample)} queries): "
        f"{rf:,.1f} names/s (one core)"
    )
    uniq = rng.sample(neg, 400)
    t0 = time.perf_counter()
    for q in uniq:
        screener.screen(q)
    single = len(uniq) / (time.perf_counter() - t0)
    print(
        f"matcher, distinct names, one core, no cache: {single:,.0f} names/s "
        f"({single / rf:,.0f}x the rapidfuzz scan per core)"
    )
    print(f"end-to-end ratio screen-file / rapidfuzz-one-core: {args.rows / wall / rf:,.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
