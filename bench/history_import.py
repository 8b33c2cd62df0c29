"""Benchmark: the 308-capture OFAC SDN history.

Prints: full archive import time into a fresh store (median of 3), the floor set by only decompressing and
reading the archive (same run), the store size, `changes --on` latency and as-of entity lookup latency."""

from __future__ import annotations

import random
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_root, machine, pct, timed  # noqa: E402

from sanctions.history import changes_between, import_history  # noqa: E402
from sanctions.store import Store  # noqa: E402


def main() -> None:
    archive = data_root() / "ofac-sdn-history.tar.xz"

    def read_only() -> None:
        with tarfile.open(archive, "r|xz") as tar:
            for m in tar:
                f = tar.extractfile(m)
                if f:
                    f.read()

    t_floor, _ = timed(read_only, 3)
    tmp = Path(tempfile.mkdtemp())
    runs = []
    for i in range(3):
        db = tmp / f"h{i}.db"
        t = time.perf_counter()
        with Store(db) as store:
            report = import_history(store, archive, "us-ofac-sdn")
        runs.append(time.perf_counter() - t)
    t_import = statistics.median(runs)
    size = sum(p.stat().st_size for p in tmp.glob("h0.db*"))
    store = Store(tmp / "h0.db", readonly=True)
    snaps = store.snapshots("us-ofac-sdn")
    days = sorted({s.published[:10] for s in snaps})
    rng = random.Random(7)
    lat_changes = []
    for day in rng.choices(days, k=200):
        t = time.perf_counter()
        changes_between(store, day, day, "us-ofac-sdn")
        lat_changes.append((time.perf_counter() - t) * 1000)
    ids = [r[0] for r in store.db.execute("SELECT DISTINCT entity_id FROM entity_version")]
    lat_asof = []
    for _ in range(2000):
        day = rng.choice(days)
        eid = rng.choice(ids)
        t = time.perf_counter()
        store.view(day, ["us-ofac-sdn"]).entity(eid)
        lat_asof.append((time.perf_counter() - t) * 1000)
    versions = store.db.execute("SELECT COUNT(*) FROM entity_version").fetchone()[0]
    print(f"machine: {machine()}")
    print(f"captures imported: {report.imported} ({len(snaps)} snapshots, {versions} entity versions)")
    print(f"full import, fresh store: median {t_import:.2f} s  runs {[round(r, 2) for r in runs]}")
    print(
        f"floor, decompress + read the archive only: median {t_floor:.2f} s "
        f"(import = {t_import / t_floor:.1f}x the floor)"
    )
    print(f"store size: {size / 1e6:.1f} MB")
    print(
        f"changes --on DATE: median {statistics.median(lat_changes):.2f} ms, p99 {pct(lat_changes, 99):.2f} ms"
    )
    print(f"as-of entity lookup: median {statistics.median(lat_asof):.3f} ms, p99 {pct(lat_asof, 99):.3f} ms")


if __name__ == "__main__":
    main()
