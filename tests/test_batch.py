"""screen-file: a customer file (CSV / Parquet) against the current lists, on all cores, ordered output that
equals screening each row alone; bad input ends with one line and no output file."""

from __future__ import annotations

import csv
import json

import pytest

from sanctions.batch import synth
from sanctions.cli import main
from sanctions.screen import Screener
from sanctions.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory, current_dir) -> str:
    path = str(tmp_path_factory.mktemp("batch") / "cur.db")
    assert main(["--db", path, "sync", "--from", str(current_dir)]) == 0
    return path


@pytest.fixture(scope="module")
def screener(db) -> Screener:
    return Screener.from_store(Store(db, readonly=True))


@pytest.fixture(scope="module")
def customers(tmp_path_factory, eval_dir, screener) -> str:
    neg = synth.negatives(eval_dir / "D_negatives.tsv")
    listed = synth.listed_names(screener.index.entities)
    path = tmp_path_factory.mktemp("cust") / "customers.csv"
    synth.write_customers(path, 1500, neg, listed, listed_share=0.1)
    return str(path)


def _expected(screener: Screener, path: str) -> list[dict]:
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for m in screener.screen(row["name"], country=row["country"] or None):
                out.append({"query_id": row["id"], "entity_id": m.entity_id, "score": m.score,
                            "matched_name": m.matched_name, "segment": row["segment"]})
    return out


def _read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_multiprocess_equals_row_by_row(db, customers, screener, tmp_path):
    out = tmp_path / "alerts.csv"
    assert main(["--db", db, "screen-file", customers, "--out", str(out), "--workers", "2"]) == 0
    got = _read_csv(out)
    exp = _expected(screener, customers)
    assert len(exp) > 20
    assert [(r["query_id"], r["entity_id"], float(r["score"]), r["matched_name"], r["segment"]) for r in got] == [
        (e["query_id"], e["entity_id"], e["score"], e["matched_name"], e["segment"]) for e in exp
    ]
    assert set(got[0]) >= {"query_id", "query_name", "entity_id", "score", "matched_name", "explanation",
                           "segment"}
    assert all(r["explanation"] for r in got)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".partial-")]
    # The run is in the audit trail, with the alerts file pinned by its hash.
    import hashlib

    from sanctions.audit import AuditLog
    from sanctions.store import Store

    with Store(db) as store:
        rec = list(AuditLog(store.db).export())[-1]["record"]
    assert rec["channel"] == "batch:screen-file"
    assert rec["results"]["output_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert rec["results"]["alerts"] == len(got)


def test_parquet_in_and_out_and_jsonl_stdout(db, customers, tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(customers, convert_options=pacsv.ConvertOptions(column_types={"country": pa.string()}))
    pin = tmp_path / "customers.parquet"
    pq.write_table(table.slice(0, 400), pin)
    pout = tmp_path / "alerts.parquet"
    assert main(["--db", db, "screen-file", str(pin), "--out", str(pout), "--workers", "1"]) == 0
    got = pq.read_table(pout).to_pylist()
    capsys.readouterr()
    assert main(["--db", db, "screen-file", str(pin), "--workers", "2"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["query_id"], r["entity_id"], r["score"]) for r in got] == [
        (r["query_id"], r["entity_id"], r["score"]) for r in lines
    ]
    assert got, "perturbed listed names should alert"


def test_missing_name_column(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,full_name\n1,John Smith\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["--db", db, "screen-file", str(bad), "--out", str(out)]) != 0
    err = capsys.readouterr().err.strip()
    assert "bad.csv" in err and "'name'" in err and len(err.splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".partial-*"))


def test_bad_row_leaves_no_output(db, tmp_path, capsys):
    bad = tmp_path / "rows.csv"
    lines = ["id,name"] + [f"{i},Person Number{i}" for i in range(1100)] + ["x,Too,Many,Fields"]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["--db", db, "screen-file", str(bad), "--out", str(out), "--workers", "2"]) != 0
    err = capsys.readouterr().err.strip()
    assert "rows.csv:line 1102" in err
    assert not out.exists() and not list(tmp_path.glob(".partial-*"))


def test_unreadable_file(db, tmp_path, capsys):
    assert main(["--db", db, "screen-file", str(tmp_path / "nope.csv")]) != 0
    assert "nope.csv" in capsys.readouterr().err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,name\n1,Jos\xe9\n".encode("latin-1"))
    assert main(["--db", db, "screen-file", str(latin), "--out", str(tmp_path / "o.csv")]) != 0
    assert "latin.csv" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_rows_go_to_the_same_worker_in_every_run():
    """A name's rows go to one worker, chosen the same way in every process whatever its hash salt (Python's
    `hash` of a string is not), and many names spread over the workers."""
    import os
    import subprocess
    import sys

    from sanctions.batch.local import worker_of

    code = "from sanctions.batch.local import worker_of; print([worker_of(f'NAME {i}', 'person', 2) for i in range(50)])"
    runs = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
                           capture_output=True, text=True).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1
    assert runs.pop().strip() == str([worker_of(f"NAME {i}", "person", 2) for i in range(50)])
    spread = [worker_of(f"KORVAL TRADING {i}", None, 2) for i in range(2000)]
    assert 900 < spread.count(0) < 1100
    assert worker_of("KORVAL", "person", 3) in (0, 1, 2) and worker_of(None, None, 2) in (0, 1)
