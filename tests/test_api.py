"""The HTTP API over real HTTP (uvicorn on 127.0.0.1, httpx): screening, the yente /match contract, 4xx errors,
admin keys, signed webhooks with retries against a real receiver, and the atomic swap of lists during a sync."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from sanctions.api import ApiSettings
from sanctions.api.auth import create_key, verify_key
from sanctions.api.models import SearchResponse
from sanctions.api.testing import ServerThread, build_demo_store, mirror_of, shared_server
from sanctions.api.webhooks import SIGNATURE_HEADER, verify
from sanctions.cli import main

CHOI = "us-ofac-sdn:27209"
LOPEZ = "us-ofac-sdn:10353"  # on the 2021-07-07 SDN list, modified by 2024-05-03

# The example of the yente / OpenSanctions matching guide (https://www.opensanctions.org/docs/api/matching/),
# sent as it is written there.
YENTE_EXAMPLE = {
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {
                "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                "birthDate": ["1951"],
                "nationality": ["Russia"],
            },
        }
    }
}


@pytest.fixture(scope="session")
def api_db(tmp_path_factory, data_dir: Path) -> Path:
    return build_demo_store(tmp_path_factory.getbasetemp() / "api-demo.db", data_dir)


@pytest.fixture(scope="module")
def api(api_db: Path):
    srv = shared_server(api_db)
    with httpx.Client(base_url=srv.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def admin_key(api_db: Path) -> str:
    return create_key(api_db, "tests", admin=True)[1]


# -- reading and screening -----------------------------------------------------------------------------------------
def test_health_ready_and_sources(api):
    assert api.get("/healthz").json() == {"status": "ok", "detail": None, "entities": None, "snapshots": [],
                                          "loaded_at": None}
    ready = api.get("/readyz").json()
    assert ready["status"] == "ready" and ready["entities"] > 15000
    body = api.get("/sources").json()
    by = {s["source"]: s for s in body["sources"]}
    assert set(by) == {"us-ofac-sdn", "us-ofac-cons", "un-sc", "us-bis-dpl", "gb-hmt"}
    sdn = by["us-ofac-sdn"]
    assert sdn["versions"] == 2 and sdn["latest"]["entity_count"] == 14965 and len(sdn["latest"]["sha256"]) == 64
    assert sdn["in_use"] == sdn["latest"]["id"]
    assert {s["id"] for s in body["snapshots"]} == {s["in_use"] for s in body["sources"]}


def test_search_ranks_and_explains(api):
    r = api.get("/search", params={"q": "Choi Myung Hyun"})
    assert r.status_code == 200
    body = r.json()
    SearchResponse.model_validate(body)  # the documented shape
    top = body["results"][0]
    assert top["id"] == CHOI and top["match"] is True and top["score"] >= body["threshold"]
    assert top["programs"] and top["authority"] == "US Treasury OFAC" and top["url"] == f"/entities/{CHOI}"
    assert top["explanation"][0]["feature"] == "name" and "choi" in top["explanation"][0]["detail"]
    scores = [x["score"] for x in body["results"]]
    assert scores == sorted(scores, reverse=True) and min(scores) >= body["cutoff"]
    # the snapshots used are in the body and the header, and they are the ones in use
    ids = sorted(s["id"] for s in body["snapshots"])
    assert r.headers["X-Sanctions-Snapshots"] == ",".join(map(str, ids))
    assert len(ids) == 5


def test_search_options(api):
    r = api.get("/search", params={"q": "Choi Myung Hyun", "dob": "1955", "type": "person", "limit": 3})
    body = r.json()
    assert body["results"][0]["id"] == CHOI and len(body["results"]) <= 3
    only_un = api.get("/search", params={"q": "Choi Myung Hyun", "sources": "un-sc,gb-hmt", "cutoff": 0.3}).json()
    assert only_un["results"] and {x["source"] for x in only_un["results"]} <= {"un-sc", "gb-hmt"}
    strict = api.get("/search", params={"q": "Choi Myung Hyun", "threshold": 0.99}).json()
    assert strict["results"] and not any(x["match"] for x in strict["results"])
    # as of mid-2021 the SDN list is the 2021-07-07 version: the answer says so
    old = api.get("/search", params={"q": "Choi Myung Hyun", "as_of": "2021-08-01", "sources": "us-ofac-sdn"})
    assert old.status_code == 200
    published = {s["source"]: s["published"][:10] for s in old.json()["snapshots"]}
    assert published["us-ofac-sdn"] == "2021-07-07" and "us-ofac-cons" not in published


def test_yente_example_from_the_docs(api):
    r = api.post("/match", json=YENTE_EXAMPLE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"responses", "matcher", "limit"}
    q1 = body["responses"]["q1"]
    assert q1["status"] == 200
    assert q1["query"]["schema"] == "Person" and q1["query"]["properties"]["birthDate"] == ["1951"]
    assert q1["total"]["value"] == len(q1["results"]) and q1["total"]["relation"] == "eq"
    top = q1["results"][0]
    assert set(top) >= {"id", "caption", "schema", "properties", "datasets", "score", "match", "features"}
    assert "ROTENBERG" in top["caption"].upper() and top["schema"] == "Person" and top["match"] is True
    assert top["properties"]["name"] and top["properties"]["birthDate"][0].startswith("1951")
    assert top["features"]["name"] > 0.8 and top["features"]["birth_date"] > 0
    assert top["explanations"][0]["feature"] == "name"
    assert all(isinstance(v, float) for v in top["features"].values())
    ids = {x["id"] for x in q1["results"]}
    assert "us-ofac-sdn:16669" in ids  # ROTENBERG, Arkady Romanovich on the SDN list
    assert r.headers["X-Batch-Size"] == "1" and body["snapshots"]


def test_yente_variants(api):
    parts = {"queries": {
        "a": {"schema": "Person", "properties": {"firstName": ["Arkadii"], "fatherName": ["Romanovich"],
                                                 "lastName": ["Rotenberg"], "birthDate": "1951"}},
        "b": {"schema": "LegalEntity", "properties": {"name": "Choi Myung Hyun"}, "limit": 1},
        "c": {"schema": "Company", "properties": {"name": ["Nobody Such Trading Company Limited"]}},
    }}
    body = api.post("/match/default", json=parts, params={"algorithm": "logic-v1", "limit": 3}).json()
    assert "ROTENBERG" in body["responses"]["a"]["results"][0]["caption"].upper()
    assert [x["id"] for x in body["responses"]["b"]["results"]] == [CHOI]
    assert all(not x["match"] for x in body["responses"]["c"]["results"])
    one_list = api.post("/match/us-ofac-sdn", json=YENTE_EXAMPLE).json()
    assert {d for x in one_list["responses"]["q1"]["results"] for d in x["datasets"]} == {"us-ofac-sdn"}
    high = api.post("/match", json=YENTE_EXAMPLE, params={"threshold": 0.999}).json()
    assert all(x["match"] == (x["score"] >= 0.999) for x in high["responses"]["q1"]["results"])
    assert not all(x["match"] for x in high["responses"]["q1"]["results"])


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "says"),
    [
        ("get", "/search", {}, 422, "q"),
        ("get", "/search", {"params": {"q": ""}}, 422, "q"),
        ("get", "/search", {"params": {"q": "   "}}, 400, "empty"),
        ("get", "/search", {"params": {"q": "x", "dob": "12/05/1960"}}, 400, "YYYY"),
        ("get", "/search", {"params": {"q": "x", "sources": "us-ofac-sdn,nope"}}, 400, "unknown source"),
        ("get", "/search", {"params": {"q": "x", "as_of": "yesterday"}}, 400, "not a date"),
        ("get", "/search", {"params": {"q": "x", "limit": 0}}, 422, "limit"),
        ("get", "/search", {"params": {"q": "x", "limit": 1000}}, 422, "limit"),
        ("get", "/search", {"params": {"q": "x", "threshold": 2}}, 422, "threshold"),
        ("get", "/search", {"params": {"q": "x", "type": "dog"}}, 422, "type"),
        ("get", "/search", {"params": {"q": "x" * 501}}, 422, "q"),
        ("post", "/match", {"json": {"queries": {}}}, 400, "No queries"),
        ("post", "/match", {"json": {}}, 422, "queries"),
        ("post", "/match", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422, "json"),
        ("post", "/match", {"json": {"queries": {"q": {"schema": "Dog", "properties": {"name": ["x"]}}}}}, 400,
         "unsupported schema"),
        ("post", "/match", {"json": {"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1950"]}}}}},
         400, "no name"),
        ("post", "/match", {"json": {"queries": {"q": {"schema": "Person", "properties": {"name": [{"a": 1}]}}}}},
         400, "must be strings"),
        ("post", "/match", {"json": {"queries": {"q": {"properties": {"name": ["x"]}}}}}, 422, "schema"),
        ("post", "/match/nope", {"json": YENTE_EXAMPLE}, 404, "no dataset"),
        ("get", "/entities/us-ofac-sdn:0", {}, 404, "not listed"),
        ("get", "/entities/us-ofac-sdn:0/history", {}, 404, "never listed"),
        ("get", f"/entities/{CHOI}", {"params": {"as_of": "2000-01-01"}}, 404, "not listed as of"),
        ("get", "/changes", {"params": {"since": "2024-13-45"}}, 400, "date"),
        ("get", "/changes", {"params": {"since": "2024-05-01", "until": "2024-01-01"}}, 400, "before"),
        ("get", "/changes", {"params": {"since": "2024-01-01", "source": "nope"}}, 400, "unknown source"),
        ("get", "/changes/chart.gif", {}, 422, "fmt"),
        ("post", "/sync", {}, 401, "API key"),
        ("post", "/subscriptions", {"json": {"url": "http://127.0.0.1:9/x"}}, 401, "API key"),
        ("get", "/subscriptions", {}, 401, "API key"),
        ("get", "/nowhere", {}, 404, "Not Found"),
    ],
)
def test_client_errors(api, method, path, kwargs, status, says):
    r = getattr(api, method)(path, **kwargs)
    assert r.status_code == status, r.text
    assert says.lower() in r.text.lower()


def test_batch_limit(api):
    queries = {f"q{i}": {"schema": "Person", "properties": {"name": [f"Name {i}"]}} for i in range(101)}
    r = api.post("/match", json={"queries": queries})
    assert r.status_code == 400 and "Too many queries" in r.json()["detail"]
    queries.pop("q100")
    r = api.post("/match", json={"queries": queries})
    assert r.status_code == 200 and len(r.json()["responses"]) == 100


def test_entity_history_and_changes(api):
    e = api.get(f"/entities/{CHOI}").json()
    assert e["entity"]["id"] == CHOI and e["snapshot"]["source"] == "us-ofac-sdn"
    assert any(n["text"] == "CHOE, Myong Hyon" for n in e["entity"]["names"])
    assert api.get(f"/entities/{CHOI}", params={"as_of": "2021-08-01"}).status_code == 404  # listed later
    old = api.get(f"/entities/{LOPEZ}", params={"as_of": "2021-08-01"}).json()
    assert old["snapshot"]["published"].startswith("2021-07-07") and old["entity"]["id"] == LOPEZ
    hist = api.get(f"/entities/{LOPEZ}/history").json()
    assert hist["versions"][0]["valid_from"].startswith("2021-07-07") and hist["versions"][0]["change"] == "added"
    assert len(hist["versions"]) == 2 and hist["versions"][-1]["valid_to"] is None
    assert hist["versions"][1]["change"] == "modified" and hist["versions"][1]["diff"]
    ch = api.get("/changes", params={"since": "2024-05-03", "until": "2024-05-03", "source": "us-ofac-sdn",
                                     "limit": 5}).json()
    (snap,) = ch["changes"]
    assert snap["snapshot"]["source"] == "us-ofac-sdn" and snap["counts"]["added"] > 5 and snap["truncated"]
    assert len(snap["added"]) == 5 and snap["by_program"]
    png = api.get("/changes/chart.png", params={"since": "2021-01-01", "source": "us-ofac-sdn"})
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.headers["content-type"] == "image/png"
    svg = api.get("/changes/chart.svg", params={"since": "2021-01-01", "source": "us-ofac-sdn"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content[:500]


def test_openapi_docs_and_headers(api):
    spec = api.get("/openapi.json").json()
    for path in ("/search", "/match", "/entities/{entity_id}", "/entities/{entity_id}/history", "/changes",
                 "/sources", "/healthz", "/readyz", "/sync", "/subscriptions"):
        assert path in spec["paths"], path
    assert "APIKeyHeader" in spec["components"]["securitySchemes"]
    assert "swagger" in api.get("/docs").text.lower()
    page = api.get("/ui/", params={"q": "Choi Myung Hyun"})
    assert page.status_code == 200 and f'href="/ui/entities/{CHOI}"' in page.text
    h = page.headers
    assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"] and h["Referrer-Policy"] == "no-referrer"
    # markup in a query is escaped, never rendered
    evil = api.get("/ui/", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in evil and "&lt;script&gt;" in evil


def test_admin_keys(api, api_db, admin_key, capsys):
    assert main(["--db", str(api_db), "keys", "create", "--name", "reader"]) == 0
    reader = capsys.readouterr().out.splitlines()[0]
    assert reader.startswith("sk_") and verify_key(api_db, reader).admin is False
    assert api.post("/sync", headers={"X-API-Key": "sk_wrong"}).status_code == 401
    assert api.post("/sync", headers={"X-API-Key": reader}).status_code == 403
    assert api.get("/subscriptions", headers={"X-API-Key": admin_key}).status_code == 200
    # keys are stored hashed only
    raw = Path(api_db).read_bytes()
    assert admin_key.encode() not in raw and reader.encode() not in raw
    assert main(["--db", str(api_db), "keys", "list"]) == 0
    assert "reader" in capsys.readouterr().out


# -- sync, webhooks, atomic swap ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def older_db(tmp_path_factory, data_dir: Path) -> Path:
    """UN and BIS lists as they were (2024-09-26, 2022-09-07): a sync from the current mirror changes both."""
    return build_demo_store(tmp_path_factory.getbasetemp() / "api-older.db", data_dir,
                            older=("un-sc-2024-09-26", "bis-dpl-2022-09-07"), current=False)


@pytest.fixture
def sync_server(older_db: Path, tmp_path: Path, data_dir: Path):
    db = tmp_path / "store.db"
    shutil.copy(older_db, db)
    mirror = mirror_of([data_dir / "current" / "un-sc-2026-02-27", data_dir / "current" / "bis-dpl-2023-11-30"],
                       tmp_path / "mirror")
    settings = ApiSettings(db_path=db, mirror=mirror, reload_interval=0, webhook_backoff=0.05, webhook_retries=4,
                           webhook_timeout=5)
    srv = ServerThread(settings).start()
    key = create_key(db, "admin", admin=True)[1]
    client = httpx.Client(base_url=srv.url, timeout=120, headers={"X-API-Key": key})
    yield srv, client
    client.close()
    srv.stop()


class Receiver:
    """A webhook receiver on 127.0.0.1 answering with the given statuses in turn (then 200)."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.got = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append(({k: v for k, v in self.headers.items()}, body))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if status == 200:
                    outer.got.set()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_webhook_signed_retried_after_500(sync_server):
    srv, client = sync_server
    receiver = Receiver([500])
    try:
        r = client.post("/subscriptions", json={"url": receiver.url, "description": "tests"})
        assert r.status_code == 201, r.text
        sub = r.json()
        assert sub["secret"].startswith("whsec_") and sub["id"].startswith("sub_")
        listed = client.get("/subscriptions").json()
        assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
        only_hmt = client.post("/subscriptions", json={"url": receiver.url, "sources": ["gb-hmt"]}).json()

        before = client.get("/readyz").json()["snapshots"]
        r = client.post("/sync", json={"sources": ["un-sc", "us-bis-dpl"]})
        assert r.status_code == 200, r.text
        assert r.json()["changed"] == ["un-sc", "us-bis-dpl"]
        assert receiver.got.wait(30), "no successful delivery"
        srv.app.state.webhooks.wait(10)
        assert len(receiver.requests) == 2  # a 500, then the retry that succeeded (and none for gb-hmt only)
        (h1, b1), (h2, b2) = receiver.requests
        assert b1 == b2 and h1["X-Sanctions-Delivery"] == h2["X-Sanctions-Delivery"]
        assert verify(sub["secret"], b2, h2[SIGNATURE_HEADER])
        assert not verify(only_hmt["secret"], b2, h2[SIGNATURE_HEADER])
        assert not verify(sub["secret"], b2 + b" ", h2[SIGNATURE_HEADER])
        payload = json.loads(b2)
        assert payload["event"] == "lists.changed" and payload["sources"] == ["un-sc", "us-bis-dpl"]
        by = {c["snapshot"]["source"]: c for c in payload["changes"]}
        assert by["un-sc"]["counts"]["added"] > 0 and by["un-sc"]["snapshot"]["published"].startswith("2026-02-27")
        assert by["us-bis-dpl"]["counts"]["added"] + by["us-bis-dpl"]["counts"]["removed"] > 0
        assert {s["id"] for s in before} != {s["id"] for s in r.json()["snapshots"]}
        subs = {s["id"]: s for s in client.get("/subscriptions").json()}
        assert subs[only_hmt["id"]]["last_delivery"] is None
        last = subs[sub["id"]]["last_delivery"]
        assert last["status"] == "delivered" and last["attempts"] == 2 and last["last_status"] == 200

        # a sync that changes nothing notifies nobody
        again = client.post("/sync", json={"sources": ["un-sc"]}).json()
        assert again["changed"] == []
        time.sleep(0.3)
        assert len(receiver.requests) == 2
        assert client.delete(f"/subscriptions/{sub['id']}").status_code == 204
        assert client.delete(f"/subscriptions/{sub['id']}").status_code == 404
    finally:
        receiver.close()


