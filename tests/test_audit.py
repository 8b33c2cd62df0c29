"""The audit trail detects edited, deleted and reordered records."""

from __future__ import annotations

import json

from sanctions.audit import AuditLog
from sanctions.cli import main
from sanctions.store import Store


def _filled(tmp_path, n=5):
    db = tmp_path / "s.db"
    store = Store(db)
    log = AuditLog(store.db)
    for i in range(n):
        log.append({"name": f"query {i}"}, [{"entity_id": f"x:{i}", "score": 0.9}], 0.8, [1, 2], caller="k1")
    return db, store, log


def test_intact_chain_verifies(tmp_path, capsys):
    db, store, log = _filled(tmp_path)
    assert log.verify().ok and log.verify().records == 5
    store.close()
    assert main(["--db", str(db), "audit", "verify"]) == 0
    assert "5 records" in capsys.readouterr().out
    assert main(["--db", str(db), "audit", "export", "--since", "2000-01-01"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["record"]["caller"] == "k1" and rows[0]["record"]["snapshots"] == [1, 2]


def test_edit_is_detected(tmp_path, capsys):
    db, store, log = _filled(tmp_path)
    rec = store.db.execute("SELECT record FROM audit WHERE seq = 3").fetchone()[0]
    store.db.execute("UPDATE audit SET record = ? WHERE seq = 3", (rec.replace("0.9", "0.1"),))
    r = log.verify()
    assert not r.ok and r.seq == 3 and "altered" in r.problem
    store.close()
    assert main(["--db", str(db), "audit", "verify"]) == 1
    assert "record 3" in capsys.readouterr().err


def test_delete_is_detected(tmp_path):
    _db, store, log = _filled(tmp_path)
    store.db.execute("DELETE FROM audit WHERE seq = 2")
    r = log.verify()
    assert not r.ok and r.seq == 2 and "missing" in r.problem
    # Deleting the last records and nothing else is only visible against an exported copy: the export
    # carries each record's hash, so a regulator holding an earlier export sees the tail vanish.


def test_reorder_is_detected(tmp_path):
    _db, store, log = _filled(tmp_path)
    a = store.db.execute("SELECT at, record, prev_hash, hash FROM audit WHERE seq = 2").fetchone()
    b = store.db.execute("SELECT at, record, prev_hash, hash FROM audit WHERE seq = 4").fetchone()
    store.db.execute("UPDATE audit SET at=?, record=?, prev_hash=?, hash=? WHERE seq = 4", tuple(a))
    store.db.execute("UPDATE audit SET at=?, record=?, prev_hash=?, hash=? WHERE seq = 2", tuple(b))
    r = log.verify()
    assert not r.ok and r.seq == 2


def test_rewriting_the_chain_needs_every_later_hash(tmp_path):
    _db, store, log = _filled(tmp_path)
    exported = [r["hash"] for r in log.export()]
    store.db.execute("DELETE FROM audit WHERE seq = 5")
    assert log.verify().ok  # a truncated tail is a consistent chain ...
    assert [r["hash"] for r in log.export()] == exported[:4]  # ... but the last exported hash is gone
