"""The temporal store: every published version of every list, in one SQLite file.

A *snapshot* is one published version of one source. An *entity version* is valid from the snapshot where its
content first appeared until the snapshot where it changed or disappeared (`valid_to`, exclusive; NULL = still
valid), so an unchanged entity costs no new row. Each import compares the new version of the list with the open
versions of that source, writes only what changed plus one `change` row per added / removed / modified /
re-listed entity (with a field-level diff), all in one transaction: a failed or killed import leaves the store
exactly as it was. Snapshot ids grow with publication time within a source, so "as of T" is: per source, the
latest snapshot published at or before T; an entity version is visible when valid_from <= it < valid_to.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sanctions.model import Entity
from sanctions.store.diff import entity_diff
from sanctions.store.times import iso_utc, parse_when

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    seq INTEGER NOT NULL,             -- position within the source in publication order (1, 2, ...)
    published TEXT NOT NULL,          -- ISO 8601 UTC, publication or capture time
    imported_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,             -- of the files (one file: its sha256; several: sha256 of their hashes)
    files TEXT NOT NULL,              -- JSON [{role, name, sha256, size}]
    entity_count INTEGER NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    stats TEXT NOT NULL               -- JSON: parser statistics (orphans, remark coverage ...)
);
CREATE UNIQUE INDEX IF NOT EXISTS snapshot_identity ON snapshot (source, sha256, published);
CREATE INDEX IF NOT EXISTS snapshot_time ON snapshot (source, published);
CREATE UNIQUE INDEX IF NOT EXISTS snapshot_seq ON snapshot (source, seq);

CREATE TABLE IF NOT EXISTS entity_version (
    id INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    source TEXT NOT NULL,
    valid_from INTEGER NOT NULL,      -- snapshot.seq of the source where this content appeared
    valid_to INTEGER,                 -- snapshot.seq where it changed or disappeared; NULL = still valid
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    caption TEXT NOT NULL,
    body BLOB NOT NULL                -- zlib-compressed canonical JSON of the Entity
);
CREATE INDEX IF NOT EXISTS version_entity ON entity_version (entity_id, valid_from);
CREATE INDEX IF NOT EXISTS version_open ON entity_version (source, valid_to);
CREATE INDEX IF NOT EXISTS version_from ON entity_version (source, valid_from);

CREATE TABLE IF NOT EXISTS change (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot (id),
    entity_id TEXT NOT NULL,
    change TEXT NOT NULL,             -- added / removed / modified / relisted
    version_id INTEGER,               -- the new version (NULL when removed)
    prev_version_id INTEGER,          -- the version it replaces (NULL when added)
    caption TEXT NOT NULL,
    kind TEXT NOT NULL,
    programs TEXT NOT NULL,           -- JSON list, for summaries without decompressing bodies
    diff TEXT                         -- JSON list of field changes (modified / relisted)
);
CREATE INDEX IF NOT EXISTS change_snapshot ON change (snapshot_id);
CREATE INDEX IF NOT EXISTS change_entity ON change (entity_id);
"""

ADDED, REMOVED, MODIFIED, RELISTED = "added", "removed", "modified", "relisted"


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class Snapshot:
    id: int
    source: str
    seq: int
    published: str
    imported_at: str
    sha256: str
    files: list[dict[str, Any]]
    entity_count: int
    added: int
    removed: int
    modified: int
    stats: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Snapshot:
        d = dict(row)
        d["files"] = json.loads(d["files"])
        d["stats"] = json.loads(d["stats"])
        return cls(**d)


@dataclass
class ImportResult:
    snapshot: Snapshot
    created: bool  # False when this exact version was already stored (nothing changed)


def pack(entity: Entity) -> bytes:
    return zlib.compress(entity.canonical_json().encode("utf-8"), 6)


def unpack(body: bytes) -> Entity:
    return Entity.from_dict(json.loads(zlib.decompress(body)))


