"""The changes chart as bytes for HTTP: `plot.plot_changes` rendered to PNG or SVG in a temporary file, with a
small cache (a chart depends only on its arguments and the stored snapshots) and a lock (pyplot is not
thread-safe)."""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from sanctions.plot import plot_changes

_lock = threading.Lock()
_cache: OrderedDict[tuple, bytes] = OrderedDict()
CACHE_SIZE = 32
MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


def render(changes: list[dict[str, Any]], fmt: str, title: str, key: tuple) -> bytes:
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
        with tempfile.TemporaryDirectory(prefix="sanctions-chart-") as tmp:
            path = plot_changes(changes, Path(tmp) / f"chart.{fmt}", title=title)
            data = path.read_bytes()
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return data
