"""`sanctions serve` as processes: a small supervisor and N uvicorn workers sharing one listening socket.

Why not swap the index inside a long-lived worker: the old index is freed, but CPython's small-object allocator
and glibc keep most of its pages, so a service grew by about two thirds at every list change (docs/RELIABILITY.md).
Instead, when the lists change (a sync in a worker, an import by another process, or `kill -HUP` on the
supervisor), the supervisor replaces the workers one at a time, as gunicorn does on HUP but with readiness tied to
the index: the new worker builds its index *before* it accepts a connection, then the old one drains (its
responses carry `Connection: close` and it stops accepting) and stops gracefully. No request fails, every response
still comes from one snapshot set, and the service's memory is that of fresh workers again.

The supervisor imports nothing heavier than the store (to see list changes); workers are spawned fresh with
`python -c`, receive the socket and a readiness pipe as inherited file descriptors, and rebuild their settings
from the environment.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("sanctions.serve")

LISTEN_FD = "SANCTIONS_LISTEN_FD"
READY_FD = "SANCTIONS_READY_FD"
# POSIX signals (the supervisor runs where they exist; elsewhere `serve` is one process and swaps in place):
DRAIN_SIGNAL = getattr(signal, "SIGUSR1", None)  # supervisor -> old worker: stop accepting, answer, then close
ROLL_SIGNAL = getattr(signal, "SIGHUP", None)  # worker (after a sync) or operator -> supervisor: replace workers


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    check_interval: float = 5.0  # seconds between looks at the store for lists imported elsewhere (0 = never)
    ready_timeout: float = 600.0  # a replacement worker must have built its index within this
    drain_seconds: float = 1.0  # an old worker answers (with Connection: close) this long before it stops
    stop_timeout: float = 60.0  # graceful stop of a worker before it is killed
    backlog: int = 2048


# -- in a worker --------------------------------------------------------------------------------------------------
DRAINING = threading.Event()  # set when the supervisor replaces this worker
_worker: dict = {}


def supervised() -> bool:
    return LISTEN_FD in os.environ


def app_factory():
    from sanctions.api import ApiSettings, create_app

    return create_app(ApiSettings.from_env())


def worker_started(loop) -> None:
    """Called by the app once its start-up (and, in a replacement, the index build) is done: remember the
    event loop for the drain signal and tell the supervisor this worker can take connections."""
    _worker["loop"] = loop
    fd = _worker.pop("ready_fd", None)
    if fd is not None:
        try:
            os.write(fd, b"R")
        finally:
            os.close(fd)


def request_roll() -> None:
    """Ask the supervisor to replace the workers (the lists in the store changed)."""
    if supervised():
        os.kill(os.getppid(), ROLL_SIGNAL)


def _on_drain(signum, frame) -> None:
    DRAINING.set()
    server, loop = _worker.get("server"), _worker.get("loop")
    if server is None or loop is None:
        return

    def close_listeners() -> None:  # this process's copy of the shared socket only: the others keep accepting
        for s in getattr(server, "servers", []):
            s.close()

    loop.call_soon_threadsafe(close_listeners)


def worker_main() -> None:
    import uvicorn

    sock = socket.socket(fileno=int(os.environ[LISTEN_FD]))
    if os.environ.get(READY_FD):
        _worker["ready_fd"] = int(os.environ[READY_FD])
    config = uvicorn.Config("sanctions.api.workers:app_factory", factory=True,
                            log_level=os.environ.get("SANCTIONS_LOG_LEVEL", "info"), access_log=False,
                            server_header=False, timeout_graceful_shutdown=60)
    server = uvicorn.Server(config)
    _worker["server"] = server
    signal.signal(DRAIN_SIGNAL, _on_drain)  # uvicorn itself handles only SIGINT and SIGTERM
    server.run(sockets=[sock])


class CloseWhenDraining:
    """Pure ASGI middleware: once this worker is being replaced, every response says `Connection: close`, so a
    client's next request opens a new connection, which a fresh worker accepts."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not DRAINING.is_set():
            return await self.app(scope, receive, send)

        async def send_closing(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, send_closing)


