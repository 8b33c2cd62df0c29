"""The Spark engine: the same matcher on each partition, the Screener broadcast once to every executor.

The driver builds the Screener from the store (so the executors never need the store file), pickles its index
(without the store connection) and broadcasts it; the customer rows are split into slices, each executor screens its
slices with `local.screen_chunk` - the very function the local engine runs - and the alert rows come back with
their row numbers, so the output is ordered and identical to the local engine's. See docs/SPARK.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from sanctions.batch.io import Reader, Writer
from sanctions.batch.local import screen_chunk

_BROADCAST_SCREENER: dict[str, Any] = {}  # run token -> rebuilt Screener, one per executor Python worker


def portable(screener: Any) -> tuple:
    """What the executors need to rebuild the Screener: its index, snapshots and settings (the Screener itself
    holds a store connection and a lock, which cannot be pickled)."""
    return (screener.index, screener.snapshots, screener.settings)


def rebuild(parts: tuple) -> Any:
    from sanctions.screen import Screener

    index, snapshots, settings = parts
    return Screener(index, snapshots=snapshots, settings=settings)


def spark_session(master: str | None = None, app: str = "sanctions screen-file"):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_HOME") or "local" in os.environ.get("MASTER", "local"):
        builder = builder.master(os.environ.get("MASTER", "local[*]"))
    builder = (builder.config("spark.ui.enabled", "false")
               .config("spark.driver.memory", os.environ.get("SANCTIONS_SPARK_DRIVER_MEMORY", "2g"))
               .config("spark.python.worker.reuse", "true"))
    return builder.getOrCreate()


def _partition_fn(bc: Any, threshold: float | None, limit: int):
    import uuid

    token = uuid.uuid4().hex

    def run(slices):
        screener = _BROADCAST_SCREENER.get(token)
        if screener is None:
            _BROADCAST_SCREENER.clear()
            screener = _BROADCAST_SCREENER[token] = rebuild(bc.value)
        for rows in slices:
            n = rows[0][0] if rows else 0
            yield (n, len(rows), screen_chunk(screener, rows, threshold, limit))

    return run


def run_spark(
    screener: Any,
    reader: Reader,
    writer: Writer,
    master: str | None = None,
    threshold: float | None = None,
    limit: int = 10,
    chunk_size: int = 1000,
    slices_per_batch: int = 64,
    progress: Callable[[int], None] | None = None,
    spark: Any = None,
) -> dict[str, Any]:
    """Screen every row of `reader` on Spark into `writer`, in input order. The file is read on the driver and
    shipped in batches of `slices_per_batch` chunks (bounded driver memory); each batch is one Spark job."""
    import time

    t0 = time.perf_counter()
    own = spark is None
    spark = spark or spark_session(master)
    sc = spark.sparkContext
    bc = sc.broadcast(portable(screener))
    fn = _partition_fn(bc, threshold, limit)
    parallelism = max(sc.defaultParallelism, 1)
    rows = alerts = 0
    try:
        batch: list = []

        def flush(batch: list) -> None:
            nonlocal rows, alerts
            rdd = sc.parallelize(batch, min(len(batch), parallelism * 4))
            results = sorted(rdd.mapPartitions(fn).collect(), key=lambda r: r[0])
            for _first, n, res in results:
                writer.write(res)
                rows += n
                alerts += len(res)
                if progress:
                    progress(n)

        for chunk in reader.chunks(chunk_size):
            batch.append(chunk)
            if len(batch) >= slices_per_batch:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
    finally:
        bc.unpersist()
        if own:
            spark.stop()
    return {"rows": rows, "alerts": alerts, "seconds": time.perf_counter() - t0, "engine": "spark"}
