"""rescreen vs a full re-screen: the OFAC update of 2022-01-12 (entities changed since 2022-01-11) against a
generated customer file (default 1,000,000 rows; generated at run time in a temporary folder, never committed).

    .venv/bin/python bench/rescreen.py [--rows 1000000] [--sample 50000] [--db HISTORY_STORE]

The full re-screen runs the whole file through the local engine as `screen-file` does (`--sample N`: estimate
from the first N rows instead). rescreen is measured on the whole file; the figures are given with and
without the customer index build (which can be kept between list updates: customers change slowly).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SANCTIONS_TEST_DATA", REPO.parent / "shared" / "data"))
EVAL = Path(os.environ.get("SANCTIONS_TEST_EVAL", DATA.parent / "eval" / "dev"))
SINCE, AS_OF = "2022-01-11", "2022-01-12"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--db", help="store with the OFAC history (default: imported into the temp folder)")
    args = ap.parse_args()

    from sanctions.batch import synth
    from sanctions.batch.io import Reader, Writer
    from sanctions.batch.local import ScreenerSpec, default_workers, output_columns, run_local
    from sanctions.batch.rescreen import CustomerIndex, changed_entities, read_all, rescreen
    from sanctions.cli import main as cli
    from sanctions.screen import Screener
    from sanctions.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-rescreen-"))
    db = args.db or str(tmp / "hist.db")
    if not args.db:
        cli(
            [
                "--db",
                db,
                "history",
                "import",
                str(DATA / "ofac-sdn-history.tar.xz"),
                "--source",
                "us-ofac-sdn",
            ]
        )
    store = Store(db, readonly=True)
    ids, snaps = changed_entities(store, SINCE, AS_OF)
    screener = Screener.from_store(store, as_of=AS_OF)
    wanted = set(ids)
    changed = [e for e in screener.index.entities if e.id in wanted]
    print(
        f"{len(snaps)} snapshot(s) after {SINCE} up to {AS_OF}: {len(ids)} changed entities "
        f"({sum(len(e.names) for e in changed)} names)"
    )

    rng = random.Random(1)
    listed = synth.listed_names(screener.index.entities)
    extra = [synth.perturb(n.text, rng) for e in changed for n in e.names for _ in range(3)]
    customers = tmp / "customers.csv"
    synth.write_customers(
        customers,
        args.rows,
        synth.negatives(EVAL / "D_negatives.tsv"),
        listed + extra,
        listed_share=0.05,
        extra=False,
    )

    t0 = time.perf_counter()
    rows = read_all(Reader(str(customers)))
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    sha = hashlib.sha256(customers.read_bytes()).hexdigest()
    cidx, _ = CustomerIndex.cached(rows, sha, tmp / "cidx")  # built and saved
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    cidx, was_read = CustomerIndex.cached(rows, sha, tmp / "cidx")  # as every later `rescreen` of this file
    t_load = time.perf_counter() - t0
    assert was_read
    alerts, stats = rescreen(screener, rows, ids, customer_index=cidx)
    t_query = stats["seconds_total"]
    print(
        f"rescreen: read {t_read:.1f} s; customer index ({len(cidx.groups):,} distinct names, "
        f"{len(cidx.index.names):,} indexed forms) built and "
        f"saved {t_build:.1f} s, read back {t_load:.2f} s; inverse lookup + forward confirmation {t_query:.2f} s "
        f"({stats['candidates']:,} candidate customers, {len(alerts)} alerts)"
    )

    sample = tmp / "sample.csv"
    if args.sample:
        with open(customers, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i > args.sample:
                    break
                dst.write(line)
    else:
        sample = customers  # the whole file: measured, not estimated
    reader = Reader(str(sample))
    writer = Writer(str(tmp / "sample_alerts.csv"), output_columns(reader))
    spec = ScreenerSpec(db, tuple(int(i) for i in screener.snapshot_ids), None, str(Path(db + ".index-cache")))
    st = run_local(None, reader, writer, workers=default_workers(), spec=spec)  # as `screen-file` runs it
    writer.commit()
    rate = st["rows"] / st["seconds"]
    full = args.rows / rate
    print(
        f"full re-screen: {'measured' if not args.sample else 'estimated from'} {st['rows']:,} rows in "
        f"{st['seconds']:.1f} s on {st['workers']} workers = {rate:,.0f} names/s -> {full:,.0f} s for "
        f"{args.rows:,} rows"
    )
    print(
        f"speed-up: {full / t_query:,.0f}x (the work: lookup + confirmation), {full / (t_load + t_query):,.0f}x "
        f"counting the read of the kept customer index, {full / (t_build + t_query):,.0f}x when it is built"
    )
    # the two commands as a user runs them, process start to exit (both read the list index from its cache)
    env = dict(os.environ)
    base = [sys.executable, "-m", "sanctions", "--db", db]
    walls = {}
    for label, cmd in (
        ("rescreen (builds the customer index)", ["rescreen", str(customers), "--since", SINCE, "--as-of", AS_OF,
                                                 "--out", str(tmp / "r1.csv")]),
        ("rescreen (reads it)", ["rescreen", str(customers), "--since", SINCE, "--as-of", AS_OF,
                                 "--out", str(tmp / "r2.csv")]),
        ("screen-file (full re-screen)", ["screen-file", str(customers), "--as-of", AS_OF,
                                          "--out", str(tmp / "full.csv")]),
    ):
        t0 = time.perf_counter()
        subprocess.run(base + cmd, env=env, check=True, capture_output=True)
        walls[label] = time.perf_counter() - t0
        print(f"CLI {label}: {walls[label]:.1f} s")
    full_cli = walls["screen-file (full re-screen)"]
    print(f"CLI end to end: screen-file / rescreen = {full_cli / walls['rescreen (reads it)']:,.1f}x with the "
          f"customer index kept, {full_cli / walls['rescreen (builds the customer index)']:,.1f}x when it is built")
    return 0


if __name__ == "__main__":
    sys.exit(main())
