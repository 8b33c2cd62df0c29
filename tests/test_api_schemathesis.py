"""Property-based requests generated from /openapi.json (schemathesis, a bounded run per operation) against the
running service over HTTP: whatever the input, no server error (5xx) — bad input ends in a 4xx."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from sanctions.api.testing import build_demo_store, shared_server

MAX_EXAMPLES = 30  # per operation


@pytest.fixture(scope="session")
def api_db(tmp_path_factory, data_dir: Path) -> Path:
    return build_demo_store(tmp_path_factory.getbasetemp() / "api-demo.db", data_dir)


def test_no_server_errors(api_db: Path):
    srv = shared_server(api_db)
    schema = schemathesis.openapi.from_url(srv.url + "/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 14
    failures: list[str] = []
    calls: list[int] = []
    for op in operations:
        _fuzz(op, srv.url, failures, calls)
    assert len(calls) >= 10 * len(operations)
    assert any(400 <= c < 500 for c in calls) and any(c == 200 for c in calls)
    assert not failures, "\n".join(failures[:20])


def _fuzz(op, base_url: str, failures: list[str], calls: list[int]) -> None:
    @given(case=op.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True, database=None)
    def run(case):
        resp = case.call(base_url=base_url, timeout=60)
        calls.append(resp.status_code)
        if resp.status_code >= 500:
            failures.append(f"{op.method.upper()} {op.path}: {resp.status_code} for {case.as_curl_command()}")

    run()
