"""The local engine: every core of this machine.

The Screener (index and all) is built or read once in the parent; workers are forked after that, so they share
it copy-on-write and start in milliseconds. Each row goes to the worker its (name, type) hashes to, so a name the
file repeats is aligned once, by one worker, and its later rows are only re-scored with their own facts (the
Screener's name cache). Chunks go out with a bounded window (reading never runs far ahead of screening, so memory
stays flat whatever the file size) and come back in input order.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import queue
import sys
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sanctions.batch.io import ALERT_COLUMNS, Reader, Row, Writer

_SCREENER: Any = None  # set in the parent before forking; inherited by the workers
_OPTS: dict[str, Any] = {}
_NAMES: dict[int, Any] = {}  # Screener id -> its NameCache: repeated names in a file are aligned once per process
_CACHE_MAX = 50_000 if os.environ.get("SANCTIONS_BATCH_CACHE", "1") != "0" else 0
SIM_CACHE_ENTRIES = 1 << 18  # token-pair similarities kept per worker: 2M (the default) cost ~0.15 GB each


@dataclass(frozen=True)
class ScreenerSpec:
    """How a worker opens the Screener itself, from the index cache beside the store, pinned to the parent's
    snapshots, so that no process holds an index it does not screen with: workers forked from a parent that
    holds the index copy it page by page as they touch it (reference counts), ending with one index more
    than there are workers (1.56 GiB against 1.18 GiB on the 1M-row benchmark file)."""

    db_path: str
    snapshot_ids: tuple[int, ...]
    sources: tuple[str, ...] | None
    cache_dir: str

    def open(self) -> Any:
        from pathlib import Path

        from sanctions.index_cache import index_for_view
        from sanctions.match.settings import DEFAULT
        from sanctions.screen import Screener
        from sanctions.store import Store, View

        store = Store(self.db_path, readonly=True)
        snaps = [store.snapshot(i) for i in self.snapshot_ids]
        index = index_for_view(View(store, snaps), DEFAULT, Path(self.cache_dir), self.sources)
        store.close()
        return Screener(index.for_screening_only(), snapshots=snaps, settings=DEFAULT)


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


def name_cache(screener: Any) -> Any:
    from sanctions.screen import NameCache

    if not _CACHE_MAX:
        return None
    cache = _NAMES.get(id(screener))
    if cache is None:
        _NAMES.clear()  # one screener at a time
        cache = _NAMES[id(screener)] = NameCache(_CACHE_MAX)
    return cache


def screen_row(screener: Any, row: Row, threshold: float | None, limit: int) -> list[tuple]:
    """Alerts of one row as (entity id, score, matched name, caption, source, explanation summary)."""
    _number, name, kind, dob, nat, country, _qid, _extra = row
    if not name or not name.strip():
        return []
    matches = screener.screen(name, kind=kind, birth_date=dob, nationality=nat, country=country,
                              limit=limit, threshold=threshold, name_cache=name_cache(screener))
    return [(m.entity_id, m.score, m.matched_name, m.caption, m.source, summary(m.explanation)) for m in matches]


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
    spec: ScreenerSpec | None = None,
) -> dict[str, Any]:
    """Screen every row of `reader` into `writer`. Returns counts and timing. With `spec`, `screener` may be
    None: the workers open their own from the spec."""
    global _SCREENER, _OPTS
    workers = workers or default_workers()
    t0 = time.perf_counter()
    rows = alerts = 0
    chunks = reader.chunks(chunk_size)
    if workers <= 1 or (spec is None and "fork" not in mp.get_all_start_methods()):
        screener = screener or spec.open()
        for chunk in chunks:
            res = screen_chunk(screener, chunk, threshold, limit)
            writer.write(res)
            rows += len(chunk)
            alerts += len(res)
            if progress:
                progress(len(chunk))
    else:
        forked = spec is None  # else the workers open their own Screener from the spec
        _OPTS = {"threshold": threshold, "limit": limit}
        if forked:
            _SCREENER = screener.for_screening_only()
            gc.collect()
            gc.freeze()  # the index's objects move to the permanent generation: the GC never touches (copies) them
        try:
            for n, res in _routed(chunks, workers, window=workers * 4, spec=spec):
                writer.write(res)
                rows += n
                alerts += len(res)
                if progress:
                    progress(n)
        finally:
            if forked:
                gc.unfreeze()
            _SCREENER, _OPTS = None, {}
    return {"rows": rows, "alerts": alerts, "seconds": time.perf_counter() - t0, "workers": workers}


def _worker(inbox: Any, outbox: Any, spec: ScreenerSpec | None = None, opts: dict | None = None) -> None:
    global _SCREENER
    if spec is not None:  # open the Screener here, then keep the collector off it (as the parent does otherwise)
        from sanctions.match.features import set_sim_cache_limit

        set_sim_cache_limit(SIM_CACHE_ENTRIES)
        try:
            _SCREENER = spec.open()
        except BaseException:  # noqa: BLE001 - reported to the parent, which stops the run
            outbox.put((-1, [], traceback.format_exc()))
            return
        gc.collect()
        gc.freeze()
    opts = opts if opts is not None else _OPTS
    threshold, limit = opts.get("threshold"), opts.get("limit", 10)
    while True:
        job = inbox.get()
        if job is None:
            return
        seq, rows = job
        try:
            out = [(row[0], [[row[6], row[1], *a, *row[7]] for a in screen_row(_SCREENER, row, threshold, limit)])
                   for row in rows]
            outbox.put((seq, out, None))
        except BaseException:  # noqa: BLE001 - reported to the parent, which stops the run
            outbox.put((seq, [], traceback.format_exc()))
            return


def worker_of(name: str | None, kind: str | None, workers: int) -> int:
    """The worker that screens every row of this (name, type): a hash that is the same in every run (Python's
    `hash` of a string is salted per process, which split the load differently from run to run)."""
    return zlib.crc32(f"{name or ''}\x1f{kind or ''}".encode("utf-8", "surrogatepass")) % workers


def _routed(chunks: Iterable[list[Row]], workers: int, window: int, spec: ScreenerSpec | None = None
            ) -> Iterator[tuple[int, list[list[Any]]]]:
    """Forked workers, each owning the rows whose (name, type) hashes to it, so a name repeated through the file
    is aligned by one worker only, once (its name cache); chunks come back in input order, rows within a chunk
    merged back by row number. At most `window` chunks are in flight (reading never runs far ahead)."""
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")  # spawn needs a spec
    outbox = ctx.Queue()
    inboxes = [ctx.Queue() for _ in range(workers)]
    args = (spec, dict(_OPTS)) if spec is not None else ()
    procs = [ctx.Process(target=_worker, args=(inboxes[w], outbox, *args), daemon=True) for w in range(workers)]
    for p in procs:
        p.start()
    pending: dict[int, list] = {}  # chunk seq -> [parts outstanding, rows in the chunk, results]
    next_out = 0

    def collect() -> None:
        while True:
            try:
                seq, out, err = outbox.get(timeout=1.0)
                break
            except queue.Empty:
                dead = [p for p in procs if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"a screening worker died (exit code {dead[0].exitcode})") from None
        if err:
            raise RuntimeError(f"a screening worker failed:\n{err}")
        entry = pending[seq]
        entry[0] -= 1
        entry[2].extend(out)

    def ready() -> Iterator[tuple[int, list[list[Any]]]]:
        nonlocal next_out
        while next_out in pending and pending[next_out][0] == 0:
            _, n, parts = pending.pop(next_out)
            parts.sort(key=lambda p: p[0])
            yield n, [r for _, alerts in parts for r in alerts]
            next_out += 1

    try:
        for seq, chunk in enumerate(chunks):
            parts: list[list[Row]] = [[] for _ in range(workers)]
            for row in chunk:
                parts[worker_of(row[1], row[2], workers)].append(row)
            sent = [(w, part) for w, part in enumerate(parts) if part]
            pending[seq] = [len(sent), len(chunk), []]
            for w, part in sent:
                inboxes[w].put((seq, part))
            while len(pending) >= window:
                collect()
                yield from ready()
        while pending:
            collect()
            yield from ready()
    finally:
        for q in inboxes:
            q.put(None)
        for p in procs:
            p.join(5)
            if p.is_alive():
                p.terminate()


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
