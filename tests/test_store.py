"""The temporal store on hand-made entities: appends, changes, re-listing, out-of-order versions, as-of views."""

from __future__ import annotations

import sqlite3

import pytest

from sanctions.model import Entity, Name
from sanctions.store import Store


def ent(native: str, name: str, programs=("SDGT",)) -> Entity:
    return Entity(
        id=f"t:{native}", source="t", native_id=native, kind="person", names=[Name(name)], programs=list(programs)
    )


def load(store: Store, when: str, sha: str, *entities: Entity):
    return store.import_snapshot("t", when, sha, [], entities)


def state(store: Store, when=None) -> dict[str, str]:
    return {e.id: e.caption for e in store.view(when).entities()}


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "s.db")
    yield s
    s.close()


def test_append_modify_remove_relist(store):
    load(store, "2022-01-01", "a", ent("1", "ONE"), ent("2", "TWO"))
    r = load(store, "2022-01-02", "b", ent("1", "ONE"), ent("2", "TWO B"), ent("3", "THREE"))
    assert (r.snapshot.added, r.snapshot.modified, r.snapshot.removed) == (1, 1, 0)
    r = load(store, "2022-01-03", "c", ent("2", "TWO B"))
    assert (r.snapshot.added, r.snapshot.modified, r.snapshot.removed) == (0, 0, 2)
    r = load(store, "2022-01-04", "d", ent("1", "ONE"), ent("2", "TWO B"))
    changes = store.changes([r.snapshot.id])
    assert [(c["entity_id"], c["change"]) for c in changes] == [("t:1", "relisted")]
    assert state(store, "2022-01-01") == {"t:1": "ONE", "t:2": "TWO"}
    assert state(store, "2022-01-02") == {"t:1": "ONE", "t:2": "TWO B", "t:3": "THREE"}
    assert state(store, "2022-01-03") == {"t:2": "TWO B"}
    assert state(store) == {"t:1": "ONE", "t:2": "TWO B"}
    assert state(store, "2021-12-31") == {}
    # Unchanged entities cost no new row: 1 (x2 listings), 2 (x2 contents), 3.
    assert store.db.execute("SELECT COUNT(*) FROM entity_version").fetchone()[0] == 5
    modified = [c for c in store.changes([2]) if c["change"] == "modified"][0]
    assert modified["diff"][0]["field"] == "names"


def test_same_version_twice_changes_nothing(store, tmp_path):
    load(store, "2022-01-01", "a", ent("1", "ONE"))
    r = load(store, "2022-01-01", "a", ent("1", "ONE"))
    assert not r.created
    r = load(store, "2022-01-05", "a", ent("1", "ONE"))  # re-issued identical file later
    assert not r.created
    assert len(store.snapshots()) == 1


def test_out_of_order_version_is_threaded_in(tmp_path):
    versions = [
        ("2022-01-01", "a", [ent("1", "ONE"), ent("2", "TWO")]),
        ("2022-01-02", "b", [ent("1", "ONE X"), ent("2", "TWO"), ent("3", "THREE")]),
        ("2022-01-03", "c", [ent("1", "ONE X"), ent("3", "THREE")]),
        ("2022-01-04", "d", [ent("1", "ONE"), ent("2", "TWO"), ent("4", "FOUR")]),
    ]
    in_order = Store(tmp_path / "a.db")
    for when, sha, es in versions:
        load(in_order, when, sha, *es)
    shuffled = Store(tmp_path / "b.db")
    for i in (3, 0, 2, 1):
        when, sha, es = versions[i]
        load(shuffled, when, sha, *es)
    for when, *_ in versions:
        assert state(in_order, when) == state(shuffled, when)

    def changes(s: Store):
        out = set()
        for snap in s.snapshots():
            for c in s.changes([snap.id]):
                out.add((snap.published, c["entity_id"], c["change"]))
        return out

    assert changes(in_order) == changes(shuffled)
    for snap_a, snap_b in zip(in_order.snapshots(), sorted(shuffled.snapshots(), key=lambda s: s.seq), strict=True):
        assert (snap_a.added, snap_a.removed, snap_a.modified) == (snap_b.added, snap_b.removed, snap_b.modified)
    assert [v["entity"].caption for v in shuffled.entity_versions("t:1")] == ["ONE", "ONE X", "ONE"]


def test_failed_import_leaves_store_unchanged(store):
    load(store, "2022-01-01", "a", ent("1", "ONE"))

    def boom(eid):
        raise RuntimeError("parser died")

    with pytest.raises(RuntimeError):
        store.import_hashed("t", "2022-01-02", "b", [], {"t:1": "x", "t:2": "y"}, boom)
    assert len(store.snapshots()) == 1
    assert state(store) == {"t:1": "ONE"}
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_view_is_pinned(store, tmp_path):
    load(store, "2022-01-01", "a", ent("1", "ONE"))
    view = store.view()
    other = Store(tmp_path / "s.db")
    load(other, "2022-01-02", "b", ent("2", "TWO"))
    assert [e.id for e in view.entities()] == ["t:1"]
    assert isinstance(store.db, sqlite3.Connection)
