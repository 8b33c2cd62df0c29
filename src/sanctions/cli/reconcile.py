"""`sanctions reconcile FILE|-`: read an announcement, find the list change it describes, check its claims."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sanctions.cli.common import open_store, print_json
from sanctions.settings import Settings
from sanctions.sources import SOURCES
from sanctions.store.times import iso_utc, parse_when


def register(sub) -> None:
    p = sub.add_parser(
        "reconcile",
        help="read an announcement (press release, article) and find the list change it describes",
        description="Extract the claims of an announcement (authorities, counts, nationalities, places, programs, "
        "names, dates), find the stored change of the list that best explains them, and mark each claim "
        "confirmed, contradicted or not verifiable, with evidence.",
    )
    p.add_argument("file", metavar="FILE|-", help="text file of the announcement, or - for standard input")
    p.add_argument("--published", metavar="DATE", help="publication date of the text (resolves 'Wednesday')")
    p.add_argument("--source", default="us-ofac-sdn", choices=sorted(SOURCES), help="list to search (default: "
                   "us-ofac-sdn)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reconcile)


def cmd_reconcile(args, settings: Settings) -> int:
    from sanctions.reconcile import reconcile
    from sanctions.reconcile.report import render

    if args.file == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    published = iso_utc(parse_when(args.published))[:10] if args.published else None
    with open_store(settings, readonly=True) as store:
        result = reconcile(store, text, published=published, source=args.source)
        if args.json:
            print_json(result.to_dict())
        else:
            print(render(result, width=max(100, min(160, shutil.get_terminal_size((120, 20)).columns))))
    return 0
