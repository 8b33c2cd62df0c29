"""`sync` over real HTTP: a server on 127.0.0.1 serves the mirror files; failures keep the previous data."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from sanctions.settings import Settings
from sanctions.sources import get_source
from sanctions.store import Store
from sanctions.sync import sync_source


@pytest.fixture(scope="module")
def server(data_dir):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(data_dir))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_and_import(server, tmp_path):
    settings = Settings(db_path=tmp_path / "s.db", http_retries=2, http_backoff=0.01, http_timeout=10)
    urls = {
        "sdn.csv": f"{server}/current/ofac-sdn-2024-05-03/sdn.csv",
        "alt.csv": f"{server}/current/ofac-sdn-aux-2025-12-24/alt.csv",
        "add.csv": f"{server}/current/ofac-sdn-aux-2025-12-24/add.csv",
        "sdn_comments.csv": f"{server}/current/ofac-sdn-aux-2025-12-24/sdn_comments.csv",
    }
    with Store(settings.db_path) as store:
        rep = sync_source(store, get_source("us-ofac-sdn"), settings, urls)
        assert rep.ok, rep.message
        assert rep.outcome.result.snapshot.entity_count == 14965
        # Same files again: nothing new.
        rep2 = sync_source(store, get_source("us-ofac-sdn"), settings, urls)
        assert rep2.ok and "unchanged" in rep2.message
        # A missing primary file: failure reported, previous data kept.
        bad = dict(urls, **{"sdn.csv": f"{server}/current/nowhere/sdn.csv"})
        rep3 = sync_source(store, get_source("us-ofac-sdn"), settings, bad)
        assert not rep3.ok
        assert "404" in rep3.message and "previous data kept" in rep3.message
        assert store.view().entity("us-ofac-sdn:27209") is not None
        assert len(store.snapshots("us-ofac-sdn")) == 1


def test_unreachable_publisher(tmp_path):
    settings = Settings(db_path=tmp_path / "s.db", http_retries=2, http_backoff=0.01, http_timeout=2)
    with Store(settings.db_path) as store:
        rep = sync_source(
            store, get_source("un-sc"), settings, {"consolidated.xml": "http://127.0.0.1:9/x.xml"}
        )
    assert not rep.ok and "after 2 attempts" in rep.message
