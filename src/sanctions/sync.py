"""Fetch the current version of each list from its publisher (or a local mirror folder) and import it.

Downloads go to a temporary folder with a timeout, a size cap and retries with backoff; the files are parsed
and imported only when every file of the list arrived whole. A failed list keeps its previous data and is
reported; the other lists go on.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sanctions import __version__
from sanctions.loader import LoadOutcome, load_files, mirror_files
from sanctions.model import SourceError
from sanctions.settings import Settings
from sanctions.sources import SOURCES, SourceSpec, get_source
from sanctions.store import Store, StoreError

USER_AGENT = f"sanctions/{__version__} (+https://github.com/sanctions)"
# Aux files are optional: a list is still imported without them (e.g. a publisher drops one for a day).
OPTIONAL_ROLES = {"add.csv", "alt.csv", "sdn_comments.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"}


class DownloadError(Exception):
    pass


@dataclass
class SyncReport:
    source: str
    ok: bool
    message: str
    outcome: LoadOutcome | None = None


def download(url: str, dest: Path, settings: Settings) -> int:
    """Fetch `url` into `dest` with retries; returns the byte count. Raises DownloadError."""
    delay = settings.http_backoff
    last = ""
    for attempt in range(1, settings.http_retries + 1):
        try:
            req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(req, timeout=settings.http_timeout) as resp, dest.open("wb") as out:
                total = 0
                while chunk := resp.read(1 << 16):
                    total += len(chunk)
                    if total > settings.max_download_bytes:
                        raise DownloadError(f"{url}: larger than {settings.max_download_bytes} bytes, refused")
                    out.write(chunk)
                expected = resp.headers.get("Content-Length")
                if expected is not None and int(expected) != total:
                    raise OSError(f"truncated: {total} of {expected} bytes")
                if total == 0:
                    raise OSError("empty response")
                return total
        except DownloadError:
            raise
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if exc.code in (400, 401, 403, 404, 410):
                break  # retrying will not help
        except (OSError, ValueError) as exc:
            last = str(getattr(exc, "reason", None) or exc)
        if attempt < settings.http_retries:
            time.sleep(delay)
            delay *= 2
    raise DownloadError(f"{url}: {last} (after {attempt} attempt{'s' if attempt > 1 else ''})")


def sync_source(
    store: Store,
    spec: SourceSpec,
    settings: Settings,
    urls: dict[str, str] | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> SyncReport:
    try:
        if settings.mirror is not None:
            paths = mirror_files(settings.mirror, spec)
            if not paths:
                return SyncReport(spec.name, False, f"no files for {spec.name} in mirror {settings.mirror}")
            outcome = load_files(store, spec.name, paths)
        else:
            outcome = _download_and_load(store, spec, settings, urls or spec.urls, log)
    except (DownloadError, SourceError, StoreError) as exc:
        return SyncReport(spec.name, False, f"{exc}; previous data kept")
    snap = outcome.result.snapshot
    if outcome.result.created:
        msg = f"snapshot {snap.id} published {snap.published}: {snap.entity_count} entities"
        msg += f" (+{snap.added} -{snap.removed} ~{snap.modified})"
    else:
        msg = f"unchanged since snapshot {snap.id} ({snap.published})"
    return SyncReport(spec.name, True, msg, outcome)


def _download_and_load(
    store: Store, spec: SourceSpec, settings: Settings, urls: dict[str, str], log: Callable[[str], None]
) -> LoadOutcome:
    tmp = Path(tempfile.mkdtemp(prefix=f"sanctions-{spec.name}-"))
    try:
        paths = []
        for role, url in urls.items():
            dest = tmp / role
            log(f"{spec.name}: downloading {url}")
            try:
                download(url, dest, settings)
            except DownloadError:
                if role in OPTIONAL_ROLES:
                    log(f"{spec.name}: optional file {role} unavailable, importing without it")
                    continue
                raise
            paths.append(dest)
        return load_files(store, spec.name, paths)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sync(
    store: Store,
    settings: Settings,
    sources: list[str] | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> list[SyncReport]:
    if sources:
        specs = [get_source(s) for s in sources]
    elif settings.mirror is not None:  # a mirror need not hold every list: sync what it has
        specs = [spec for spec in SOURCES.values() if mirror_files(settings.mirror, spec)]
        if not specs:
            raise SourceError(f"no list folders found in mirror {settings.mirror}")
    else:
        specs = list(SOURCES.values())
    return [sync_source(store, spec, settings, log=log) for spec in specs]
