"""Crash safety: SIGKILL real `sanctions sync` and `sanctions history import` processes at random points; the
store must always hold exactly a consistent sequence of whole versions, and a re-run must finish the job.
Readers during an import always see one consistent snapshot set."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import archive_head

from sanctions.store import Store

SEED = 20261128
SYNC_KILLS = 12
HISTORY_KILLS = 10


def _visible(store: Store, snap) -> dict[str, str]:
    rows = store.db.execute(
        "SELECT entity_id, content_hash FROM entity_version WHERE source = ? AND valid_from <= ?"
        " AND (valid_to IS NULL OR valid_to > ?)",
        (snap.source, snap.seq, snap.seq),
    )
    return dict(rows.fetchall())


def _check_consistent(db, reference: dict) -> int:
    """Every stored snapshot is one of the reference's, with exactly its entities. Returns how many."""
    with Store(db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        snaps = store.snapshots()
        for s in snaps:
            key = (s.source, s.sha256)
            assert key in reference, f"unknown snapshot {key}"
            assert _visible(store, s) == reference[key]
            assert s.entity_count == len(reference[key])
        return len(snaps)


def _reference(db) -> dict:
    with Store(db) as store:
        return {(s.source, s.sha256): _visible(store, s) for s in store.snapshots()}


def _kill_after(cmd: list[str], delay: float) -> int:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    return proc.wait()


def _import_seconds(cmd: list[str]) -> float:
    """How long the import itself takes: the command without the index build that follows it (the kills land
    in the import, and some in the build after it)."""
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=dict(os.environ, SANCTIONS_INDEX_CACHE="0"))
    return time.perf_counter() - t


def test_sync_killed_at_random_points(tmp_path, current_dir):
    ref_db = tmp_path / "ref.db"
    cmd = [sys.executable, "-m", "sanctions", "--db", str(ref_db), "sync", "--from", str(current_dir)]
    full = _import_seconds(cmd)
    reference = _reference(ref_db)
    rng = random.Random(SEED)
    db = tmp_path / "killed.db"
    cmd[4] = str(db)
    seen = set()
    for _ in range(SYNC_KILLS):
        _kill_after(cmd, rng.uniform(0.2, full * 1.2))
        seen.add(_check_consistent(db, reference))
    assert len(seen) >= 2, "kills should land at different points of the sync"
    subprocess.run(cmd, check=True, capture_output=True)
    assert _check_consistent(db, reference) == len(reference)
    assert list(tmp_path.glob("killed.db.index-cache/index-*.pickle"))  # the index built after the lists


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory, data_dir):
    return archive_head(data_dir / "ofac-sdn-history.tar.xz", tmp_path_factory.mktemp("arch") / "first30.tar", 30)


def test_history_import_killed_at_random_points(tmp_path, small_archive):
    ref_db = tmp_path / "ref.db"
    cmd = [sys.executable, "-m", "sanctions", "--db", str(ref_db), "history", "import", str(small_archive),
           "--source", "us-ofac-sdn"]
    full = _import_seconds(cmd)
    reference = _reference(ref_db)
    rng = random.Random(SEED + 1)
    db = tmp_path / "killed.db"
    cmd[4] = str(db)
    counts = []
    for _ in range(HISTORY_KILLS):
        _kill_after(cmd, rng.uniform(0.2, full))
        counts.append(_check_consistent(db, reference))
    assert counts == sorted(counts), "each resumed run keeps what the previous ones stored"
    subprocess.run(cmd, check=True, capture_output=True)
    assert _check_consistent(db, reference) == 30


def test_readers_see_one_consistent_snapshot_during_import(tmp_path, small_archive):
    db = tmp_path / "s.db"
    Store(db).close()
    cmd = [sys.executable, "-m", "sanctions", "--db", str(db), "history", "import", str(small_archive),
           "--source", "us-ofac-sdn"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checks, problems = 0, []

    def reader():
        nonlocal checks
        with Store(db) as store:
            while proc.poll() is None:
                store.db.execute("BEGIN")  # one read transaction: one state of the file
                try:
                    view = store.view()
                    for s in view.snapshots:
                        n = store.view(s.published, [s.source]).count()
                        if n != s.entity_count:
                            problems.append((s.id, n, s.entity_count))
                    checks += 1
                finally:
                    store.db.execute("COMMIT")

    th = threading.Thread(target=reader)
    th.start()
    proc.wait()
    th.join()
    assert proc.returncode == 0
    assert checks > 3 and problems == []
