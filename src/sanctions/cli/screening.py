"""Screening commands: `screen NAME`, `screen -` (JSON lines in, JSON lines out, in input order), `eval`."""

from __future__ import annotations

import json
import sys

from sanctions.cli.common import add_as_of, open_screener, print_json
from sanctions.settings import Settings
from sanctions.sources import SOURCES

KINDS = ["person", "organization", "vessel", "aircraft"]


def register(sub) -> None:
    p = sub.add_parser("screen", help="find the listed parties a name may refer to ('-' reads JSON lines)")
    p.add_argument("name", help="the name to screen, or '-' for JSON lines on stdin")
    p.add_argument("--dob", help="birth date (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--nationality", help="nationality or country (name or ISO code)")
    p.add_argument("--country", help="country of residence / registration")
    p.add_argument("--type", dest="kind", choices=KINDS)
    p.add_argument("--id", dest="identifiers", action="append", default=[], metavar="NUMBER",
                   help="an identifier (passport, IMO, tax id ...); repeatable")
    p.add_argument("--sources", nargs="+", choices=sorted(SOURCES))
    p.add_argument("--threshold", type=float, help="minimum score (default: the operating threshold)")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    add_as_of(p)
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("eval", help="accuracy on the evaluation sets; writes docs/ACCURACY.md")
    p.add_argument("--quick", action="store_true", help="a subsample, for a fast check")
    p.add_argument("--out", default="docs", help="folder for ACCURACY.md and the precision-recall plot")
    p.set_defaults(func=cmd_eval)


def cmd_screen(args, settings: Settings) -> int:
    if args.name == "-":
        return _stream(args, settings)
    _store, screener = open_screener(settings, args.as_of, args.sources)
    matches = screener.screen(
        args.name, kind=args.kind, birth_date=args.dob, nationality=args.nationality, country=args.country,
        identifiers=args.identifiers, limit=args.limit, threshold=args.threshold,
    )
    if args.json:
        print_json({"query": args.name, "snapshots": screener.snapshot_ids,
                    "threshold": args.threshold if args.threshold is not None else screener.settings.threshold,
                    "matches": [m.to_dict() for m in matches]})
        return 0
    if not matches:
        print(f"no match at or above {args.threshold or screener.settings.threshold:.2f}")
    for i, m in enumerate(matches, 1):
        print(f"{i:2}. {m.score:.3f}  {m.entity_id:24} {m.caption}  [{m.kind}]")
        if m.matched_name != m.caption:
            weak = " (weak alias)" if m.matched_name_strength == "weak" else ""
            print(f"    matched {m.matched_name_kind} {m.matched_name!r}{weak}")
        for f in m.explanation:
            print(f"    {f.get('feature', ''):18} {f.get('score', 0):+.3f}  {f.get('detail', '')}")
    return 0


def _stream(args, settings: Settings) -> int:
    """One JSON object per input line -> one per output line, in input order. A bad line gets an error object
    with its line number instead of stopping the stream."""
    _store, screener = open_screener(settings, args.as_of, args.sources)
    out = sys.stdout
    for line_no, raw in enumerate(sys.stdin.buffer, 1):
        if not raw.strip():
            continue
        query = None
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})") from None
            query = json.loads(line)
            if not isinstance(query, dict) or not isinstance(query.get("name"), str):
                raise ValueError("each line must be a JSON object with a string 'name'")
            if args.threshold is not None and "threshold" not in query:
                query["threshold"] = args.threshold
            result = screener.match_dict(query)
        except (ValueError, TypeError) as exc:
            result = {"id": query.get("id") if isinstance(query, dict) else None,
                      "error": f"stdin:line {line_no}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def cmd_eval(args, settings: Settings) -> int:
    from sanctions import evaluate

    argv = ["--out", args.out] + (["--quick"] if args.quick else [])
    return evaluate.main(argv)
