"""From files on disk to a stored snapshot: assemble a list's files, hash them, parse them, import them.

This is the one place where `sources` (pure parsers) meets the `store`; the CLI, `sync` and the history
importer all come through here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctions.model import SourceError
from sanctions.sources import ParseResult, SourceFile, SourceSpec, get_source, parse, role_of
from sanctions.store import ImportResult, Store
from sanctions.store.times import iso_utc, parse_when

MAX_FILE_BYTES = 256 * 1024 * 1024  # official list files are < 10 MB; bigger is refused before reading
_FOLDER_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})$")


@dataclass
class LoadOutcome:
    source: str
    result: ImportResult
    parsed: ParseResult


def read_files(spec: SourceSpec, paths: list[Path]) -> dict[str, SourceFile]:
    files: dict[str, SourceFile] = {}
    for path in paths:
        role = role_of(spec, path.name)
        if role is None:
            raise SourceError(
                f"not a file of {spec.name} (expected one of: {', '.join(spec.roles)})", file=str(path)
            )
        if role in files:
            raise SourceError(f"two files for the role {role}: {files[role].name} and {path}", file=str(path))
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise SourceError(f"file of {size} bytes is larger than the {MAX_FILE_BYTES} byte limit", str(path))
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror}", file=str(path)) from None
        files[role] = SourceFile(str(path), data)
    return files


def files_digest(files: dict[str, SourceFile]) -> tuple[str, list[dict]]:
    meta = [
        {"role": role, "name": Path(f.name).name, "sha256": hashlib.sha256(f.data).hexdigest(), "size": len(f.data)}
        for role, f in sorted(files.items())
    ]
    if len(meta) == 1:
        return meta[0]["sha256"], meta
    joined = "\n".join(f"{m['role']}:{m['sha256']}" for m in meta)
    return hashlib.sha256(joined.encode()).hexdigest(), meta


def guess_published(paths: list[Path]) -> str | None:
    """The date in a mirror folder's name (ofac-sdn-2024-05-03/sdn.csv), for files that state none inside."""
    for p in paths:
        m = _FOLDER_DATE.search(p.parent.name)
        if m:
            return m.group(1)
    return None


def load_files(
    store: Store, source: str, paths: list[Path], published: str | None = None
) -> LoadOutcome:
    """Parse the files of one published version of `source` and import them as one snapshot.

    Publication time: `published` if given, else the date the file states, else the mirror folder's date,
    else the newest file modification time."""
    spec = get_source(source)
    files = read_files(spec, paths)
    primary = [r for r in spec.required if r in files]
    if not primary:
        raise SourceError(f"{source} needs one of {', '.join(spec.required)}", file=str(paths[0]) if paths else None)
    sha, meta = files_digest(files)
    parsed = parse(spec, files)
    primary_path = [Path(files[r].name) for r in primary]
    when = published or parsed.published
    if not when:
        when = guess_published(primary_path) or iso_utc(
            datetime.fromtimestamp(max(p.stat().st_mtime for p in paths), UTC)
        )
        when = _after_same_capture(store, source, files, primary[0], when)
    try:
        parse_when(when)
    except ValueError as exc:
        raise SourceError(str(exc)) from None
    result = store.import_snapshot(source, when, sha, meta, parsed.entities, stats=parsed.stats)
    return LoadOutcome(source, result, parsed)


def _after_same_capture(store: Store, source: str, files: dict[str, SourceFile], primary: str, guess: str) -> str:
    """A folder date says only the day. If the store already holds a capture of this very primary file (from
    `history import`) on that day, this fuller set (primary plus aux files) is the same publication: place it
    just after that capture rather than before it, so the timeline does not lose the aux data again."""
    if len(files) < 2:
        return guess
    digest = hashlib.sha256(files[primary].data).hexdigest()
    for snap in store.snapshots_with_file(source, digest):
        if snap.published[:10] == iso_utc(parse_when(guess))[:10] and len(snap.files) == 1:
            return iso_utc(parse_when(snap.published) + timedelta(seconds=1))
    return guess


def mirror_files(mirror: Path, spec: SourceSpec) -> list[Path]:
    """The files of `spec` in a mirror folder laid out like ../shared/data/current: one folder per list and
    date (`ofac-sdn-2024-05-03/sdn.csv`). The primary file comes from the newest folder that has one; each
    auxiliary file (addresses, aliases ...) from the newest folder that has it."""
    folders = sorted(
        (d for d in mirror.iterdir() if d.is_dir() and d.name.startswith(spec.folder_prefix + "-")),
        key=lambda d: (_FOLDER_DATE.search(d.name).group(1) if _FOLDER_DATE.search(d.name) else "", d.name),
        reverse=True,
    )
    by_role: dict[str, Path] = {}
    for d in folders:
        for f in sorted(d.iterdir()):
            role = role_of(spec, f.name)
            if role and role not in by_role:
                by_role[role] = f
    primaries = [r for r in spec.required if r in by_role]
    if not primaries:
        return []
    # Keep one primary: the newest (ties: the order of spec.required, CSV before XML).
    best = max(primaries, key=lambda r: (by_role[r].parent.name[-10:], -spec.required.index(r)))
    return [p for r, p in by_role.items() if r == best or r not in spec.required]