class Store:
    """A SQLite-backed temporal store. Open one per thread (sqlite3 connections are not shared)."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(f"{self.path}: no store here yet (run `sanctions sync` or `sanctions load` first)")
        self.db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if not readonly:
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- snapshots ---------------------------------------------------------------------------------------------
    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        sql = "SELECT * FROM snapshot"
        args: tuple = ()
        if source:
            sql += " WHERE source = ?"
            args = (source,)
        return [Snapshot.from_row(r) for r in self.db.execute(sql + " ORDER BY source, seq", args)]

    def snapshot(self, snapshot_id: int) -> Snapshot | None:
        row = self.db.execute("SELECT * FROM snapshot WHERE id = ?", (snapshot_id,)).fetchone()
        return Snapshot.from_row(row) if row else None

    def latest_snapshot(self, source: str) -> Snapshot | None:
        row = self.db.execute(
            "SELECT * FROM snapshot WHERE source = ? ORDER BY seq DESC LIMIT 1", (source,)
        ).fetchone()
        return Snapshot.from_row(row) if row else None

    def has_snapshot(self, source: str, sha256: str, published: str) -> Snapshot | None:
        row = self.db.execute(
            "SELECT * FROM snapshot WHERE source = ? AND sha256 = ? AND published = ?", (source, sha256, published)
        ).fetchone()
        return Snapshot.from_row(row) if row else None

    def snapshots_with_file(self, source: str, file_sha256: str) -> list[Snapshot]:
        """Stored versions of `source` that include a file with this sha256 (alone or with other files)."""
        rows = self.db.execute(
            "SELECT * FROM snapshot WHERE source = ? AND instr(files, ?) > 0 ORDER BY seq", (source, file_sha256)
        )
        return [s for s in map(Snapshot.from_row, rows) if any(f["sha256"] == file_sha256 for f in s.files)]

    def sources(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT source FROM snapshot ORDER BY source")]

    def snapshot_as_of(self, source: str, when: str | datetime | None) -> Snapshot | None:
        if when is None:
            return self.latest_snapshot(source)
        row = self.db.execute(
            "SELECT * FROM snapshot WHERE source = ? AND published <= ? ORDER BY seq DESC LIMIT 1",
            (source, iso_utc(parse_when(when, end_of_day=True))),
        ).fetchone()
        return Snapshot.from_row(row) if row else None

    # -- import ------------------------------------------------------------------------------------------------
    def import_snapshot(
        self,
        source: str,
        published: str | datetime,
        sha256: str,
        files: list[dict[str, Any]],
        entities: Iterable[Entity],
        stats: Mapping[str, Any] | None = None,
    ) -> ImportResult:
        """Store one published version of `source`, given all its entities. All or nothing."""
        by_id: dict[str, Entity] = {}
        hashes: dict[str, str] = {}
        for e in entities:
            if e.source != source:
                raise StoreError(f"entity {e.id} belongs to {e.source}, not {source}")
            if e.id in by_id:
                raise StoreError(f"duplicate entity id {e.id} in one version of {source}")
            by_id[e.id] = e
            hashes[e.id] = e.content_hash()
        return self.import_hashed(source, published, sha256, files, hashes, by_id.__getitem__, stats)

    def import_hashed(
        self,
        source: str,
        published: str | datetime,
        sha256: str,
        files: list[dict[str, Any]],
        hashes: Mapping[str, str],
        get_entity: Callable[[str], Entity],
        stats: Mapping[str, Any] | None = None,
    ) -> ImportResult:
        """Store one version given each entity's content hash; `get_entity` is called only for what changed.

        This is what lets the history importer skip parsing records that did not change between captures.
        """
        published = iso_utc(parse_when(published))
        existing = self.has_snapshot(source, sha256, published)
        if existing:
            return ImportResult(existing, False)
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            before = db.execute(
                "SELECT * FROM snapshot WHERE source = ? AND published <= ? ORDER BY seq DESC LIMIT 1",
                (source, published),
            ).fetchone()
            if before is not None and before["sha256"] == sha256:
                db.execute("ROLLBACK")  # the publisher re-issued identical files: nothing changed
                return ImportResult(Snapshot.from_row(before), False)
            seq = before["seq"] + 1 if before is not None else 1
            later = db.execute(
                "SELECT COUNT(*) FROM snapshot WHERE source = ? AND seq >= ?", (source, seq)
            ).fetchone()[0]
            if later:
                self._make_room(source, seq)
            cur = db.execute(
                "INSERT INTO snapshot (source, seq, published, imported_at, sha256, files, entity_count, added,"
                " removed, modified, stats) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
                (
                    source,
                    seq,
                    published,
                    iso_utc(datetime.now(UTC)),
                    sha256,
                    json.dumps(files),
                    len(hashes),
                    json.dumps(dict(stats or {})),
                ),
            )
            sid = cur.lastrowid
            if later:
                self._insert_between(source, sid, seq, hashes, get_entity)
            else:
                self._append(source, sid, seq, hashes, get_entity)
            self._recount(sid)
            if later:
                nxt = db.execute("SELECT id FROM snapshot WHERE source = ? AND seq = ?", (source, seq + 1))
                self._recount(nxt.fetchone()[0])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        snap = self.snapshot(sid)
        assert snap is not None
        return ImportResult(snap, True)

    def import_delta(
        self,
        source: str,
        published: str | datetime,
        sha256: str,
        files: list[dict[str, Any]],
        entity_count: int,
        changed: Mapping[str, Entity],
        removed: Iterable[str],
        after_sha256: str,
        stats: Mapping[str, Any] | None = None,
    ) -> ImportResult | None:
        """Append a version given only what differs from the latest stored one: `changed` (new or possibly
        modified entities) and `removed` ids. Valid only when the latest stored version of `source` is the one
        the delta was computed against (`after_sha256`) and this version is newer; returns None otherwise, and
        the caller falls back to `import_hashed`. Costs O(changes), not O(list)."""
        published = iso_utc(parse_when(published))
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            latest = db.execute(
                "SELECT * FROM snapshot WHERE source = ? ORDER BY seq DESC LIMIT 1", (source,)
            ).fetchone()
            if latest is None or latest["sha256"] != after_sha256 or latest["published"] > published:
                db.execute("ROLLBACK")
                return None
            seq = latest["seq"] + 1
            sid = db.execute(
                "INSERT INTO snapshot (source, seq, published, imported_at, sha256, files, entity_count, added,"
                " removed, modified, stats) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
                (source, seq, published, iso_utc(datetime.now(UTC)), sha256, json.dumps(files), entity_count,
                 json.dumps(dict(stats or {}))),
            ).lastrowid
            ids = sorted(set(changed) | set(removed))
            open_now: dict[str, tuple[int, str]] = {}
            for chunk in _chunks(ids, 500):
                marks = ",".join("?" * len(chunk))
                for eid, vid, h in db.execute(
                    "SELECT entity_id, id, content_hash FROM entity_version"  # noqa: S608
                    f" WHERE valid_to IS NULL AND source = ? AND entity_id IN ({marks})",
                    [source, *chunk],
                ):
                    open_now[eid] = (vid, h)
            for eid in sorted(changed):
                entity = changed[eid]
                h = entity.content_hash()
                prev = open_now.get(eid)
                if prev is not None and prev[1] == h:
                    continue
                vid = self._insert_version(entity, source, seq, None, h)
                if prev is not None:
                    db.execute("UPDATE entity_version SET valid_to = ? WHERE id = ?", (seq, prev[0]))
                self._record_change(sid, seq, eid, prev[0] if prev else None, vid, entity)
            for eid in sorted(set(removed) - set(changed)):
                prev = open_now.get(eid)
                if prev is None:
                    raise StoreError(f"{eid} removed in a delta but not listed in the version it follows")
                db.execute("UPDATE entity_version SET valid_to = ? WHERE id = ?", (seq, prev[0]))
                self._record_change(sid, seq, eid, prev[0], None, None)
            self._recount(sid)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return ImportResult(self.snapshot(sid), True)

    def retime_snapshot(self, snapshot_id: int, published: str | datetime) -> Snapshot:
        """Correct a version's publication time (e.g. a day-only date guessed from a folder name, once a capture
        gives the hour), provided it keeps its place among the versions of its source."""
        published = iso_utc(parse_when(published))
        snap = self.snapshot(snapshot_id)
        if snap is None:
            raise StoreError(f"no snapshot {snapshot_id}")
        around = self.db.execute(
            "SELECT MAX(CASE WHEN seq < ? THEN published END), MIN(CASE WHEN seq > ? THEN published END)"
            " FROM snapshot WHERE source = ?",
            (snap.seq, snap.seq, snap.source),
        ).fetchone()
        if (around[0] and around[0] > published) or (around[1] and around[1] < published):
            raise StoreError(f"snapshot {snapshot_id} cannot move to {published}: it would change places")
        self.db.execute("UPDATE snapshot SET published = ? WHERE id = ?", (published, snapshot_id))
        return self.snapshot(snapshot_id)

    def _recount(self, sid: int) -> None:
        counts = dict(
            self.db.execute("SELECT change, COUNT(*) FROM change WHERE snapshot_id = ? GROUP BY change", (sid,))
        )
        self.db.execute(
            "UPDATE snapshot SET added = ?, removed = ?, modified = ? WHERE id = ?",
            (counts.get(ADDED, 0) + counts.get(RELISTED, 0), counts.get(REMOVED, 0), counts.get(MODIFIED, 0), sid),
        )

    def _state(self, source: str, seq: int) -> dict[str, tuple[int, str, int | None]]:
        """entity_id -> (version id, content hash, valid_to) of the versions visible at `seq`."""
        return {
            r[0]: (r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT entity_id, id, content_hash, valid_to FROM entity_version WHERE source = ?"
                " AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
                (source, seq, seq),
            )
        }

    def _body(self, version_id: int) -> Entity:
        return unpack(self.db.execute("SELECT body FROM entity_version WHERE id = ?", (version_id,)).fetchone()[0])

    def _last_version_before(self, entity_id: str, seq: int) -> int | None:
        row = self.db.execute(
            "SELECT id FROM entity_version WHERE entity_id = ? AND valid_from < ? ORDER BY valid_from DESC LIMIT 1",
            (entity_id, seq),
        ).fetchone()
        return row[0] if row else None

    def _append(
        self, source: str, sid: int, seq: int, hashes: Mapping[str, str], get_entity: Callable[[str], Entity]
    ) -> None:
        """The common case: the new version is the latest of its source, so the state before it is the set of
        open versions (read through the `version_open` index)."""
        prev = {
            r[0]: (r[1], r[2], None)
            for r in self.db.execute(
                "SELECT entity_id, id, content_hash FROM entity_version WHERE source = ? AND valid_to IS NULL",
                (source,),
            )
        }
        for eid in sorted(hashes):
            h = hashes[eid]
            p = prev.get(eid)
            if p is not None and p[1] == h:
                continue
            entity = get_entity(eid)
            vid = self._insert_version(entity, source, seq, None, h)
            if p is not None:
                self.db.execute("UPDATE entity_version SET valid_to = ? WHERE id = ?", (seq, p[0]))
            self._record_change(sid, seq, eid, p[0] if p else None, vid, entity)
        for eid, (vid, _h, _to) in prev.items():
            if eid not in hashes:
                self.db.execute("UPDATE entity_version SET valid_to = ? WHERE id = ?", (seq, vid))
                self._record_change(sid, seq, eid, vid, None, None)

    def _make_room(self, source: str, seq: int) -> None:
        """Shift every snapshot at or after `seq` one place later, with the versions' intervals."""
        db = self.db
        db.execute("UPDATE snapshot SET seq = -(seq + 1) WHERE source = ? AND seq >= ?", (source, seq))
        db.execute("UPDATE snapshot SET seq = -seq WHERE source = ? AND seq < 0", (source,))
        db.execute("UPDATE entity_version SET valid_from = valid_from + 1 WHERE source = ? AND valid_from >= ?",
                   (source, seq))
        db.execute("UPDATE entity_version SET valid_to = valid_to + 1 WHERE source = ? AND valid_to >= ?",
                   (source, seq))

    def _insert_between(
        self, source: str, sid: int, seq: int, hashes: Mapping[str, str], get_entity: Callable[[str], Entity]
    ) -> None:
        """A version older than the latest one arrived: split the intervals around it and redo both diffs.

        After `_make_room`, nothing starts at `seq`, so every version visible at seq - 1 still covers seq.
        """
        db = self.db
        prev = self._state(source, seq - 1) if seq > 1 else {}
        nxt = self._state(source, seq + 1)
        next_sid = db.execute("SELECT id FROM snapshot WHERE source = ? AND seq = ?", (source, seq + 1)).fetchone()[0]
        for eid in sorted(set(prev) | set(hashes)):
            p, x, h = prev.get(eid), nxt.get(eid), hashes.get(eid)
            if (p[1] if p else None) == h:
                continue
            if p is not None:
                db.execute("UPDATE entity_version SET valid_to = ? WHERE id = ?", (seq, p[0]))
                if x is not None and x[0] == p[0]:  # it continued after: its tail becomes a version of its own
                    x = (self._insert_version(self._body(p[0]), source, seq + 1, p[2], p[1]), p[1], p[2])
            vid = None
            if h is not None:
                if x is not None and x[1] == h:  # the next version has this content already: start it earlier
                    db.execute("UPDATE entity_version SET valid_from = ? WHERE id = ?", (seq, x[0]))
                    vid = x[0]
                else:
                    vid = self._insert_version(get_entity(eid), source, seq, seq + 1, h)
            db.execute("DELETE FROM change WHERE snapshot_id = ? AND entity_id = ?", (next_sid, eid))
            self._record_change(sid, seq, eid, p[0] if p else None, vid, None)
            if x is None or x[0] != vid:
                self._record_change(next_sid, seq + 1, eid, vid, x[0] if x else None, None)

    def _record_change(
        self, sid: int, seq: int, eid: str, old_vid: int | None, new_vid: int | None, new: Entity | None
    ) -> None:
        """Record how `eid` changed at snapshot `sid` (position `seq`) from version old_vid to new_vid."""
        if old_vid is None and new_vid is None:
            return
        if new_vid is not None and new is None:
            new = self._body(new_vid)
        if new_vid is None:
            old = self._body(old_vid)
            self._change(sid, old, REMOVED, None, old_vid, None)
        elif old_vid is not None:
            self._change(sid, new, MODIFIED, new_vid, old_vid, entity_diff(self._body(old_vid), new))
        else:
            before = self._last_version_before(eid, seq)
            if before is not None:
                self._change(sid, new, RELISTED, new_vid, before, entity_diff(self._body(before), new))
            else:
                self._change(sid, new, ADDED, new_vid, None, None)

    def _insert_version(
        self, entity: Entity, source: str, valid_from: int, valid_to: int | None, content_hash: str
    ) -> int:
        cur = self.db.execute(
            "INSERT INTO entity_version (entity_id, source, valid_from, valid_to, content_hash, kind, caption, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (entity.id, source, valid_from, valid_to, content_hash, entity.kind, entity.caption, pack(entity)),
        )
        return cur.lastrowid

    def _change(
        self, sid: int, entity: Entity, change: str, vid: int | None, prev: int | None, diff: list | None
    ) -> None:
        self.db.execute(
            "INSERT INTO change (snapshot_id, entity_id, change, version_id, prev_version_id, caption, kind,"
            " programs, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sid,
                entity.id,
                change,
                vid,
                prev,
                entity.caption,
                entity.kind,
                json.dumps(entity.programs),
                json.dumps(diff) if diff is not None else None,
            ),
        )

    # -- reading -----------------------------------------------------------------------------------------------
    def view(self, as_of: str | datetime | None = None, sources: Iterable[str] | None = None) -> View:
        """An immutable view of the lists in force at `as_of` (default: latest), one snapshot per source."""
        names = list(sources) if sources else self.sources()
        snaps = [s for s in (self.snapshot_as_of(n, as_of) for n in names) if s is not None]
        return View(self, snaps, as_of)

    def entity_versions(self, entity_id: str) -> list[dict[str, Any]]:
        """Every stored version of an entity, oldest first, with its validity interval and the change that made it."""
        rows = self.db.execute(
            "SELECT v.id, s1.id AS from_id, s2.id AS to_id, v.body, s1.published AS from_time,"
            " s2.published AS to_time"
            " FROM entity_version v JOIN snapshot s1 ON s1.source = v.source AND s1.seq = v.valid_from"
            " LEFT JOIN snapshot s2 ON s2.source = v.source AND s2.seq = v.valid_to"
            " WHERE v.entity_id = ? ORDER BY v.valid_from",
            (entity_id,),
        ).fetchall()
        out = []
        for r in rows:
            ch = self.db.execute(
                    "SELECT change, diff FROM change WHERE version_id = ? AND snapshot_id = ?", (r["id"], r["from_id"])
            ).fetchone()
            out.append(
                {
                    "version_id": r["id"],
                    "valid_from": r["from_time"],
                    "valid_to": r["to_time"],
                    "valid_from_snapshot": r["from_id"],
                    "valid_to_snapshot": r["to_id"],
                    "change": ch["change"] if ch else None,
                    "diff": json.loads(ch["diff"]) if ch and ch["diff"] else None,
                    "entity": unpack(r["body"]),
                }
            )
        return out

    def changes(self, snapshot_ids: Iterable[int]) -> list[dict[str, Any]]:
        ids = list(snapshot_ids)
        out: list[dict[str, Any]] = []
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                "SELECT snapshot_id, entity_id, change, caption, kind, programs, diff FROM change"  # noqa: S608
                f" WHERE snapshot_id IN ({marks}) ORDER BY snapshot_id, change, entity_id",
                chunk,
            ):
                out.append(
                    {
                        "snapshot_id": r["snapshot_id"],
                        "entity_id": r["entity_id"],
                        "change": r["change"],
                        "caption": r["caption"],
                        "kind": r["kind"],
                        "programs": json.loads(r["programs"]),
                        "diff": json.loads(r["diff"]) if r["diff"] else None,
                    }
                )
        return out

    def snapshots_between(self, since: str, until: str | None, source: str | None = None) -> list[Snapshot]:
        sql = "SELECT * FROM snapshot WHERE published >= ?"
        args: list[Any] = [since]
        if until:
            sql += " AND published <= ?"
            args.append(until)
        if source:
            sql += " AND source = ?"
            args.append(source)
        return [Snapshot.from_row(r) for r in self.db.execute(sql + " ORDER BY published, id", args)]


