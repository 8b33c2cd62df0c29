"""A built screening index kept on disk next to the store, so a new process answers its first query in about a
second instead of rebuilding the index (~5 s for all current lists: reading 19k entities, preparing 45k names,
asking rigour's person-name table). Imports build the new lists' index once (`prebuild`); processes that need
the same new index together build it once (a file lock).

A cache file is named by a fingerprint of everything the index depends on: the view's snapshots (id, source,
sequence, file hash, entity count) and source filter, the match settings, the code (package version plus a
hash of the source files that shape the index) and rigour's version, so a stale file is never read. Files are written atomically
(temporary file, then rename) with owner-only permissions, and only the newest few are kept. The format is a
pickle: it lives in the store's own folder and is trusted exactly as the store is (whoever can write there can
rewrite the lists). An unreadable file is ignored and replaced.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sanctions.match.index import Index
from sanctions.match.name_table import NAME_TABLES
from sanctions.match.settings import MatchSettings

log = logging.getLogger("sanctions.index_cache")

KEEP = 4  # cache files kept per store (the newest)
_PACKAGE = Path(__file__).resolve().parent
_CODE = ("model.py", "match")  # what the index is made of


@lru_cache(maxsize=4)
def code_hash(extra: tuple[str, ...] = ()) -> str:
    """A hash of the package version and the source files an index is made of (`extra`: more of them, relative
    to the package, for an index whose shape other code decides, such as the customer index)."""
    from sanctions import __version__

    h = hashlib.sha256(__version__.encode())
    for part in (*_CODE, *extra):
        p = _PACKAGE / part
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def fingerprint(snapshots: Iterable[Any], sources: Iterable[str] | None, settings: MatchSettings) -> str:
    snaps = sorted((s.id, s.source, s.seq, s.sha256, s.entity_count) for s in snapshots)
    h = hashlib.sha256(repr((snaps, sorted(sources) if sources else None, repr(settings),
                             sorted(settings.weights.items()), code_hash(), _names_key())).encode())
    return h.hexdigest()[:32]


def load(folder: Path, key: str, prefix: str = "index", kind: type = Index) -> Any:
    """The object saved under `key` (an `Index`, or `kind`), or None when there is none or it is unusable."""
    path = folder / f"{prefix}-{key}.pickle"
    if not path.is_file():
        return None
    enabled = gc.isenabled()
    gc.disable()  # millions of long-lived objects: no collections while they arrive
    try:
        with path.open("rb") as fh:
            stored_key, index = pickle.load(fh)  # noqa: S301 - our own file, beside the store (see above)
        if stored_key != key or not isinstance(index, kind):
            raise ValueError("not the index it is named for")
    except Exception as exc:  # a truncated or foreign file: rebuild and overwrite
        log.warning("ignoring index cache %s: %s", path, exc)
        return None
    finally:
        if enabled:
            gc.enable()
    gc.freeze()  # as after a build: later collections never traverse the index
    os.utime(path)  # newest used first when pruning
    return index


def save(folder: Path, key: str, index: Any, prefix: str = "index") -> Path | None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=folder)
        enabled = gc.isenabled()
        gc.disable()
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((key, index), fh, protocol=5)
            path = folder / f"{prefix}-{key}.pickle"
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        finally:
            if enabled:
                gc.enable()
    except OSError as exc:  # a read-only folder, a full disk: screening goes on without the cache
        log.warning("could not write the index cache in %s: %s", folder, exc)
        return None
    files = sorted(folder.glob(f"{prefix}-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
    return path


def index_for_view(view: Any, settings: MatchSettings, folder: Path | None,
                   sources: Iterable[str] | None = None) -> Index:
    """The index of a store view: from the cache folder when a matching file is there, else built (and saved
    there). `folder=None` builds without the cache."""
    if folder is None:
        return Index.build(view.entities(), settings)
    key = fingerprint(view.snapshots, sources, settings)
    index = load(folder, key)
    if index is None:
        with _building(folder, key):  # one process builds; the others wait, then read its file
            index = load(folder, key)
            if index is None:
                index = _build(view, settings, folder)
                save(folder, key, index)
    return index


def prebuild(view: Any, settings: MatchSettings, folder: Path) -> bool:
    """Build and save the index of `view` (all its sources) unless the cache folder has it: an import (`sync`,
    `load`, `history import`) calls it once the lists are in, so screening processes read the new version's index
    instead of each building it. Returns whether it built."""
    key = fingerprint(view.snapshots, None, settings)
    if (folder / f"index-{key}.pickle").is_file():
        return False
    with _building(folder, key):
        if (folder / f"index-{key}.pickle").is_file():
            return False
        save(folder, key, _build(view, settings, folder))
    return True


def _build(view: Any, settings: MatchSettings, folder: Path) -> Index:
    """Build the index, with the person-name answers already known in this folder (`match.name_table`): a view
    of lists whose words were all asked before (an older date, fewer sources) needs no name-table helper."""
    names_key = _names_key()
    known = load(folder, names_key, prefix="names", kind=tuple)
    if known is not None:
        NAME_TABLES.absorb(*known)
    index = Index.build(view.entities(), settings)
    asked, table = NAME_TABLES.known()
    if known is None or len(asked) > len(known[0]):  # new answers to keep
        save(folder, names_key, (asked, table), prefix="names")
    return index


@lru_cache(maxsize=1)
def _names_key() -> str:
    """The name-table answers (and the legal-form table) are rigour's: one answers file per rigour version, and
    the version is part of every index fingerprint."""
    return "rigour-" + version("rigour").replace("/", "_")


@contextmanager
def _building(folder: Path, key: str) -> Iterator[None]:
    """Hold the build lock of one cache file: processes that start together on a new list version (batch
    workers, API workers) build its index once, not each (each build also asks rigour's name table, whose helper
    costs ~420 MB while it runs). No lock (read-only folder): each builds."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fh = open(folder / f".build-{key}.lock", "w")  # noqa: SIM115 - held until the build is saved
    except OSError:
        yield
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
            Path(fh.name).unlink(missing_ok=True)
