"""A tamper-evident audit trail of screening decisions.

Every decision made through the API or a batch run (query, results, threshold, snapshot ids used, time,
caller key id) is appended as one record whose hash covers the record and the previous record's hash. Editing,
deleting or reordering any record breaks the chain from that point on, and `verify` says where. The trail lives
in the store's SQLite file (table `audit`), written in the same kind of short transactions as everything else.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sanctions.store.times import iso_utc, parse_when

GENESIS = "0" * 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,          -- 1, 2, 3 ... with no gaps
    at TEXT NOT NULL,                 -- ISO 8601 UTC
    record TEXT NOT NULL,             -- canonical JSON of the decision
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
"""


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, seq: int, at: str, record: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{seq}\n{at}\n{record}".encode()).hexdigest()


@dataclass
class VerifyResult:
    ok: bool
    records: int
    problem: str | None = None
    seq: int | None = None


class AuditLog:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.db.executescript(SCHEMA)

    def append(
        self,
        query: Any,
        results: Any,
        threshold: float | None,
        snapshot_ids: list[int],
        caller: str | None = None,
        channel: str = "api",
    ) -> int:
        """Append one decision; returns its sequence number."""
        record = _canonical(
            {
                "channel": channel,
                "caller": caller,
                "query": query,
                "results": results,
                "threshold": threshold,
                "snapshots": snapshot_ids,
            }
        )
        _append_many(self.db, [(iso_utc(datetime.now(UTC)), record)])
        return self.db.execute("SELECT MAX(seq) FROM audit").fetchone()[0]

    def verify(self) -> VerifyResult:
        prev, expected_seq, n = GENESIS, 1, 0
        for seq, at, record, prev_hash, h in self.db.execute(
            "SELECT seq, at, record, prev_hash, hash FROM audit ORDER BY seq"
        ):
            n += 1
            if seq != expected_seq:
                return VerifyResult(False, n, f"record {expected_seq} is missing (next is {seq})", expected_seq)
            if prev_hash != prev:
                return VerifyResult(False, n, f"record {seq} does not follow record {seq - 1} (reordered?)", seq)
            if chain_hash(prev_hash, seq, at, record) != h:
                return VerifyResult(False, n, f"record {seq} was altered (hash mismatch)", seq)
            prev, expected_seq = h, seq + 1
        return VerifyResult(True, n)

    def export(self, since: str | None = None) -> Iterator[dict[str, Any]]:
        sql, args = "SELECT seq, at, record, prev_hash, hash FROM audit", []
        if since:
            sql += " WHERE at >= ?"
            args.append(iso_utc(parse_when(since)))
        for seq, at, record, prev_hash, h in self.db.execute(sql + " ORDER BY seq", args):
            yield {"seq": seq, "at": at, "record": json.loads(record), "prev_hash": prev_hash, "hash": h}


class AuditWriter:
    """Appends decisions from a request path without making the request wait for the disk: records go on a
    queue and one background thread appends them in batches (one transaction per batch), each batch chained
    onto whatever the file holds, so several processes may write to the same trail. `close()` drains the queue.
    """

    def __init__(self, db_path, batch: int = 256):
        import queue
        import threading

        self.db_path = str(db_path)
        self.batch = batch
        self.queue: queue.Queue = queue.Queue(maxsize=100_000)
        self.thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self.thread.start()

    def record(self, query: Any, results: Any, threshold: float | None, snapshot_ids: list[int],
               caller: str | None = None, channel: str = "api") -> None:
        rec = {"channel": channel, "caller": caller, "query": query, "results": results,
               "threshold": threshold, "snapshots": snapshot_ids}
        self.queue.put((iso_utc(datetime.now(UTC)), _canonical(rec)))  # blocks when 100k records are pending

    def _run(self) -> None:
        db = sqlite3.connect(self.db_path, timeout=60.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        while True:
            item = self.queue.get()
            if item is None:
                self.queue.task_done()
                break
            items = [item]
            while len(items) < self.batch and not self.queue.empty():
                nxt = self.queue.get_nowait()
                if nxt is None:
                    self.queue.put(None)
                    self.queue.task_done()
                    break
                items.append(nxt)
            _append_many(db, items)
            for _ in items:
                self.queue.task_done()
        db.close()

    def flush(self) -> None:
        self.queue.join()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(timeout=30)


def _append_many(db: sqlite3.Connection, items: list[tuple[str, str]]) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (row[0], row[1]) if row else (0, GENESIS)
        for at, record in items:
            seq += 1
            h = chain_hash(prev, seq, at, record)
            db.execute("INSERT INTO audit (seq, at, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
                       (seq, at, record, prev, h))
            prev = h
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