class View:
    """The entities of a fixed set of snapshots. Reads never see a later import (snapshot ids pin the state)."""

    def __init__(self, store: Store, snapshots: list[Snapshot], as_of: str | datetime | None = None):
        self.store = store
        self.snapshots = snapshots
        self.as_of = as_of

    @property
    def snapshot_ids(self) -> list[int]:
        return [s.id for s in self.snapshots]

    def _visible(self) -> tuple[str, list[Any]]:
        clauses, args = [], []
        for s in self.snapshots:
            clauses.append("(source = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?))")
            args += [s.source, s.seq, s.seq]
        return " OR ".join(clauses) or "0", args

    def entities(self) -> Iterator[Entity]:
        where, args = self._visible()
        for (body,) in self.store.db.execute(
            f"SELECT body FROM entity_version WHERE {where} ORDER BY entity_id", args  # noqa: S608
        ):
            yield unpack(body)

    def count(self) -> int:
        where, args = self._visible()
        return self.store.db.execute(f"SELECT COUNT(*) FROM entity_version WHERE {where}", args).fetchone()[0]  # noqa: S608

    def entity(self, entity_id: str) -> Entity | None:
        source = entity_id.split(":", 1)[0]
        for s in self.snapshots:
            if s.source != source:
                continue
            row = self.store.db.execute(
                "SELECT body FROM entity_version WHERE entity_id = ? AND valid_from <= ?"
                " AND (valid_to IS NULL OR valid_to > ?) ORDER BY id DESC LIMIT 1",
                (entity_id, s.seq, s.seq),
            ).fetchone()
            return unpack(row[0]) if row else None
        return None

    def find_by_name(self, text: str) -> list[Entity]:
        """Entities whose listed name equals `text` (case-insensitive). For exact lookups, not screening."""
        where, args = self._visible()
        rows = self.store.db.execute(
            f"SELECT body FROM entity_version WHERE ({where}) AND caption = ? COLLATE NOCASE",  # noqa: S608
            [*args, text],
        )
        return [unpack(r[0]) for r in rows]


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
