"""Hostile queries: 10 kB names, invisible and control characters, non-UTF-8 bytes on the JSON-lines stream and
in URLs. No exception, no server error, bounded time."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
import pytest

from sanctions.api.testing import shared_server
from sanctions.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory, current_dir):
    path = tmp_path_factory.mktemp("hq") / "s.db"
    assert main(["--db", str(path), "sync", "--from", str(current_dir)]) == 0
    return path


@pytest.fixture(scope="module")
def screener(db):
    from sanctions.screen import Screener
    from sanctions.store import Store

    return Screener.from_store(Store(db, readonly=True))


@pytest.mark.parametrize("name", [
    "A" * 10_000,
    " ".join(["Mohammed"] * 1_200),
    "PARSEK " * 1_400,
    "\u200b\u200d\ufeff" * 3_000,
    "\x00\x07\x1b[31m" * 2_000,
    "ــــ" * 2_500,
])
def test_ten_kilobyte_names(screener, name):
    t = time.perf_counter()
    matches = screener.screen(name, limit=5)
    assert time.perf_counter() - t < 5
    assert all(0.0 <= m.score <= 1.0 for m in matches)


def test_stream_reports_bad_lines_and_goes_on(db):
    stdin = (b'{"id":"a","name":"Parsek"}\n{"id":"b","name":"\xff\xfe bad"}\nnot json\n'
             b'{"id":"d","name":' + json.dumps("x" * 10_000).encode() + b"}\n")
    out = subprocess.run([sys.executable, "-m", "sanctions", "--db", str(db), "screen", "-"], input=stdin,
                         capture_output=True, check=True).stdout.decode().splitlines()
    rows = [json.loads(x) for x in out]
    assert [r.get("id") for r in rows] == ["a", None, None, "d"]
    assert rows[0]["matches"][0]["entity_id"] == "us-ofac-sdn:34458"
    assert "line 2: not UTF-8 (byte 0xff" in rows[1]["error"]
    assert "line 3" in rows[2]["error"]
    assert "matches" in rows[3]


def test_api_non_utf8_and_huge_queries(db):
    srv = shared_server(db)
    with httpx.Client(base_url=srv.url, timeout=60) as c:
        for raw in ("/search?q=%FF%FE%FD", "/search?q=%C3%28", "/search?q=%00%00abc", "/ui/?q=%FF"):
            r = c.get(raw)
            assert r.status_code < 500, (raw, r.status_code)
        assert c.get("/search", params={"q": "x" * 10_000}).status_code == 422
        big = {"queries": {"q": {"schema": "Person", "properties": {"name": ["y" * 10_000]}}}}
        assert c.post("/match", json=big).status_code < 500