# -- the supervisor -----------------------------------------------------------------------------------------------
@dataclass
class Worker:
    proc: subprocess.Popen
    ready_r: int
    started: float = field(default_factory=time.monotonic)
    ready: bool = False

    def wait_ready(self, timeout: float, stop: threading.Event) -> bool:
        """True once the worker reported ready; False if it died, the time ran out or the supervisor stops."""
        end = time.monotonic() + timeout
        while not self.ready:
            left = end - time.monotonic()
            if left <= 0 or self.proc.poll() is not None or stop.is_set():
                return False
            readable, _, _ = select.select([self.ready_r], [], [], min(left, 0.5))
            if readable:
                self.ready = os.read(self.ready_r, 1) == b"R"
                if not self.ready:  # EOF: the worker exited before it was ready
                    return False
        return True

    def stop(self, drain: float, timeout: float) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(DRAIN_SIGNAL)
                time.sleep(drain)
                self.proc.terminate()
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            except ProcessLookupError:
                pass
        self.close()

    def close(self) -> None:
        try:
            os.close(self.ready_r)
        except OSError:
            pass


class Supervisor:
    def __init__(self, db_path: Path, options: ServeOptions):
        self.db_path = Path(db_path)
        self.opts = options
        self.sock = socket.create_server((options.host, options.port), backlog=options.backlog)
        self.sock.set_inheritable(True)
        self.workers: list[Worker] = []
        self._roll = threading.Event()
        self._stop = threading.Event()
        self.key: tuple[int, ...] | None = None

    # -- workers --
    def spawn(self, preload: bool) -> Worker:
        ready_r, ready_w = os.pipe()
        env = dict(os.environ, **{LISTEN_FD: str(self.sock.fileno()), READY_FD: str(ready_w),
                                  "SANCTIONS_LOG_LEVEL": self.opts.log_level,
                                  "SANCTIONS_API_PRELOAD": "1" if preload else "0"})
        cmd = [sys.executable, "-c", "from sanctions.api.workers import worker_main; worker_main()"]
        proc = subprocess.Popen(cmd, env=env, pass_fds=(self.sock.fileno(), ready_w))
        os.close(ready_w)
        return Worker(proc, ready_r)

    def store_key(self) -> tuple[int, ...] | None:
        from sanctions.store import Store

        try:
            with Store(self.db_path, readonly=True) as st:
                return tuple(sorted(st.view().snapshot_ids))
        except Exception as exc:  # the store is busy or not created yet: look again next time
            log.debug("store check failed: %s", exc)
            return None

    def roll(self) -> None:
        """Replace every worker by a fresh one that has built its index on the lists now in the store."""
        key = self.store_key()
        log.warning("sanctions: lists changed, replacing %d worker(s)", len(self.workers))
        for i, old in enumerate(list(self.workers)):
            new = self.spawn(preload=True)
            if not new.wait_ready(self.opts.ready_timeout, self._stop):
                log.error("sanctions: a replacement worker failed to start; keeping the running one")
                new.stop(0, self.opts.stop_timeout)
                return
            self.workers[i] = new
            old.stop(self.opts.drain_seconds, self.opts.stop_timeout)
            if self._stop.is_set():
                return
        self.key = key

    def respawn_dead(self) -> None:
        for i, w in enumerate(self.workers):
            if w.proc.poll() is not None:
                log.error("sanctions: worker %d exited with %s; starting another", w.proc.pid, w.proc.returncode)
                w.close()
                quick = time.monotonic() - w.started < 5
                if quick:
                    time.sleep(1)  # do not spin on a worker that cannot start
                self.workers[i] = self.spawn(preload=True)

    def run(self) -> int:
        self.key = self.store_key()
        self.workers = [self.spawn(preload=False) for _ in range(self.opts.workers)]
        previous = {sig: signal.signal(sig, self._signal) for sig in (signal.SIGTERM, signal.SIGINT, ROLL_SIGNAL)}
        try:
            last_check = time.monotonic()
            while not self._stop.is_set():
                self._stop.wait(0.2)
                if self._stop.is_set():
                    break
                self.respawn_dead()
                due = self.opts.check_interval > 0 and time.monotonic() - last_check >= self.opts.check_interval
                if self._roll.is_set() or due:
                    last_check = time.monotonic()
                    forced = self._roll.is_set()
                    self._roll.clear()
                    key = self.store_key()
                    if forced or (key is not None and key != self.key):
                        self.roll()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for w in self.workers:
                if w.proc.poll() is None:
                    w.proc.terminate()
            for w in self.workers:
                try:
                    w.proc.wait(self.opts.stop_timeout)
                except subprocess.TimeoutExpired:
                    w.proc.kill()
                w.close()
            self.sock.close()
        return 0

    def _signal(self, signum, frame) -> None:
        if signum == ROLL_SIGNAL:
            self._roll.set()
        else:
            self._stop.set()