def test_requests_during_sync_see_one_snapshot_set(sync_server):
    srv, client = sync_server
    old = {s["id"] for s in client.get("/readyz").json()["snapshots"]}
    seen: list[tuple[frozenset, frozenset, str]] = []
    errors: list[str] = []
    stop = threading.Event()

    def hammer():
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            while not stop.is_set():
                r = c.post("/match", json={"queries": {
                    "a": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}},
                    "b": {"schema": "Organization", "properties": {"name": ["Korea Mining Development Trading"]}}}})
                if r.status_code != 200:
                    errors.append(r.text)
                    continue
                body = r.json()
                header = frozenset(int(x) for x in r.headers["X-Sanctions-Snapshots"].split(","))
                seen.append((header, frozenset(s["id"] for s in body["snapshots"]),
                             json.dumps([x["id"] for q in body["responses"].values() for x in q["results"]])))

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    r = client.post("/sync", json={"sources": ["un-sc", "us-bis-dpl"]})
    new = {s["id"] for s in r.json()["snapshots"]}
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert new != old and len(new) == len(old)
    sets = {h for h, _b, _r in seen}
    assert sets <= {frozenset(old), frozenset(new)}, sets  # never a mix
    assert frozenset(old) in sets and frozenset(new) in sets
    assert all(h == b for h, b, _r in seen)  # body and header agree
    # every answer from one snapshot set is the same answer
    answers: dict[frozenset, set[str]] = {}
    for h, _b, res in seen:
        answers.setdefault(h, set()).add(res)
    assert all(len(v) == 1 for v in answers.values())
    # a second sync while one runs is refused, not queued
    results = []
    t = threading.Thread(target=lambda: results.append(client.post("/sync", json={"sources": ["us-bis-dpl"]})))
    with srv.live._sync_lock:
        t.start()
        t.join()
    assert results[0].status_code == 409


