"""Soak: N minutes of mixed /search and /match traffic over loopback with a sync in the middle.

Starts `sanctions serve` (one worker) on a store holding the current lists but an older UN list, sends requests from client threads in
this (second) process for --minutes, and half way through POSTs /sync (admin key) from a mirror holding the
current lists, so the service hands over to fresh workers on the new lists under load (api/workers.py). Reports
requests, errors (any non-200 or exception), p50/p99 latency, the snapshot sets seen before and after, and the
RSS of the server's processes (supervisor and workers) at the start of the traffic, when /sync answers (the old
worker is still finishing) and at the end (growth must stay within 10 %).

    .venv/bin/python bench/soak.py [--minutes 5] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_root, machine, pct  # noqa: E402
from api_load import free_port, query_names, start_server, wait_ready  # noqa: E402


def rss_mb(pid: int) -> float:
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out += children(k)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--no-sync", action="store_true", help="no sync half way (to tell cache growth from the swap)")
    args = ap.parse_args()
    from sanctions.api.auth import create_key
    from sanctions.cli import main as cli

    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    data = data_root()
    db = tmp / "soak.db"
    old = tmp / "old"
    (old / "un-sc-2025-11-20").mkdir(parents=True)
    shutil.copy(data / "older" / "un-sc-2025-11-20" / "consolidated.xml", old / "un-sc-2025-11-20")
    assert cli(["--db", str(db), "sync", "--from", str(old)]) == 0
    others = ["us-ofac-sdn", "us-ofac-cons", "us-bis-dpl", "gb-hmt"]  # the sync then changes only the UN list
    assert cli(["--db", str(db), "sync", "--from", str(data / "current"), "--sources", *others]) == 0
    key = create_key(db, "soak", admin=True)[1]
    names = query_names(db, 400)
    port = free_port()
    os.environ["SANCTIONS_MIRROR"] = str(data / "current")
    proc = start_server(db, port, 1)
    try:
        wait_ready(port, 1)
        lat: list[float] = []
        errors: list[str] = []
        snaps_seen: dict[str, int] = {}
        stop = time.monotonic() + args.minutes * 60
        lock = threading.Lock()

        def client(seed: int) -> None:
            rnd = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while time.monotonic() < stop:
                name = rnd.choice(names)
                try:
                    t = time.perf_counter()
                    if rnd.random() < 0.5:
                        from urllib.parse import quote

                        conn.request("GET", f"/search?q={quote(name)}")
                    else:
                        body = json.dumps({"queries": {"q": {"schema": "Thing", "properties": {"name": [name]}}}})
                        conn.request("POST", "/match", body=body, headers={"content-type": "application/json"})
                    resp = conn.getresponse()
                    payload = resp.read()
                    dt = (time.perf_counter() - t) * 1000
                    with lock:
                        lat.append(dt)
                        snap = resp.getheader("X-Sanctions-Snapshots") or ""
                        snaps_seen[snap] = snaps_seen.get(snap, 0) + 1
                        if resp.status != 200:
                            errors.append(f"{resp.status}: {payload[:100]!r}")
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                    with lock:
                        errors.append(repr(exc))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.concurrency)]
        for t in threads:
            t.start()
        time.sleep(5)
        mem_start = rss_mb(proc.pid)
        time.sleep(max(0.0, args.minutes * 30 - 5))
        t = time.perf_counter()
        if args.no_sync:
            sync_status, sync_body = "skipped", b""
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            conn.request("POST", "/sync", headers={"X-API-Key": key})
            sync_resp = conn.getresponse()
            sync_status, sync_body = sync_resp.status, sync_resp.read()
        sync_s = time.perf_counter() - t
        mem_after_sync = rss_mb(proc.pid)
        for t in threads:
            t.join()
        mem_end = rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    n = len(lat)
    print(f"machine: {machine()}")
    print(f"soak: {args.minutes:g} min, {args.concurrency} connections, mixed /search + /match (1 worker)")
    print(f"requests: {n} ({n / (args.minutes * 60):.0f}/s), errors: {len(errors)}"
          + (f" e.g. {errors[:3]}" if errors else ""))
    print(f"latency: p50 {statistics.median(lat):.1f} ms, p99 {pct(lat, 99):.1f} ms, max {max(lat):.0f} ms")
    print(f"sync in the middle: HTTP {sync_status} in {sync_s:.1f} s: {sync_body[:160]!r}")
    print(f"snapshot sets seen (header -> requests): {snaps_seen}")
    growth = (mem_end - mem_start) / mem_start * 100
    print(f"server RSS: {mem_start:.0f} MB at start, {mem_after_sync:.0f} MB when /sync answered, {mem_end:.0f} MB at the "
          f"end; growth {growth:+.1f} % (limit 10 %)")


if __name__ == "__main__":
    main()
