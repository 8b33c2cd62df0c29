"""History commands: `history import` (archives of dated captures) and `changes` (what changed when)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sanctions.cli.common import open_store, prebuild_index, print_json
from sanctions.history import changes_between, import_history
from sanctions.settings import Settings
from sanctions.sources import SOURCES
from sanctions.store.diff import describe


def register(sub) -> None:
    p = sub.add_parser("history", help="import archives of dated captures of a list")
    hs = p.add_subparsers(dest="history_command", metavar="SUBCOMMAND")
    hs.required = True
    imp = hs.add_parser("import", help="import a tar(.xz/.gz) or folder of dated captures, in time order")
    imp.add_argument("path", type=Path, metavar="ARCHIVE|DIR")
    imp.add_argument("--source", required=True, choices=sorted(SOURCES))
    imp.set_defaults(func=cmd_history_import)

    p = sub.add_parser("changes", help="entities added, removed and modified per published version")
    p.add_argument("--source", choices=sorted(SOURCES))
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--on", metavar="DATE", help="versions published that day")
    when.add_argument("--since", metavar="DATE", help="versions published since that day")
    p.add_argument("--until", metavar="DATE", help="with --since: up to and including that day")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", type=Path, metavar="FILE.png|svg", help="draw additions/removals per week")
    p.set_defaults(func=cmd_changes)


def cmd_history_import(args, settings: Settings) -> int:
    if not args.path.exists():
        raise ValueError(f"{args.path}: no such file or folder")
    with open_store(settings) as store, Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[cap]}"),
        TimeElapsedColumn(), console=None, transient=True, disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task(f"importing {args.source}", total=None, cap="")

        def progress(cap, created):
            bar.update(task, advance=1, cap=cap.published)

        report = import_history(store, args.path, args.source, progress)
        total = len(store.snapshots(args.source))
    print(f"{args.source}: {report.imported} captures imported, {report.skipped} already stored; "
          f"{total} versions in the store")
    if report.imported:
        prebuild_index(settings)
    return 0


def cmd_changes(args, settings: Settings) -> int:
    if args.until and not args.since:
        raise ValueError("--until needs --since")
    since, until = (args.on, args.on) if args.on else (args.since, args.until)
    with open_store(settings, readonly=True) as store:
        result = changes_between(store, since, until, args.source)
    if args.plot:
        from sanctions.plot import plot_changes

        title = f"{args.source or 'all lists'} changes since {since}"
        plot_changes(result, args.plot, title)
        print(f"chart written to {args.plot}", file=sys.stderr)
    if args.json:
        print_json(result)
        return 0
    if not result:
        print(f"no published versions {'on ' + args.on if args.on else 'in that period'}")
    for snap in result:
        s = snap["snapshot"]
        counts = ", ".join(f"{len(snap[k])} {k}" for k in ("added", "removed", "modified", "relisted"))
        print(f"{s['source']} version published {s['published']} (snapshot {s['id']}, {s['entities']} entities): "
              f"{counts}")
        for kind in ("added", "relisted", "removed", "modified"):
            for it in snap[kind]:
                line = f"  {kind:9} {it['entity_id']:22} {it['caption']}  [{', '.join(it['programs'])}]"
                if it.get("diff"):
                    line += "\n" + " " * 14 + describe(it["diff"])
                print(line)
        if snap["by_program"]:
            summary = "; ".join(f"{p}: " + " ".join(f"{k} {v}" for k, v in c.items())
                                for p, c in snap["by_program"].items())
            print(f"  by program: {summary}")
    return 0
