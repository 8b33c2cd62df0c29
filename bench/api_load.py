"""Benchmark: GET /search throughput and latency over loopback.

Starts `sanctions serve` (uvicorn, --workers N) on a store, waits until it is ready, then a separate client
process sends a bounded number of /search requests with C concurrent keep-alive connections, cycling through a
fixed list of names (listed names, misspellings and names nobody lists, so that the screening work is
realistic, not one cached answer). Reports requests/s, latency p50 / p90 / p99 / max and errors.

The client is `wrk` when installed (C, a Lua script picks the names), else Python's http.client in threads
(slower: it competes with the server for the two cores and caps the measured rate).

    .venv/bin/python bench/api_load.py [--db PATH] [--workers 2] [--requests 20000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, data_root, machine, pct  # noqa: E402

NAMES_NOBODY = ["Jonathan Appleseed", "Maria Gonzalez Ruiz", "Acme Widgets Ltd", "Peter Meier", "Li Wei",
                "Olga Ivanova", "Nordic Timber AS", "Ahmed Hassan", "Grace Kelly Okafor", "Blue Ocean Shipping"]


def build_store(path: Path) -> None:
    from sanctions.cli import main

    if main(["--db", str(path), "sync", "--from", str(data_root() / "current")]) != 0:
        raise SystemExit("building the store failed")


def query_names(db: Path, n: int = 300, seed: int = 7) -> list[str]:
    """Listed names as written, with one letter changed, and names nobody lists."""
    import sqlite3

    rnd = random.Random(seed)
    con = sqlite3.connect(str(db))
    captions = [r[0] for r in con.execute("SELECT caption FROM entity_version WHERE valid_to IS NULL")]
    con.close()
    picked = rnd.sample(captions, min(n, len(captions)))
    out = []
    for i, name in enumerate(picked):
        if i % 3 == 1 and len(name) > 4:  # a typo
            k = rnd.randrange(1, len(name) - 1)
            name = name[:k] + rnd.choice("aeioulnrst") + name[k + 1:]
        out.append(name)
    out += NAMES_NOBODY * max(1, n // 30)
    rnd.shuffle(out)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, SANCTIONS_API_RELOAD_INTERVAL="0")
    cmd = [sys.executable, "-m", "sanctions", "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning"]
    return subprocess.Popen(cmd, env=env, start_new_session=True)


def wait_ready(port: int, workers: int, timeout: float = 600) -> None:
    """Ready when /readyz answered 200 many times in a row (each worker loads its own index)."""
    end = time.monotonic() + timeout
    streak = 0
    while time.monotonic() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/readyz")
            ok = c.getresponse().status == 200
            c.close()
        except OSError:
            ok = False
        streak = streak + 1 if ok else 0
        if streak >= 20 * workers:
            return
        time.sleep(0.05 if ok else 0.5)
    raise SystemExit("server not ready in time")


def paths(names: list[str]) -> list[str]:
    return ["/search?" + urllib.parse.urlencode({"q": n, "limit": 10}) for n in names]


def run_python_client(port: int, urls: list[str], total: int, concurrency: int) -> dict:
    lat: list[float] = []
    errors = [0]
    counter = iter(range(total))
    lock = threading.Lock()

    def worker(seed: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        i = seed
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            url = urls[i % len(urls)]
            i += concurrency
            t = time.perf_counter()
            try:
                conn.request("GET", url)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"client": "python http.client", "requests": len(lat) + errors[0], "errors": errors[0], "seconds": wall,
            "rps": len(lat) / wall, "p50_ms": pct(lat, 50) * 1e3, "p90_ms": pct(lat, 90) * 1e3,
            "p99_ms": pct(lat, 99) * 1e3, "max_ms": max(lat) * 1e3}


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50_ms\\": %%f, \\"p90_ms\\": %%f, \\"p99_ms\\": %%f, \\"max_ms\\": %%f, \\"non2xx\\": %%d, \\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def run_wrk(port: int, urls: list[str], seconds: int, concurrency: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % ", ".join(json.dumps(u) for u in urls))
        script = f.name
    try:
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s",
                              "-s", script, f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True)
    finally:
        os.unlink(script)
    line = next(x for x in out.stdout.splitlines() if x.startswith("JSON "))
    r = json.loads(line[5:])
    r["errors"] = r.pop("non2xx") + r.pop("socket_errors")
    r["rps"] = r["requests"] / r["seconds"]
    r["client"] = f"wrk -t{threads} -c{concurrency} -d{seconds}s"
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing store (default: sync ../shared/data/current into a temp one)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--requests", type=int, default=20000, help="python client: requests to send")
    ap.add_argument("--seconds", type=int, default=20, help="wrk: duration")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--names", type=int, default=3000, help="distinct listed names to cycle through")
    ap.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sanctions-bench-"))
    proc = None
    try:
        db = args.db
        if db is None:
            db = tmp / "bench.db"
            print(f"building a store from {data_root() / 'current'} ...", file=sys.stderr)
            build_store(db)
        urls = paths(query_names(db, args.names))
        port = free_port()
        proc = start_server(db, port, args.workers)
        t = time.perf_counter()
        wait_ready(port, args.workers)
        print(f"server ready in {time.perf_counter() - t:.1f}s ({args.workers} workers); warming up", file=sys.stderr)
        run_python_client(port, urls[:200], 400, 4)  # warm up connections and imports, not the whole name list
        use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
        if use_wrk:
            result = run_wrk(port, urls, args.seconds, args.concurrency, threads=2)
        else:
            result = run_python_client(port, urls, args.requests, args.concurrency)
        result.update({"workers": args.workers, "concurrency": args.concurrency, "distinct_queries": len(urls),
                       "machine": machine()})
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            print(f"GET /search over loopback, {result['client']}, {args.workers} uvicorn workers, "
                  f"{len(urls)} distinct names, {machine()}")
            print(f"  {result['requests']} requests in {result['seconds']:.1f}s: {result['rps']:.0f} req/s, "
                  f"p50 {result['p50_ms']:.1f} ms, p90 {result['p90_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                  f"max {result['max_ms']:.1f} ms, errors {result['errors']}")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.chdir(REPO)
    main()
