"""Benchmark: load every list of the mirror folder (../shared/data/current) into a fresh store.

Prints the median of 3 runs of a full `sync --from` (parse + import into SQLite), and, as the baseline
measured in the same run, the median time to only parse the same files (no store)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_root, machine, timed  # noqa: E402

from sanctions.loader import mirror_files, read_files  # noqa: E402
from sanctions.settings import Settings  # noqa: E402
from sanctions.sources import SOURCES, parse  # noqa: E402
from sanctions.store import Store  # noqa: E402
from sanctions.sync import sync  # noqa: E402


def main() -> None:
    mirror = data_root() / "current"
    counts = {}

    def full() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(db_path=Path(tmp) / "s.db", mirror=mirror)
            with Store(settings.db_path) as store:
                for r in sync(store, settings):
                    assert r.ok, r.message
                    counts[r.source] = r.outcome.result.snapshot.entity_count

    def parse_only() -> None:
        for spec in SOURCES.values():
            paths = mirror_files(mirror, spec)
            if paths:
                parse(spec, read_files(spec, paths))

    t_full, runs = timed(full, 3)
    t_parse, _ = timed(parse_only, 3)
    print(f"machine: {machine()}")
    print(f"entities: {counts} (total {sum(counts.values())})")
    print(
        f"sync --from current (parse + import, fresh store): median {t_full:.2f} s  runs {[round(r, 2) for r in runs]}"
    )
    print(f"baseline, parse only (no store):                 median {t_parse:.2f} s")
    print(f"store overhead: {t_full - t_parse:.2f} s; target <= 10 s: {'met' if t_full <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
