"""The on-disk index cache: a second process-like open reads the index instead of building it, answers exactly
as a freshly built index does (even beside indexes built in the same process: token uids are renumbered on
load), and a stale, foreign or damaged file is never used."""

from __future__ import annotations

import pytest

from sanctions import index_cache
from sanctions.loader import load_files
from sanctions.match.index import Index
from sanctions.screen import Screener
from sanctions.store import Store

NAMES = ["SADDAM HUSSEIN AL-TIKRITI", "Saddam Husein al Tikriti", "Kim Jong Un", "KIM JONG-UN",
         "Korea Mining Development Trading Corporation", "Ri Su Yong", "Abu Bakr al-Baghdadi",
         "Taliban", "Mullah Omar", "Nobody Inparticular"]


def answers(screener: Screener, **kw) -> list:
    return [[(m.entity_id, m.score, m.matched_name, m.explanation) for m in screener.screen(n, threshold=0.5, **kw)]
            for n in NAMES]


@pytest.fixture
def store(tmp_path, data_dir):
    st = Store(tmp_path / "s.db")
    load_files(st, "un-sc", [data_dir / "older/un-sc-2018-10-29/consolidated.xml"])
    load_files(st, "un-sc", [data_dir / "current/un-sc-2026-02-27/consolidated.xml"])
    yield st
    st.close()


def test_second_open_reads_the_cache_and_answers_the_same(store, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    fresh = Screener.from_store(store)  # no cache
    first = Screener.from_store(store, cache_dir=folder)  # builds and writes
    files = list(folder.glob("index-*.pickle"))
    assert len(files) == 1
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"

    def no_build(*a, **k):
        raise AssertionError("the index was rebuilt instead of read from the cache")

    monkeypatch.setattr(Index, "build", no_build)
    cached = Screener.from_store(store, cache_dir=folder)
    assert cached.index is not first.index
    expected = answers(fresh)
    assert answers(cached) == expected == answers(first)
    # a Screener opened as of a date is cached too, under its own key (per-query `as_of` views are not)
    monkeypatch.undo()
    old = answers(cached, as_of="2019-01-01")
    assert len(list(folder.glob("index-*.pickle"))) == 1
    assert answers(Screener.from_store(store, as_of="2019-01-01", cache_dir=folder)) == old
    assert len(list(folder.glob("index-*.pickle"))) == 2
    monkeypatch.setattr(Index, "build", no_build)
    again = Screener.from_store(store, as_of="2019-01-01", cache_dir=folder)
    assert answers(again) == old != expected


def test_loaded_tokens_never_share_cache_keys_with_local_ones(store, tmp_path):
    """Token uids key the similarity cache: an index written by another process carries that process's uids,
    so they are renumbered on load, after every uid handed out here."""
    import subprocess
    import sys

    from sanctions.match import normalize

    folder = tmp_path / "cache"
    code = ("import sys; from sanctions.store import Store; from sanctions.screen import Screener; "
            "from pathlib import Path; Screener.from_store(Store(sys.argv[1], readonly=True), cache_dir=Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, str(store.path), str(folder)], check=True)
    assert len(list(folder.glob("index-*.pickle"))) == 1
    before = next(normalize._UID)
    loaded = Screener.from_store(store, cache_dir=folder)
    local = Screener.from_store(store, as_of="2019-01-01")  # built here, after the load: new local tokens
    loaded_uids = {t.uid for r in loaded.index.names for t in (*r.prepared.tokens, *r.prepared.fused)}
    local_uids = {t.uid for r in local.index.names for t in (*r.prepared.tokens, *r.prepared.fused)}
    assert min(loaded_uids) > before and not (loaded_uids & local_uids)
    assert all(r.prepared.uids == tuple(t.uid << 1 for t in r.prepared.tokens) for r in loaded.index.names)
    assert answers(loaded) == answers(Screener.from_store(store))


def test_stale_or_damaged_files_are_not_used(store, tmp_path, data_dir):
    folder = tmp_path / "cache"
    Screener.from_store(store, cache_dir=folder)
    (path,) = folder.glob("index-*.pickle")
    # another settings object: another key
    other = Screener.from_store(store, settings=Screener.from_store(store).settings.with_(candidates=7),
                                cache_dir=folder)
    assert len(list(folder.glob("index-*.pickle"))) == 2 and other.index.settings.candidates == 7
    # a new list version: another key
    load_files(store, "us-bis-dpl", [data_dir / "current/bis-dpl-2023-11-30/dpl.txt"])
    Screener.from_store(store, cache_dir=folder)
    assert len(list(folder.glob("index-*.pickle"))) == 3
    # a truncated file is ignored and rewritten
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    key = path.name[len("index-"):-len(".pickle")]
    assert index_cache.load(folder, key) is None
    s = Screener.from_store(store, as_of=None, sources=None, cache_dir=folder)
    assert s.screen("SADDAM HUSSEIN AL-TIKRITI")[0].entity_id == "un-sc:IQi.001"
    # a file renamed to another key is refused
    (good,) = [f for f in folder.glob("index-*.pickle") if f != path][:1]
    good.rename(folder / "index-0123456789abcdef0123456789abcdef.pickle")
    assert index_cache.load(folder, "0123456789abcdef0123456789abcdef") is None


def test_at_most_keep_files(store, tmp_path):
    folder = tmp_path / "cache"
    base = Screener.from_store(store).settings
    for k in range(index_cache.KEEP + 2):
        Screener.from_store(store, settings=base.with_(candidates=10 + k), cache_dir=folder)
    assert len(list(folder.glob("index-*.pickle"))) == index_cache.KEEP


def test_processes_opening_a_new_version_together_build_it_once(store, tmp_path, monkeypatch):
    """Batch or API workers that start together on a new list version: one builds, the others wait for its file
    (the build lock is a file lock, so it holds between threads as between processes)."""
    import threading

    folder, built, real_build = tmp_path / "cache", [], Index.build

    def counted_build(*a, **k):
        built.append(threading.get_ident())
        return real_build(*a, **k)

    monkeypatch.setattr(Index, "build", counted_build)
    opened: list[Screener] = []

    def worker() -> None:  # a store connection of its own, as a process has
        opened.append(Screener.from_store(Store(tmp_path / "s.db", readonly=True), cache_dir=folder))

    workers = [threading.Thread(target=worker) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(built) == 1 and len(opened) == 3
    assert answers(opened[0]) == answers(opened[2])
    assert not list(folder.glob(".build-*"))  # the lock file goes with the build


def test_a_view_whose_words_were_all_asked_needs_no_name_table_helper(store, tmp_path, monkeypatch):
    """The person-name answers are kept beside the indexes (one file per rigour version): a later build of a view
    whose words were all asked (here the same view, its index file gone) loads them and starts no helper."""
    from sanctions.match import index as index_module
    from sanctions.match import name_table

    folder = tmp_path / "cache"
    latest = Screener.from_store(store, cache_dir=folder)
    assert list(folder.glob("names-rigour-*.pickle"))
    fresh = name_table.NameTables()  # a new process's: nothing memoised

    def no_helper():
        raise AssertionError("the name-table helper was started")

    monkeypatch.setattr(fresh, "_start", no_helper)
    monkeypatch.setattr(index_module, "NAME_TABLES", fresh)
    monkeypatch.setattr(index_cache, "NAME_TABLES", fresh)
    for f in folder.glob("index-*.pickle"):
        f.unlink()
    again = Screener.from_store(store, cache_dir=folder)
    assert again.index.name_table == latest.index.name_table != {}
