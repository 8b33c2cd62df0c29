"""Every screening decision made through the API lands in the hash-chained audit trail, with its caller key,
snapshots and threshold; the setting `require_read_key` refuses anonymous screening."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from sanctions.api import ApiSettings
from sanctions.api.auth import create_key
from sanctions.api.testing import ServerThread, build_demo_store
from sanctions.audit import AuditLog
from sanctions.cli import main
from sanctions.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory, data_dir: Path) -> Path:
    return build_demo_store(tmp_path_factory.mktemp("audit") / "a.db", data_dir)


def _records(db: Path, n: int, timeout: float = 20.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        with Store(db) as store:
            recs = list(AuditLog(store.db).export())
        if len(recs) >= n or time.monotonic() > deadline:
            return recs
        time.sleep(0.2)


def test_decisions_are_audited_with_caller_and_snapshots(db, capsys):
    key = create_key(db, "auditor")
    srv = ServerThread(ApiSettings(db_path=db, reload_interval=0)).start()
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            r = c.get("/search", params={"q": "Choi Myung Hyun"}, headers={"X-API-Key": key[1]})
            assert r.status_code == 200
            snapshots = sorted(s["id"] for s in r.json()["snapshots"])
            r = c.post("/match", json={"queries": {"a": {"schema": "Company", "properties": {"name": ["Parsek"]}}}})
            assert r.status_code == 200
            assert c.get("/search", params={"q": "x"}, headers={"X-API-Key": "sk_wrong"}).status_code == 401
    finally:
        srv.stop()
    recs = _records(db, 2)
    assert len(recs) == 2
    first, second = recs[0]["record"], recs[1]["record"]
    assert first["channel"] == "api:/search" and first["caller"] == f"key:{key[0].id}"
    assert first["query"]["q"] == "Choi Myung Hyun"
    assert first["results"][0]["entity_id"] == "us-ofac-sdn:27209"
    assert sorted(first["snapshots"]) == snapshots and first["threshold"] > 0
    assert second["channel"] == "api:/match" and second["caller"] is None
    assert main(["--db", str(db), "audit", "verify"]) == 0
    assert "2 records" in capsys.readouterr().out


def test_read_key_setting_refuses_anonymous(db):
    key = create_key(db, "reader")[1]
    srv = ServerThread(ApiSettings(db_path=db, reload_interval=0, require_read_key=True)).start()
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            assert c.get("/search", params={"q": "Parsek"}).status_code == 401
            assert c.get("/search", params={"q": "Parsek"}, headers={"X-API-Key": key}).status_code == 200
            assert c.get("/healthz").status_code == 200  # health stays open for probes
    finally:
        srv.stop()


def test_oversized_body_is_refused(db):
    srv = ServerThread(ApiSettings(db_path=db, reload_interval=0, max_body_bytes=10_000)).start()
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            big = {"queries": {"q": {"schema": "Person", "properties": {"name": ["x" * 20_000]}}}}
            r = c.post("/match", json=big)
            assert r.status_code == 413 and "larger than" in r.json()["detail"]

            def chunks():
                yield b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["'
                for _ in range(50):
                    yield b"y" * 1000
                yield b'"]}}}}'

            r = c.post("/match", content=chunks(), headers={"content-type": "application/json"})
            assert r.status_code == 413
            assert c.post("/match", json={"queries": {"q": {"schema": "Person", "properties": {
                "name": ["Parsek"]}}}}).status_code == 200
    finally:
        srv.stop()
