"""The Spark engine (local mode) gives exactly the local engine's alerts, in the same order."""

from __future__ import annotations

import csv
import shutil

import pytest

from sanctions.batch import synth
from sanctions.cli import main

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
if shutil.which("java") is None:
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

ROWS = 20_000


@pytest.fixture(scope="module")
def db(tmp_path_factory, current_dir) -> str:
    path = str(tmp_path_factory.mktemp("spark") / "cur.db")
    assert main(["--db", path, "sync", "--from", str(current_dir)]) == 0
    return path


def test_spark_equals_local(db, eval_dir, tmp_path):
    from sanctions.screen import Screener
    from sanctions.store import Store

    screener = Screener.from_store(Store(db, readonly=True))
    neg = synth.negatives(eval_dir / "D_negatives.tsv")
    listed = synth.listed_names(screener.index.entities)
    del screener
    # 20k rows; mostly repeated negatives, so the run stays short (each distinct row is screened once per worker)
    customers = synth.write_customers(tmp_path / "customers.csv", ROWS, neg[:800], listed[:2000],
                                      listed_share=0.01)
    local_out, spark_out = tmp_path / "local.csv", tmp_path / "spark.csv"
    assert main(["--db", db, "screen-file", str(customers), "--out", str(local_out)]) == 0
    assert main(["--db", db, "screen-file", str(customers), "--out", str(spark_out), "--engine", "spark",
                 "--master", "local[2]"]) == 0
    with open(local_out, newline="", encoding="utf-8") as a, open(spark_out, newline="", encoding="utf-8") as b:
        la, lb = list(csv.reader(a)), list(csv.reader(b))
    assert len(la) > 50
    assert la == lb
