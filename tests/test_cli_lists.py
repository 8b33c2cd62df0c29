"""Lists in, end to end through the CLI: sync from the mirror, counts, show, export, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from followthemoney import model as ftm_model

from sanctions.cli import main
from sanctions.store import Store

EXPECTED = {"us-ofac-sdn": 14965, "un-sc": 1003, "us-ofac-cons": 442, "gb-hmt": 2106}


@pytest.fixture(scope="module")
def synced(tmp_path_factory, current_dir):
    db = tmp_path_factory.mktemp("sync") / "s.db"
    assert main(["--db", str(db), "sync", "--from", str(current_dir)]) == 0
    return db


def run(db, *args, capsys=None):
    code = main(["--db", str(db), *args])
    return code


def test_sync_counts_match_manifest(synced):
    with Store(synced) as store:
        counts = {s.source: s.entity_count for s in store.view().snapshots}
    for source, n in EXPECTED.items():
        assert counts[source] == n, source
    assert "us-bis-dpl" in counts


def test_show_choe_myong_hyon(synced, capsys):
    assert main(["--db", str(synced), "show", "us-ofac-sdn:27209", "--json"]) == 0
    e = json.loads(capsys.readouterr().out)
    assert e["names"][0]["text"] == "CHOE, Myong Hyon"
    assert {"value": "1966-01-20"}.items() <= e["birth_dates"][0].items()
    assert "Korea, North" in e["nationalities"]
    assert {"text": "Korea, North", "code": "kp", "name": "North Korea"} in e["countries_resolved"]["nationalities"]
    assert e["programs"] == ["NPWMD"]
    assert any(n["text"] == "CH'OE, Myo'ng-hyo'n" for n in e["names"])
    assert any(a.get("city") == "Vladivostok" and a.get("country") == "Russia" for a in e["addresses"])


def test_show_text_and_missing(synced, capsys):
    assert main(["--db", str(synced), "show", "us-ofac-sdn:34458"]) == 0
    assert "PARSEK LLC" in capsys.readouterr().out
    assert main(["--db", str(synced), "show", "us-ofac-sdn:999999999"]) == 2
    assert "no entity" in capsys.readouterr().err


def test_sync_twice_changes_nothing(synced, current_dir, capsys):
    before = synced.stat().st_size, _rows(synced)
    assert main(["--db", str(synced), "sync", "--from", str(current_dir)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert _rows(synced) == before[1]


def _rows(db):
    with Store(db) as s:
        return [
            s.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("snapshot", "entity_version", "change")
        ]


def test_sources_verbose_shows_remark_share(synced, capsys):
    assert main(["--db", str(synced), "sources", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "remark segments recognised" in out
    assert "us-ofac-sdn" in out and "14965" in out


def test_export_ftm_validates(synced, capsys):
    assert main(["--db", str(synced), "export", "--format", "ftm", "--sources", "us-ofac-sdn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = set()
    weak = 0
    for line in lines:
        proxy = ftm_model.get_proxy(json.loads(line))  # raises on unknown schema or property
        ids.add(proxy.id)
        if proxy.schema.name != "Sanction":
            weak += len(proxy.get("weakAlias"))
    assert "us-ofac-sdn:27209" in ids
    assert sum(1 for i in ids if not i.endswith(":sanction")) == 14965
    assert weak > 1000


def test_console_script_runs(synced):
    out = subprocess.run(
        [sys.executable, "-m", "sanctions", "--db", str(synced), "sources", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {r["source"] for r in json.loads(out.stdout)} >= set(EXPECTED)


# -- bad input: one line naming the file, exit != 0, store unchanged ---------------------------------------------
@pytest.fixture()
def loaded(tmp_path, current_dir):
    db = tmp_path / "s.db"
    assert (
        main(
            [
                "--db",
                str(db),
                "load",
                str(current_dir / "un-sc-2026-02-27" / "consolidated.xml"),
                "--source",
                "un-sc",
            ]
        )
        == 0
    )
    return db


def _bad(db, capsys, *args, expect: str):
    before = _rows(db)
    assert main(["--db", str(db), *args]) != 0
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert expect in err, err
    assert _rows(db) == before


def test_truncated_file(loaded, tmp_path, current_dir, capsys):
    src = (current_dir / "ofac-sdn-2024-05-03" / "sdn.csv").read_bytes()
    cut = tmp_path / "sdn.csv"
    cut.write_bytes(src[: len(src) // 2 + 17])  # ends inside a record
    _bad(loaded, capsys, "load", str(cut), "--source", "us-ofac-sdn", expect=str(cut))


def test_truncated_xml(loaded, tmp_path, current_dir, capsys):
    src = (current_dir / "un-sc-2026-02-27" / "consolidated.xml").read_bytes()
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(src[: len(src) // 3])
    _bad(loaded, capsys, "load", str(cut), "--source", "un-sc", expect=str(cut))


def test_partial_csl_is_refused(loaded, data_dir, capsys):
    csl = data_dir / "partial" / "us-csl-2023-11-30-TRUNCATED" / "csl.csv"
    _bad(loaded, capsys, "load", str(csl), "--source", "us-ofac-sdn", expect="csl.csv")


def test_wrong_encoding(loaded, tmp_path, current_dir, capsys):
    # The UK file is Windows-1252; presented as an OFAC file it must be refused, not mis-read.
    f = tmp_path / "sdn.csv"
    shutil.copy(current_dir / "uk-hmt-conlist-2018-04-13" / "sanctionsconlist.csv", f)
    _bad(loaded, capsys, "load", str(f), "--source", "us-ofac-sdn", expect=str(f))


def test_unknown_source_and_empty_file(loaded, tmp_path, capsys):
    empty = tmp_path / "dpl.txt"
    empty.write_bytes(b"")
    _bad(loaded, capsys, "load", str(empty), "--source", "us-bis-dpl", expect=str(empty))
    with pytest.raises(SystemExit):  # argparse rejects an unknown --source choice
        main(["--db", str(loaded), "load", str(empty), "--source", "nope"])


def test_duplicate_ids(loaded, tmp_path, current_dir, capsys):
    lines = (current_dir / "ofac-sdn-2024-05-03" / "sdn.csv").read_bytes().split(b"\r\n")
    dup = tmp_path / "sdn.csv"
    dup.write_bytes(b"\r\n".join([lines[0], lines[1], lines[0]]) + b"\r\n\x1a")
    _bad(loaded, capsys, "load", str(dup), "--source", "us-ofac-sdn", expect="line 3")


def test_sync_leaves_the_screening_index_in_the_cache(synced, capsys, monkeypatch):
    """After a sync, the first screening process reads the new lists' index instead of building it."""
    from sanctions.match.index import Index

    assert list(synced.parent.glob(synced.name + ".index-cache/index-*.pickle"))

    def no_build(*a, **k):
        raise AssertionError("the index was built again after the sync")

    monkeypatch.setattr(Index, "build", no_build)
    assert main(["--db", str(synced), "screen", "Parsek OOO", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["matches"][0]["entity_id"] == "us-ofac-sdn:34458"