def test_serve_command(tmp_path: Path):
    """`sanctions serve` prints its URL and answers on it (an empty store: ready to take a sync)."""
    import os
    import signal
    import subprocess
    import sys

    from sanctions.api.testing import free_socket

    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanctions", "--db", str(tmp_path / "empty.db"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
        env=dict(os.environ, SANCTIONS_API_RELOAD_INTERVAL="0"),
    )
    try:
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        end = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                if r.status_code == 503 and r.json()["status"] == "empty":
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < end, "serve did not come up"
            time.sleep(0.2)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


# -- `sanctions serve`: supervisor and worker processes --------------------------------------------------------------
def _children(pid: int) -> set[int]:
    try:
        return {int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def test_serve_replaces_workers_when_lists_change(older_db: Path, tmp_path: Path, data_dir: Path):
    """Under `sanctions serve`, a sync hands over to fresh worker processes built on the new lists (so the old
    index's memory goes with its process): traffic during the hand-over gets no error and never a mix of lists,
    the old workers exit, and a worker that dies (or `kill -HUP` on the supervisor) is replaced too."""
    import os
    import signal
    import subprocess
    import sys

    from sanctions.api.testing import free_socket

    db = tmp_path / "store.db"
    shutil.copy(older_db, db)
    mirror = mirror_of([data_dir / "current" / "un-sc-2026-02-27"], tmp_path / "mirror")
    key = create_key(db, "admin", admin=True)[1]
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanctions", "--db", str(db), "serve", "--mirror", str(mirror), "--port", str(port),
         "--workers", "2", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env=dict(os.environ, SANCTIONS_API_RELOAD_INTERVAL="0"),
    )

    def wait_for(cond, what: str, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while not cond():
            assert proc.poll() is None, "the supervisor exited"
            assert time.monotonic() < end, what
            time.sleep(0.2)

    def ready() -> bool:
        try:
            return all(httpx.get(url + "/readyz", timeout=5).status_code == 200 for _ in range(10))
        except httpx.HTTPError:
            return False

    try:
        wait_for(ready, "serve did not become ready")
        first = _children(proc.pid)
        assert len(first) == 2
        old = frozenset(s["id"] for s in httpx.get(url + "/readyz").json()["snapshots"])
        seen: list[tuple[frozenset, frozenset]] = []
        errors: list[str] = []
        stop = threading.Event()

        def hammer() -> None:
            with httpx.Client(base_url=url, timeout=60) as c:
                while not stop.is_set():
                    try:
                        r = c.post("/match", json={"queries": {"a": {"schema": "Person",
                                                                     "properties": {"name": ["Kim Jong Un"]}}}})
                    except httpx.HTTPError as exc:
                        errors.append(repr(exc))
                        continue
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:80]}")
                        continue
                    seen.append((frozenset(int(x) for x in r.headers["X-Sanctions-Snapshots"].split(",")),
                                 frozenset(s["id"] for s in r.json()["snapshots"])))

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        r = httpx.post(url + "/sync", json={"sources": ["un-sc"]}, headers={"X-API-Key": key}, timeout=300)
        assert r.status_code == 200, r.text
        new = frozenset(s["id"] for s in r.json()["snapshots"])
        assert new != old and r.json()["changed"] == ["un-sc"]
        wait_for(lambda: not (_children(proc.pid) & first) and len(_children(proc.pid)) == 2,
                 "the old workers did not exit")
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        assert not errors, errors[:3]
        assert {h for h, _b in seen} == {old, new}  # both sets answered, never a mix
        assert all(h == b for h, b in seen)
        assert httpx.get(url + "/readyz").json()["snapshots"] and ready()
        assert {frozenset(s["id"] for s in httpx.get(url + "/readyz").json()["snapshots"]) for _ in range(10)} == {new}

        # a worker that dies is replaced
        second = _children(proc.pid)
        victim = min(second)
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: victim not in _children(proc.pid) and len(_children(proc.pid)) == 2 and ready(),
                 "a dead worker was not replaced")
        # an operator's HUP replaces every worker
        before = _children(proc.pid)
        os.kill(proc.pid, signal.SIGHUP)
        wait_for(lambda: not (_children(proc.pid) & before) and len(_children(proc.pid)) == 2 and ready(),
                 "HUP did not replace the workers")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
    assert proc.returncode == 0
