"""Batch commands: `screen-file` (a customer file against the lists, local cores or Spark) and `rescreen` (only
the designations changed since a snapshot, against a customer file)."""

from __future__ import annotations

import sys
import time

from sanctions.cli.common import add_as_of, open_screener, open_store
from sanctions.settings import Settings
from sanctions.sources import SOURCES


def register(sub) -> None:
    p = sub.add_parser("screen-file", help="screen a CSV / Parquet customer file; one output row per alert")
    p.add_argument("input", metavar="IN", help="CSV or Parquet with a 'name' column (birth_date, nationality, "
                   "country, type, id optional; other columns are passed through)")
    p.add_argument("--out", help="alerts file: .csv, .parquet or .jsonl (default: JSON lines on stdout)")
    p.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    p.add_argument("--threshold", type=float, help="minimum score (default: the operating threshold)")
    p.add_argument("--limit", type=int, default=10, help="alerts per row at most (default 10)")
    p.add_argument("--engine", choices=["local", "spark"], default="local")
    p.add_argument("--master", help="Spark master URL (default local[*])")
    p.add_argument("--sources", nargs="+", choices=sorted(SOURCES))
    add_as_of(p)
    p.set_defaults(func=cmd_screen_file)

    p = sub.add_parser("rescreen", help="screen a customer file against only the entities changed since a "
                       "snapshot or date; reports the new alerts")
    p.add_argument("customers", metavar="CUSTOMERS", help="CSV or Parquet customer file (as for screen-file)")
    p.add_argument("--since", required=True, metavar="SNAPSHOT|DATE",
                   help="baseline: a snapshot id or a date; entities added / modified / re-listed after it")
    p.add_argument("--out", help="alerts file: .csv, .parquet or .jsonl (default: JSON lines on stdout)")
    p.add_argument("--threshold", type=float, help="minimum score (default: the operating threshold)")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--sources", nargs="+", choices=sorted(SOURCES))
    p.add_argument("--watch", action="store_true",
                   help="keep running with the customer file in memory: each time the store gains list versions "
                   "(a `sync` from anywhere), re-screen only what they changed; alerts go to OUT.<snapshot ids>")
    p.add_argument("--interval", type=float, default=5.0, help="with --watch: seconds between looks at the store")
    p.add_argument("--max-updates", type=int, help="with --watch: stop after this many list updates")
    add_as_of(p)
    p.set_defaults(func=cmd_rescreen)


def cmd_screen_file(args, settings: Settings) -> int:
    from sanctions.batch.io import Reader, Writer
    from sanctions.batch.local import ScreenerSpec, default_workers, output_columns, progress_bar, run_local

    reader = Reader(args.input)  # bad file / missing column: fails before any output exists
    workers = args.workers or default_workers()
    spec = None
    if args.engine == "local" and workers > 1 and settings.index_cache_dir is not None:
        # the workers open the index themselves (from the cache), pinned to the snapshots seen here
        with open_store(settings, readonly=True) as store:
            view = store.view(as_of=args.as_of, sources=args.sources)
            spec = ScreenerSpec(str(settings.db_path), tuple(view.snapshot_ids),
                                tuple(sorted(args.sources)) if args.sources else None, str(settings.index_cache_dir))
        screener, snapshot_ids = None, list(spec.snapshot_ids)
    else:
        _store, screener = open_screener(settings, args.as_of, args.sources)
        snapshot_ids = screener.snapshot_ids
    writer = Writer(args.out, output_columns(reader))
    ok = False
    try:
        with progress_bar(reader.count_rows()) as advance:
            if args.engine == "spark":
                from sanctions.batch.spark import run_spark

                stats = run_spark(screener, reader, writer, master=args.master, threshold=args.threshold,
                                  limit=args.limit, progress=advance)
            else:
                stats = run_local(screener, reader, writer, workers=workers, threshold=args.threshold,
                                  limit=args.limit, progress=advance, spec=spec)
        writer.commit()
        ok = True
    finally:
        if not ok:
            writer.abort()
    _audit_run(settings, "batch:screen-file", args.input, args.out, stats, snapshot_ids, args.threshold)
    rate = stats["rows"] / stats["seconds"] if stats["seconds"] else 0.0
    print(f"{stats['rows']:,} rows, {stats['alerts']:,} alerts in {stats['seconds']:.1f} s ({rate:,.0f} names/s)"
          + (f" -> {args.out}" if args.out else ""), file=sys.stderr)
    return 0


