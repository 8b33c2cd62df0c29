"""Import archives of dated captures, and answer "what changed when".

`import_history` streams a tar(.xz/.gz) or a folder of captures of one list into snapshots, in time order,
holding at most the previous and the current capture in memory. Captures already stored are skipped, so an
interrupted import is simply run again. For the OFAC legacy CSV (no embedded newlines, one record per line)
only the lines that differ from the previous capture are parsed: a capture where 8 of 9,000 records changed
costs 8 record parses, not 9,000.

`changes_between` / `changes_on` read the change rows the store recorded at import and summarise them by
program.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tarfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from sanctions.loader import MAX_FILE_BYTES, files_digest
from sanctions.model import Entity, SourceError
from sanctions.sources import SourceFile, SourceSpec, get_source, parse, role_of
from sanctions.store import Store
from sanctions.store.times import day_bounds, iso_utc, parse_when

CAPTURE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?Z?)?")
INDEX_NAMES = ("index.csv",)
MIRROR_FOLDER = re.compile(r"^[a-z][a-z0-9-]*-\d{4}-\d{2}-\d{2}$")


@dataclass
class Capture:
    name: str  # member or file name, for messages
    published: str  # ISO UTC
    role: str
    data: bytes


@dataclass
class HistoryReport:
    imported: int = 0
    skipped: int = 0
    snapshots: list[int] = field(default_factory=list)


def capture_time(name: str, index: dict[str, str]) -> str | None:
    base = PurePosixPath(name).name
    if base in index:
        return iso_utc(parse_when(index[base]))
    for part in reversed(PurePosixPath(name).parts):
        m = CAPTURE_NAME.search(part)
        if m:
            day, hh, mm, ss = m.groups()
            text = f"{day}T{hh or '00'}:{mm or '00'}:{ss or '00'}Z"
            return iso_utc(parse_when(text))
    return None


def _safe_member(member: tarfile.TarInfo, archive: str) -> bool:
    p = PurePosixPath(member.name)
    if p.is_absolute() or ".." in p.parts:
        raise SourceError(f"unsafe member path {member.name!r} (absolute or '..'), archive refused", archive)
    if member.issym() or member.islnk() or member.isdev():
        raise SourceError(f"link or device member {member.name!r}, archive refused", archive)
    if member.size > MAX_FILE_BYTES:
        raise SourceError(f"member {member.name!r} of {member.size} bytes exceeds the limit", archive)
    return member.isfile()


def _read_index(data: bytes) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8", "replace")))
    return {r["file"]: r["capture_time_utc"] for r in rows if r.get("file") and r.get("capture_time_utc")}


def iter_captures(path: Path, spec: SourceSpec) -> Iterator[Capture]:
    """Captures in the order they are found (archives are streamed: one member in memory at a time)."""
    index: dict[str, str] = {}
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        for p in files:
            if p.name in INDEX_NAMES:
                index.update(_read_index(p.read_bytes()))
        items = []
        for p in files:
            role = role_of(spec, p.name) or _role_by_suffix(spec, p.name)
            if role is None or not _folder_is_for(spec, p.relative_to(path)):
                continue
            when = capture_time(str(p.relative_to(path)), index)
            if when is None:
                raise SourceError("no capture time in the file or folder name, and no index entry", str(p))
            items.append((when, p, role))
        for when, p, role in sorted(items):
            if p.stat().st_size > MAX_FILE_BYTES:
                raise SourceError("file exceeds the size limit", str(p))
            yield Capture(str(p), when, role, p.read_bytes())
        return
    try:
        tar = tarfile.open(str(path), mode="r|*")
    except (tarfile.TarError, OSError) as exc:
        raise SourceError(f"not a readable tar archive: {exc}", str(path)) from None
    try:
        with tar:
            for member in tar:
                if not _safe_member(member, str(path)):
                    continue
                base = PurePosixPath(member.name).name
                f = tar.extractfile(member)
                if f is None:
                    continue
                data = f.read(MAX_FILE_BYTES + 1)
                if base in INDEX_NAMES:
                    index.update(_read_index(data))
                    continue
                role = role_of(spec, base) or _role_by_suffix(spec, base)
                if role is None:
                    continue
                when = capture_time(member.name, index)
                if when is None:
                    raise SourceError(f"member {member.name}: no capture time in its name or an index", str(path))
                yield Capture(f"{path}:{member.name}", when, role, data)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:  # truncated or corrupt archive
        if isinstance(exc, SourceError):
            raise
        raise SourceError(f"corrupt or truncated archive: {exc}", str(path)) from None


def _folder_is_for(spec: SourceSpec, rel: Path) -> bool:
    """In a mirror-style tree (`un-sc-2018-10-29/consolidated.xml`, `ofac-cons-xml-2024-05-06/...`), a dated
    folder belongs to the list whose folder prefix it carries; other folders are not filtered."""
    for part in rel.parts[:-1]:
        if MIRROR_FOLDER.match(part) and not part.startswith(spec.folder_prefix + "-"):
            return False
    return True


def _role_by_suffix(spec: SourceSpec, name: str) -> str | None:
    """Dated capture names such as sdn-2022-01-12T1851Z.csv: the role is the part before the date."""
    m = re.match(r"^([a-z_]+)[-_]\d{4}-\d{2}-\d{2}.*(\.[a-z]+)$", name.lower())
    if m:
        return role_of(spec, m.group(1) + m.group(2))
    return None


class _LineCache:
    """The previous capture of an OFAC legacy CSV, line by line: ent_num -> raw line, plus the set of lines.
    Consecutive captures share almost every line, so a set difference of the raw lines (done in C) finds the
    few records that changed; only those are parsed."""

    def __init__(self) -> None:
        self.by_num: dict[bytes, bytes] = {}  # ent_num -> raw line of the previous capture
        self.lines: set[bytes] = set()
        self.hash_of: dict[bytes, str] = {}  # raw line -> content hash of its entity
        self.sha256 = ""  # of the previous capture
        self.capture_name = ""
        self.source = ""

    def advance(self, capture: Capture, source: str, sha256: str) -> tuple[dict[str, Entity], set[str], int]:
        """Move to `capture`: returns (entities of new or changed lines, ids of removed records, record count).
        Checks the structure of every new line and rejects duplicate ent_nums."""
        from sanctions.sources import ofac_csv

        lines = ofac_csv.record_lines(capture.data, capture.name)
        current = set(lines)
        if len(current) != len(lines):
            raise SourceError("duplicate record lines", capture.name)
        new = current - self.lines
        gone = self.lines - current
        if len(new) > 50:
            line_no = {raw: i + 1 for i, raw in enumerate(lines)}
        else:  # a few changed records: find their positions in C rather than indexing every line
            line_no = {raw: lines.index(raw) + 1 for raw in new}
        changed: dict[str, Entity] = {}
        new_nums: dict[bytes, bytes] = {}
        for raw in new:
            entity = ofac_csv.parse_primary_record(raw, source, capture.name, line_no[raw])
            num = entity.native_id.encode()
            old = self.by_num.get(num)
            if num in new_nums or (old is not None and old not in gone):
                raise SourceError(f"duplicate ent_num {entity.native_id}", capture.name, f"line {line_no[raw]}")
            new_nums[num] = raw
            changed[entity.id] = entity
            self.hash_of[raw] = entity.content_hash()
        removed = set()
        for raw in gone:
            self.hash_of.pop(raw, None)
            num = raw.split(b",", 1)[0].strip()
            if num not in new_nums:
                removed.add(f"{source}:{int(num)}")
                del self.by_num[num]
        self.by_num.update(new_nums)
        self.lines, self.sha256, self.capture_name, self.source = current, sha256, capture.name, source
        return changed, removed, len(lines)

    def hashes(self) -> dict[str, str]:
        """Content hash of every record of the current capture (for a version that is not simply appended)."""
        return {f"{self.source}:{int(num)}": self.hash_of[raw] for num, raw in self.by_num.items()}

    def entity(self, eid: str) -> Entity:
        """Parse one entity of the current capture (the store asks only for what differs from its state)."""
        from sanctions.sources import ofac_csv

        raw = self.by_num[eid.split(":", 1)[1].encode()]
        return ofac_csv.parse_primary_record(raw, self.source, self.capture_name, 0)


def import_history(
    store: Store, path: Path, source: str, progress: Callable[[Capture, bool], None] | None = None
) -> HistoryReport:
    spec = get_source(source)
    report = HistoryReport()
    cache = _LineCache()
    for cap in iter_captures(path, spec):
        incremental = spec.module == "ofac" and cap.role in ("sdn.csv", "cons_prim.csv")
        sha = hashlib.sha256(cap.data).hexdigest()
        files = {cap.role: SourceFile(cap.name, cap.data)}
        _sha, meta = files_digest(files)
        # Already stored: this very capture, or its file as part of a fuller set published that day (sdn.csv
        # with add/alt/comments from `sync`; importing it alone would drop the aux data again).
        within = [s for s in store.snapshots_with_file(source, sha) if len(s.files) > 1
                  and s.published[:10] == cap.published[:10]]
        if within and within[0].published.endswith("T00:00:00Z") and cap.published > within[0].published:
            # The fuller set's time was only a day (a mirror folder's date); this capture of the same file
            # gives the hour: the set goes just after it, so both import orders end in the same timeline.
            store.retime_snapshot(within[0].id, iso_utc(parse_when(cap.published) + timedelta(seconds=1)))
            within = []
        if store.has_snapshot(source, sha, cap.published) or within:
            report.skipped += 1
            if incremental:
                cache.advance(cap, source, sha)  # keep the line cache current for the next capture
            if progress:
                progress(cap, False)
            continue
        if incremental:
            after = cache.sha256
            changed, removed, count = cache.advance(cap, source, sha)
            stats = {"records": count, "parsed_records": len(changed)}
            result = store.import_delta(source, cap.published, sha, meta, count, changed, removed, after, stats)
            if result is None:  # not simply the next version of what the store holds: compare with everything
                result = store.import_hashed(source, cap.published, sha, meta, cache.hashes(), cache.entity, stats)
        else:
            pr = parse(spec, files)
            when = pr.published or cap.published  # a date stated inside the file beats the file's name
            if when != cap.published and store.has_snapshot(source, sha, iso_utc(parse_when(when))):
                report.skipped += 1
                continue
            result = store.import_snapshot(source, when, sha, meta, pr.entities, pr.stats)
        if result.created:
            report.imported += 1
            report.snapshots.append(result.snapshot.id)
        else:
            report.skipped += 1
        if progress:
            progress(cap, result.created)
    return report


# -- changes -----------------------------------------------------------------------------------------------------
def changes_between(
    store: Store, since: str, until: str | None = None, source: str | None = None
) -> list[dict[str, Any]]:
    """Per snapshot published in [since, until]: its added / removed / modified / relisted entities and a
    summary by program. Dates are whole days: --on D is since D until the end of D."""
    lo = iso_utc(parse_when(since))
    hi = iso_utc(parse_when(until, end_of_day=True)) if until else None
    snaps = store.snapshots_between(lo, hi, source)
    rows = store.changes([s.id for s in snaps])
    by_snap: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_snap.setdefault(r["snapshot_id"], []).append(r)
    out = []
    for s in snaps:
        items = by_snap.get(s.id, [])
        groups: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "modified": [], "relisted": []}
        summary: dict[str, Counter] = {}
        for it in items:
            groups[it["change"]].append(
                {k: it[k] for k in ("entity_id", "caption", "kind", "programs") if k in it}
                | ({"diff": it["diff"]} if it["diff"] else {})
            )
            for prog in it["programs"] or ["(none)"]:
                summary.setdefault(prog, Counter())[it["change"]] += 1
        out.append(
            {
                "snapshot": {"id": s.id, "source": s.source, "published": s.published, "entities": s.entity_count},
                **groups,
                "by_program": {p: dict(c) for p, c in sorted(summary.items())},
            }
        )
    return out


def changes_on(store: Store, day: str, source: str | None = None) -> list[dict[str, Any]]:
    lo, _hi = day_bounds(day)
    return changes_between(store, lo[:10], lo[:10], source)
