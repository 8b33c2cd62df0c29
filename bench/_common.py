"""Shared helpers for the benchmark scripts: where the data is, what machine this is, medians."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    return Path(os.environ.get("SANCTIONS_TEST_DATA", REPO.parent / "shared" / "data")).resolve()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sanctions

    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, matcher {sanctions.MATCHER_BUILD}"


def timed(fn, repeat: int = 5) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]
