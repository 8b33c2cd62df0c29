"""Running the service for tests and benchmarks: a uvicorn server on a free loopback port in a background
thread (real HTTP, real sockets), and a small store built from the real list files. Kept in the package so that
the test modules and bench/api_load.py share one implementation."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx

from sanctions.api.config import ApiSettings

# Folders of ../shared/data/older imported before ../shared/data/current, so that the demo store has history.
OLDER = ("ofac-sdn-2021-07-07", "un-sc-2024-09-26", "bis-dpl-2022-09-07")


def mirror_of(folders: list[Path], where: Path) -> Path:
    """A mirror folder made of symlinks to list folders (the data is never copied)."""
    where.mkdir(parents=True, exist_ok=True)
    for f in folders:
        link = where / f.name
        if not link.exists():
            link.symlink_to(f.resolve(), target_is_directory=True)
    return where


def build_demo_store(path: Path, data_dir: Path, older: tuple[str, ...] = OLDER, current: bool = True) -> Path:
    """Older versions of some lists, then (with `current`) every current list: entities with timelines, and
    changes. Built under a temporary name and renamed, so an existing file is always complete."""
    from sanctions.settings import Settings
    from sanctions.store import Store
    from sanctions.sync import sync

    path = Path(path)
    if path.exists():
        return path
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sanctions-mirror-"))
    try:
        steps = []
        if older:
            steps.append(mirror_of([data_dir / "older" / o for o in older], work / "older"))
        if current:
            steps.append(data_dir / "current")
        with Store(tmp) as store:
            for mirror in steps:
                for r in sync(store, Settings(db_path=tmp, mirror=mirror)):
                    if not r.ok:
                        raise RuntimeError(f"building the demo store: {r.source}: {r.message}")
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    return path


def free_socket(host: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    return sock


class ServerThread:
    """`create_app(settings)` under uvicorn in a daemon thread. `start()` returns when /readyz says ready."""

    def __init__(self, settings: ApiSettings, log_level: str = "warning"):
        import uvicorn

        from sanctions.api import create_app

        self.settings = settings
        self.app = create_app(settings)
        self.sock = free_socket(settings.host)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{settings.host}:{self.port}"
        config = uvicorn.Config(self.app, log_level=log_level, access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True,
                                       name=f"uvicorn-{self.port}")

    def start(self, timeout: float = 180.0, ready: bool = True) -> ServerThread:
        self.thread.start()
        end = time.monotonic() + timeout
        path = "/readyz" if ready else "/healthz"
        while time.monotonic() < end:
            try:
                if httpx.get(self.url + path, timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"server at {self.url} not {'ready' if ready else 'up'} after {timeout}s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()

    @property
    def live(self):
        return self.app.state.live


_shared: dict[str, ServerThread] = {}
_shared_lock = threading.Lock()


def shared_server(db_path: Path, **overrides) -> ServerThread:
    """One server per store for a whole test session (loading the index once), stopped at exit."""
    key = str(db_path)
    with _shared_lock:
        srv = _shared.get(key)
        if srv is None:
            settings = ApiSettings(db_path=Path(db_path), reload_interval=0, **overrides)
            srv = _shared[key] = ServerThread(settings).start()
            atexit.register(srv.stop)
        return srv