def cmd_rescreen(args, settings: Settings) -> int:
    from sanctions.batch.io import Reader
    from sanctions.batch.rescreen import CustomerIndex, changed_entities, latest_seqs, read_all

    if args.watch and args.as_of:
        print("error: --watch follows the newest lists; it takes no --as-of", file=sys.stderr)
        return 2
    reader = Reader(args.customers)
    store, screener = open_screener(settings, args.as_of, args.sources)
    seen = latest_seqs(store, args.sources)
    ids, snaps = changed_entities(store, args.since, args.as_of, args.sources)
    rows = read_all(reader)
    t0 = time.perf_counter()
    cidx, was_cached = CustomerIndex.cached(rows, _file_sha256(args.customers), settings.index_cache_dir)
    t_index = time.perf_counter() - t0
    _rescreen_once(args, settings, reader, rows, cidx, screener, ids, f"since {args.since}", len(snaps), args.out,
                   f" (customer index {'read' if was_cached else 'built'} in {t_index:.1f} s)")
    store.close()
    if args.watch:
        _watch(args, settings, reader, rows, cidx, seen)
    return 0


def _rescreen_once(args, settings: Settings, reader, rows, cidx, screener, ids: list[str], label: str,
                   n_snaps: int, out: str | None, note: str = "") -> None:
    """Re-screen the customers against the entities `ids` and write the new alerts to `out` (atomically)."""
    from sanctions.batch.io import Writer
    from sanctions.batch.local import output_columns
    from sanctions.batch.rescreen import rescreen

    writer = Writer(out, output_columns(reader))
    ok = False
    try:
        alerts, stats = rescreen(screener, rows, ids, threshold=args.threshold, limit=args.limit,
                                 customer_index=cidx)
        writer.write(alerts)
        writer.commit()
        ok = True
    finally:
        if not ok:
            writer.abort()
    _audit_run(settings, "batch:rescreen", args.customers, out, {**stats, "since": label},
               screener.snapshot_ids, args.threshold)
    print(f"{n_snaps} snapshot(s) {label}: {stats['changed_entities']} changed entities "
          f"({stats['in_force']} in force); {stats['customers']:,} customers, {stats['candidates']:,} candidates, "
          f"{stats['alerts']:,} new alerts in {stats['seconds_total']:.2f} s{note}"
          + (f" -> {out}" if out else ""), file=sys.stderr, flush=True)


def _watch(args, settings: Settings, reader, rows, cidx, seen: dict[str, int]) -> None:
    """Look at the store every `--interval` seconds; on new list versions, open the newest lists and re-screen
    the customers (kept in memory, with their index) against only the entities those versions changed."""
    from pathlib import Path

    from sanctions.batch.rescreen import changed_in, snapshots_after

    updates = 0
    print(f"watching the store for list updates every {args.interval:g} s", file=sys.stderr, flush=True)
    try:
        while args.max_updates is None or updates < args.max_updates:
            time.sleep(args.interval)
            try:
                with open_store(settings, readonly=True) as store:
                    snaps = snapshots_after(store, seen, args.sources)
                    if not snaps:
                        continue
                    ids = changed_in(store, snaps)
                _store, screener = open_screener(settings, None, args.sources)
                _store.close()
                tag = "-".join(str(s.id) for s in snaps)
                out = None
                if args.out:
                    p = Path(args.out)
                    out = str(p.with_name(f"{p.stem}.{tag}{p.suffix}"))
                _rescreen_once(args, settings, reader, rows, cidx, screener, ids, f"imported (snapshots {tag})",
                               len(snaps), out)
            except Exception as exc:  # noqa: BLE001 - a locked or unreadable store: said, and tried again
                print(f"error: re-screen of the new list versions failed, retrying in {args.interval:g} s: {exc}",
                      file=sys.stderr, flush=True)
                continue
            for snap in snaps:  # seen only once written: a failed update is tried again
                seen[snap.source] = max(seen.get(snap.source, -1), snap.seq)
            updates += 1
    except KeyboardInterrupt:  # Ctrl-C / SIGINT: stop between updates; every file written is complete
        print("stopped", file=sys.stderr)


def _file_sha256(path) -> str | None:
    import hashlib
    from pathlib import Path

    if not path or not Path(path).is_file():
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _audit_run(settings: Settings, channel: str, inp, out, stats: dict, snapshot_ids, threshold) -> None:
    """A batch run's decisions are its output file: the audit record pins the input and the alerts written
    (by sha256) with the threshold and the snapshots used, so the file can be proven unaltered later."""
    from sanctions.audit import AuditLog
    from sanctions.match.settings import DEFAULT

    with open_store(settings) as store:
        AuditLog(store.db).append(
            query={"input": str(inp), "input_sha256": _file_sha256(inp)},
            results={"output": str(out) if out else "stdout", "output_sha256": _file_sha256(out),
                     **{k: v for k, v in stats.items() if isinstance(v, (int, float, str))}},
            threshold=threshold if threshold is not None else DEFAULT.threshold,
            snapshot_ids=[int(i) for i in snapshot_ids],
            channel=channel,
        )
