"""History on the real 308-capture OFAC archive: counts per capture, the 2022-01-12 action, timelines,
as-of answers, idempotence, and a SIGKILLed import that resumes to the same store."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time

import pytest
from conftest import archive_head

from sanctions.cli import main
from sanctions.history import changes_between, import_history
from sanctions.store import Store

SEED_UIDS = {"27207", "27208", "27209", "27211", "27212", "34456", "34457", "34458"}


@pytest.fixture(scope="module")
def archive(data_dir):
    return data_dir / "ofac-sdn-history.tar.xz"


@pytest.fixture(scope="module")
def history_db(tmp_path_factory, archive):
    db = tmp_path_factory.mktemp("hist") / "h.db"
    assert main(["--db", str(db), "history", "import", str(archive), "--source", "us-ofac-sdn"]) == 0
    return db


def test_every_capture_count_matches_index(history_db, data_dir):
    rows = list(csv.DictReader((data_dir / "ofac-sdn-history.index.csv").open()))
    with Store(history_db) as store:
        snaps = store.snapshots("us-ofac-sdn")
    assert len(snaps) == len(rows) == 308
    by_time = {s.published: s for s in snaps}
    for r in rows:
        s = by_time[r["capture_time_utc"]]
        assert s.entity_count == int(r["rows"]), r["file"]
        assert s.sha256 == r["sha256"]


def test_changes_on_2022_01_12(history_db, capsys):
    assert (
        main(["--db", str(history_db), "changes", "--source", "us-ofac-sdn", "--on", "2022-01-12", "--json"])
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert len(result) == 1
    snap = result[0]
    assert {a["entity_id"].split(":")[1] for a in snap["added"]} == SEED_UIDS
    assert snap["removed"] == [] and snap["modified"] == [] and snap["relisted"] == []
    assert snap["by_program"]["NPWMD"]["added"] == 8


def test_show_history_first_listed(history_db, capsys):
    assert main(["--db", str(history_db), "show", "us-ofac-sdn:34458", "--history"]) == 0
    assert "first listed in the capture of 2022-01-12T18:51Z" in capsys.readouterr().out


def test_as_of_parsek(history_db):
    with Store(history_db) as store:
        assert store.view("2022-01-11").find_by_name("PARSEK LLC") == []
        assert [e.id for e in store.view("2022-01-13").find_by_name("PARSEK LLC")] == ["us-ofac-sdn:34458"]
    # The same through the CLI: show --as-of.
    assert main(["--db", str(history_db), "show", "us-ofac-sdn:34458", "--as-of", "2022-01-11"]) == 2
    assert main(["--db", str(history_db), "show", "us-ofac-sdn:34458", "--as-of", "2022-01-13"]) == 0


def test_modified_entities_have_field_diffs(history_db):
    with Store(history_db) as store:
        result = changes_between(store, "2022-01-01", "2022-12-31", "us-ofac-sdn")
    modified = [m for snap in result for m in snap["modified"]]
    assert modified, "a year of OFAC changes has modifications"
    assert all(m["diff"] for m in modified)
    fields = {d["field"] for m in modified for d in m["diff"]}
    assert fields & {"names", "programs", "remarks", "identifiers", "sanctions_notes"}


def test_import_twice_changes_nothing(history_db, archive):
    with Store(history_db) as store:
        before = _fingerprint(store)
        report = import_history(store, archive, "us-ofac-sdn")
        assert report.imported == 0 and report.skipped == 308
        assert _fingerprint(store) == before


def _fingerprint(store: Store):
    snaps = [
        (s.source, s.seq, s.published, s.sha256, s.entity_count, s.added, s.removed, s.modified)
        for s in store.snapshots()
    ]
    versions = store.db.execute(
        "SELECT entity_id, valid_from, valid_to, content_hash FROM entity_version ORDER BY entity_id, valid_from"
    ).fetchall()
    changes = store.db.execute(
        "SELECT s.seq, c.entity_id, c.change, c.diff FROM change c JOIN snapshot s ON s.id = c.snapshot_id"
        " ORDER BY s.seq, c.entity_id"
    ).fetchall()
    return snaps, [tuple(v) for v in versions], [tuple(c) for c in changes]


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory, archive):
    """The first 40 captures, re-packed at test time (never stored in the repo)."""
    return archive_head(archive, tmp_path_factory.mktemp("arch") / "first40.tar.gz", 40)


def test_sigkill_midway_then_resume_equals_uninterrupted(tmp_path, small_archive):
    ref = tmp_path / "ref.db"
    with Store(ref) as store:
        import_history(store, small_archive, "us-ofac-sdn")
        expected = _fingerprint(store)
    killed_db = tmp_path / "killed.db"
    cmd = [
        sys.executable,
        "-m",
        "sanctions",
        "--db",
        str(killed_db),
        "history",
        "import",
        str(small_archive),
        "--source",
        "us-ofac-sdn",
    ]
    for delay in (0.8, 1.6):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Store(killed_db) as store:
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            partial = len(store.snapshots())
        assert partial < 40, "the kill should land before the end"
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    with Store(killed_db) as store:
        assert _fingerprint(store) == expected


def test_plot(history_db, tmp_path):
    out = tmp_path / "changes.png"
    assert (
        main(
            [
                "--db",
                str(history_db),
                "changes",
                "--since",
                "2022-01-01",
                "--until",
                "2022-06-30",
                "--plot",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "changes.svg"
    assert main(["--db", str(history_db), "changes", "--since", "2023-01-01", "--plot", str(svg)]) == 0
    assert b"<svg" in svg.read_bytes()[:500]


def test_unsafe_archive_refused(tmp_path, capsys):
    bad = tmp_path / "bad.tar"
    with tarfile.open(bad, "w") as t:
        info = tarfile.TarInfo("../sdn-2022-01-01T0000Z.csv")
        payload = b'1,"X",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        info.size = len(payload)
        t.addfile(info, io.BytesIO(payload))
    db = tmp_path / "s.db"
    assert main(["--db", str(db), "history", "import", str(bad), "--source", "us-ofac-sdn"]) == 2
    assert "unsafe member path" in capsys.readouterr().err


def test_un_history_from_mirror_folders_any_order(tmp_path, data_dir, current_dir):
    """The current UN list first, then the older dated folders (other lists' folders are ignored): the older
    versions are threaded in before it, and a second run stores nothing new."""
    db = tmp_path / "un.db"
    assert main(["--db", str(db), "sync", "--from", str(current_dir), "--sources", "un-sc"]) == 0
    assert main(["--db", str(db), "history", "import", str(data_dir / "older"), "--source", "un-sc"]) == 0
    with Store(db) as store:
        snaps = store.snapshots("un-sc")
        assert [s.published[:10] for s in snaps] == ["2018-10-29", "2020-12-02", "2024-09-26", "2025-11-20",
                                                     "2026-02-27"]
        assert [s.entity_count for s in snaps] == [1093, 1006, 875, 1000, 1003]
        before = _fingerprint(store)
        assert store.view("2019-01-01").count() == 1093
    assert main(["--db", str(db), "history", "import", str(data_dir / "older"), "--source", "un-sc"]) == 0
    with Store(db) as store:
        assert _fingerprint(store) == before


@pytest.mark.parametrize("order", ["sync-then-history", "history-then-sync"])
def test_full_set_and_captures_in_either_order(tmp_path, archive, current_dir, order, capsys):
    """The mirror's sdn.csv is byte-identical to the last capture. In either order, the latest version keeps
    the aux data (alt names, addresses) and the 2022-01-12 action stays exactly 8 additions."""
    db = str(tmp_path / "s.db")
    steps = {
        "sync": ["--db", db, "sync", "--from", str(current_dir), "--sources", "us-ofac-sdn"],
        "history": ["--db", db, "history", "import", str(archive), "--source", "us-ofac-sdn"],
    }
    for step in order.split("-then-"):
        assert main(steps[step]) == 0
    capsys.readouterr()
    with Store(db) as store:
        latest = store.view().entity("us-ofac-sdn:27209")
        assert any(n.text == "CH'OE, Myo'ng-hyo'n" for n in latest.names)
        assert any(a.city == "Vladivostok" for a in latest.addresses)
        last = store.latest_snapshot("us-ofac-sdn")
        assert len(last.files) == 4 and last.entity_count == 14965 and (last.added, last.removed) == (0, 0)
        # Either order ends in the same timeline: all 308 captures, then the fuller set one second after the
        # last capture of the same sdn.csv.
        snaps = store.snapshots("us-ofac-sdn")
        assert len(snaps) == 309
        assert [s.published for s in snaps[-2:]] == ["2024-05-03T18:43:23Z", "2024-05-03T18:43:24Z"]
        assert snaps[-2].entity_count == 14965 and len(snaps[-2].files) == 1
    assert main(["--db", db, "changes", "--source", "us-ofac-sdn", "--on", "2022-01-12", "--json"]) == 0
    snap = json.loads(capsys.readouterr().out)[0]
    assert {a["entity_id"].split(":")[1] for a in snap["added"]} == SEED_UIDS


def test_capture_after_a_fuller_version_of_another_day(tmp_path, small_archive, current_dir):
    """A full set (with aux files) stored in the middle of a run of captures: the captures after it differ from
    the store's state in records that did not change between captures; those are parsed on demand."""
    db = tmp_path / "s.db"
    sdn = current_dir / "ofac-sdn-2024-05-03" / "sdn.csv"
    aux = [current_dir / "ofac-sdn-aux-2025-12-24" / n for n in ("add.csv", "alt.csv")]
    assert main(["--db", str(db), "load", str(sdn), *map(str, aux), "--source", "us-ofac-sdn",
                 "--published", "2021-09-01"]) == 0
    assert main(["--db", str(db), "history", "import", str(small_archive), "--source", "us-ofac-sdn"]) == 0
    with Store(db) as store:
        assert len(store.snapshots("us-ofac-sdn")) == 41
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
