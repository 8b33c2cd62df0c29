"""The local engine: every core of this machine.

The Screener (index and all) is built once in the parent; workers are forked after that, so they share it
copy-on-write and start in milliseconds. Chunks of rows go out with a bounded window (reading never runs far
ahead of screening, so memory stays flat whatever the file size) and come back in input order.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sanctions.batch.io import ALERT_COLUMNS, Reader, Row, Writer

_SCREENER: Any = None  # set in the parent before forking; inherited by the workers
_OPTS: dict[str, Any] = {}
_CACHE: dict[tuple, list[tuple]] = {}  # repeated queries in a file are screened once per process
_CACHE_FOR: list[Any] = [None]  # the Screener the cache belongs to
_CACHE_MAX = 50_000 if os.environ.get("SANCTIONS_BATCH_CACHE", "1") != "0" else 0


def summary(explanation: list[dict[str, Any]]) -> str:
    """One line per alert: `feature +0.123 (detail); ...`."""
    parts = []
    for f in explanation:
        feat = f.get("feature", "")
        sc = f.get("score")
        detail = f.get("detail")
        txt = f"{feat} {sc:+.3f}" if isinstance(sc, (int, float)) else str(feat)
        if detail:
            txt += f" ({detail})"
        parts.append(txt)
    return "; ".join(parts)


def screen_row(screener: Any, row: Row, threshold: float | None, limit: int) -> list[tuple]:
    """Alerts of one row as (entity id, score, matched name, caption, source, explanation summary)."""
    _number, name, kind, dob, nat, country, _qid, _extra = row
    if not name or not name.strip():
        return []
    if _CACHE_FOR[0] is not screener:
        _CACHE.clear()
        _CACHE_FOR[0] = screener
    key = (name, kind, dob, nat, country, threshold, limit)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    matches = screener.screen(name, kind=kind, birth_date=dob, nationality=nat, country=country,
                              limit=limit, threshold=threshold)
    out = [(m.entity_id, m.score, m.matched_name, m.caption, m.source, summary(m.explanation)) for m in matches]
    if _CACHE_MAX:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = out
    return out


def screen_chunk(screener: Any, rows: list[Row], threshold: float | None, limit: int) -> list[list[Any]]:
    """Output rows (see `output_columns`) for a chunk of input rows, in input order."""
    out: list[list[Any]] = []
    for row in rows:
        for a in screen_row(screener, row, threshold, limit):
            out.append([row[6], row[1], *a, *row[7]])
    return out


def output_columns(reader: Reader) -> list[str]:
    return [*ALERT_COLUMNS, *reader.layout.extra_names]


def _work(rows: list[Row]) -> tuple[int, list[list[Any]]]:
    return len(rows), screen_chunk(_SCREENER, rows, _OPTS.get("threshold"), _OPTS.get("limit", 10))


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_local(
    screener: Any,
    reader: Reader,
    writer: Writer,
    workers: int | None = None,
    threshold: float | None = None,
    limit: int = 10,
    chunk_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Screen every row of `reader` into `writer`. Returns counts and timing."""
    global _SCREENER, _OPTS
    workers = workers or default_workers()
    t0 = time.perf_counter()
    rows = alerts = 0
    chunks = reader.chunks(chunk_size)
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        for chunk in chunks:
            res = screen_chunk(screener, chunk, threshold, limit)
            writer.write(res)
            rows += len(chunk)
            alerts += len(res)
            if progress:
                progress(len(chunk))
    else:
        _SCREENER, _OPTS = screener, {"threshold": threshold, "limit": limit}
        gc.collect()
        gc.freeze()  # the index's objects move to the permanent generation: the GC never touches (copies) them
        try:
            ctx = mp.get_context("fork")
            with ctx.Pool(workers) as pool:
                for n, res in _ordered(pool, chunks, window=workers * 4):
                    writer.write(res)
                    rows += n
                    alerts += len(res)
                    if progress:
                        progress(n)
        finally:
            gc.unfreeze()
            _SCREENER, _OPTS = None, {}
    return {"rows": rows, "alerts": alerts, "seconds": time.perf_counter() - t0, "workers": workers}


def _ordered(pool: Any, chunks: Iterable[list[Row]], window: int) -> Iterator[tuple[int, list[list[Any]]]]:
    """`pool.imap` with back-pressure: at most `window` chunks in flight (imap would read the whole file)."""
    pending: deque = deque()
    it = iter(chunks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < window:
            try:
                chunk = next(it)
            except StopIteration:
                exhausted = True
                break
            pending.append(pool.apply_async(_work, (chunk,)))
        if not pending:
            return
        yield pending.popleft().get()


def progress_bar(total: int | None, label: str = "screening"):
    """A rich progress bar on stderr (rows, rate, ETA); a context manager yielding an `advance(n)` callable."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class _Rate(TextColumn):
        def __init__(self) -> None:
            super().__init__("")

        def render(self, task):  # type: ignore[override]
            from rich.text import Text

            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} names/s" if speed else "- names/s", style="cyan")

    @contextmanager
    def cm():
        console = Console(file=sys.stderr)
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(), MofNCompleteColumn(),
            _Rate(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=False, refresh_per_second=4, disable=not console.is_terminal and
            os.environ.get("SANCTIONS_PROGRESS") != "1",
        ) as prog:
            task = prog.add_task(label, total=total)
            yield lambda n: prog.advance(task, n)

    return cm()
