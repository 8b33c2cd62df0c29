"""The data a running service answers from, swapped atomically.

`Live.current` is one immutable `Current` (a screener plus the snapshot set it was built from). A request reads
that reference once and uses only it, so it sees the lists before or after a sync, never a mix; a sync builds the
new `Current` completely before it replaces the reference. SQLite connections are per thread (the store's rule);
views other than the latest (`as_of`) get their own screeners, built once and kept in a small LRU cache.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctions.api import workers
from sanctions.api.config import ApiSettings
from sanctions.api.db import ensure_schema, now_iso
from sanctions.index_cache import index_for_view
from sanctions.match.settings import DEFAULT
from sanctions.model import Entity
from sanctions.screen import Screener
from sanctions.store import Snapshot, Store, View
from sanctions.sync import SyncReport, sync

log = logging.getLogger("sanctions.api")


class NotReady(Exception):
    """The screening index is still being built."""


class SyncBusy(Exception):
    """A sync is already running in this process."""


def snapshot_key(snapshots: Iterable[Snapshot]) -> tuple[int, ...]:
    return tuple(sorted(s.id for s in snapshots))


def snapshot_refs(snapshots: Iterable[Snapshot]) -> list[dict[str, Any]]:
    return [{"id": s.id, "source": s.source, "published": s.published, "sha256": s.sha256} for s in snapshots]


def snapshot_header(snapshots: Iterable[Snapshot]) -> str:
    return ",".join(str(i) for i in snapshot_key(snapshots))


@dataclass(frozen=True)
class Current:
    screener: Screener
    snapshots: tuple[Snapshot, ...]
    entity_count: int
    by_id: dict[str, Entity] = field(default_factory=dict, repr=False)
    loaded_at: str = field(default_factory=now_iso)

    @property
    def key(self) -> tuple[int, ...]:
        return snapshot_key(self.snapshots)

    def refs(self) -> list[dict[str, Any]]:
        return snapshot_refs(self.snapshots)

    def header(self) -> str:
        return snapshot_header(self.snapshots)

    def view(self, store: Store) -> View:
        return View(store, list(self.snapshots))


def release_memory() -> None:
    """After a swap, give the old index back: the index is frozen out of the cyclic collector's view while it
    is live (`gc.freeze`), so unfreeze, collect what is now garbage, freeze the survivors again, and ask glibc
    to return freed pages to the system (requests in flight may still hold the old index: they free it
    when they finish, by reference counting)."""
    import ctypes
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def build(view: View, cache_dir: Path | None = None) -> Current:
    snaps = list(view.snapshots)
    index = index_for_view(view, DEFAULT, cache_dir)
    screener = Screener(index, snapshots=[s.to_dict() for s in snaps])
    return Current(screener, tuple(snaps), len(index.entities), {e.id: e for e in index.entities})


@dataclass
class SyncOutcome:
    reports: list[SyncReport]
    created: list[Snapshot]
    snapshots: tuple[Snapshot, ...]  # the snapshot set in use after the sync


class Live:
    def __init__(self, settings: ApiSettings):
        self.settings = settings
        ensure_schema(settings.db_path)
        Store(settings.db_path).close()  # create the store's tables if this is a new file
        self._current: Current | None = None
        self._local = threading.local()
        self._views: OrderedDict[tuple, Current] = OrderedDict()
        self._views_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self.load_error: str | None = None
        self.on_change: list = []  # callables(summary dict), run after a sync that created snapshots

    # -- connections ---------------------------------------------------------------------------------------------
    def store(self) -> Store:
        """This thread's read connection."""
        st = getattr(self._local, "store", None)
        if st is None:
            st = self._local.store = Store(self.settings.db_path, readonly=True)
        return st

    # -- the current data ----------------------------------------------------------------------------------------
    @property
    def current(self) -> Current:
        cur = self._current
        if cur is None:
            raise NotReady(self.load_error or "the screening index is being built")
        return cur

    @property
    def ready(self) -> bool:
        return self._current is not None

    def load(self, store: Store | None = None) -> Current:
        """Build a Current from the latest lists and swap it in (one build at a time)."""
        with self._build_lock:
            store = store or self.store()
            view = store.view()
            cur = self._current
            if cur is not None and tuple(sorted(view.snapshot_ids)) == cur.key:
                return cur
            t0 = time.perf_counter()
            new = build(view, self.settings.index_cache_dir)
            self._current = new  # the swap: one reference assignment
            with self._views_lock:
                self._views.clear()
            if cur is not None:
                del cur
                release_memory()
            log.info("loaded %d entities from snapshots %s in %.1fs", new.entity_count, new.key,
                     time.perf_counter() - t0)
            return new

    def load_in_background(self) -> threading.Thread:
        def run() -> None:
            try:
                self.load()
            except Exception as exc:  # reported by /readyz
                self.load_error = f"loading failed: {exc}"
                log.exception("loading the lists failed")

        t = threading.Thread(target=run, name="sanctions-load", daemon=True)
        t.start()
        return t

    def for_view(self, as_of: str | None, sources: Iterable[str] | None = None) -> Current:
        """The Current to answer a request for `as_of`: the live one when the view is the same, else a cached one."""
        cur = self.current
        if as_of is None:
            return cur
        view = self.store().view(as_of=as_of, sources=None)
        key = tuple(sorted(view.snapshot_ids))
        if key == cur.key:
            return cur
        with self._views_lock:
            hit = self._views.get(key)
            if hit is not None:
                self._views.move_to_end(key)
                return hit
        with self._build_lock:  # one index build at a time: they are CPU- and memory-heavy
            with self._views_lock:
                hit = self._views.get(key)
            if hit is None:
                hit = build(view)  # not cached on disk: `as_of` views are many and seldom asked twice
            with self._views_lock:
                self._views[key] = hit
                while len(self._views) > max(1, self.settings.view_cache):
                    self._views.popitem(last=False)
        return hit

    def latest_key(self) -> tuple[int, ...]:
        return tuple(sorted(self.store().view().snapshot_ids))

    # -- sync ------------------------------------------------------------------------------------------------------
    def sync(self, sources: list[str] | None = None) -> SyncOutcome:
        if not self._sync_lock.acquire(blocking=False):
            raise SyncBusy("a sync is already running")
        try:
            with Store(self.settings.db_path) as store:
                reports = sync(store, self.settings, sources)
                created = [r.outcome.result.snapshot for r in reports
                           if r.ok and r.outcome is not None and r.outcome.result.created]
                if self.settings.supervised:  # fresh worker processes take the new lists (api/workers.py)
                    snapshots = tuple(store.view().snapshots)
                    if created:
                        self._hand_over()
                else:
                    cur = self.load(store) if created or self._current is None else self._current
                    snapshots = cur.snapshots
                summary = change_summary(store, created) if created else None
        finally:
            self._sync_lock.release()
        if summary is not None:
            for hook in self.on_change:
                try:
                    hook(summary)
                except Exception:
                    log.exception("change hook failed")
        return SyncOutcome(reports, created, snapshots)

    def _hand_over(self) -> None:
        """Ask the supervisor for workers on the new lists and wait until this one is replaced, so the answer
        comes when the new lists are in use."""
        workers.request_roll()
        if not workers.DRAINING.wait(self.settings.handover_timeout):
            log.warning("no replacement worker after %.0fs; the new lists are in the store",
                        self.settings.handover_timeout)

    # -- watching for imports by other processes (CLI sync, other workers) -----------------------------------------
    def start_watcher(self) -> None:
        if self.settings.reload_interval <= 0 or self._watcher is not None:
            return

        def run() -> None:
            while not self._stop.wait(self.settings.reload_interval):
                try:
                    if self._current is not None and not self._sync_lock.locked() \
                            and self.latest_key() != self._current.key:
                        self.load()
                except Exception:
                    log.exception("reload check failed")

        self._watcher = threading.Thread(target=run, name="sanctions-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()


MAX_LISTED = 1000  # entities named per change kind in a webhook payload


def change_summary(store: Store, snapshots: list[Snapshot]) -> dict[str, Any]:
    """What a sync changed, per new snapshot: counts, counts by program, and the entities (capped)."""
    rows = store.changes([s.id for s in snapshots])
    out = []
    for s in snapshots:
        groups: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "modified": [], "relisted": []}
        by_program: dict[str, dict[str, int]] = {}
        for r in rows:
            if r["snapshot_id"] != s.id:
                continue
            groups[r["change"]].append({"entity_id": r["entity_id"], "caption": r["caption"]})
            for p in r["programs"] or ["(none)"]:
                c = by_program.setdefault(p, {})
                c[r["change"]] = c.get(r["change"], 0) + 1
        out.append({
            "snapshot": {"id": s.id, "source": s.source, "published": s.published, "sha256": s.sha256,
                         "entities": s.entity_count},
            "counts": {k: len(v) for k, v in groups.items()},
            "by_program": dict(sorted(by_program.items())),
            "truncated": any(len(v) > MAX_LISTED for v in groups.values()),
            **{k: v[:MAX_LISTED] for k, v in groups.items()},
        })
    return {"event": "lists.changed", "created_at": now_iso(), "sources": sorted({s.source for s in snapshots}),
            "changes": out}
