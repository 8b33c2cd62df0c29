"""Audit trail commands: verify the hash chain, export records for a regulator."""

from __future__ import annotations

import json
import sys

from sanctions.audit import AuditLog
from sanctions.cli.common import open_store
from sanctions.settings import Settings


def register(sub) -> None:
    p = sub.add_parser("audit", help="the tamper-evident trail of screening decisions")
    a = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    a.required = True
    v = a.add_parser("verify", help="check that no record was edited, deleted or reordered")
    v.set_defaults(func=cmd_verify)
    e = a.add_parser("export", help="audit records as JSON lines on stdout")
    e.add_argument("--since", metavar="DATE")
    e.set_defaults(func=cmd_export)


def cmd_verify(args, settings: Settings) -> int:
    with open_store(settings) as store:
        result = AuditLog(store.db).verify()
    if result.ok:
        print(f"audit trail intact: {result.records} records")
        return 0
    print(f"audit trail BROKEN at record {result.seq}: {result.problem}", file=sys.stderr)
    return 1


def cmd_export(args, settings: Settings) -> int:
    with open_store(settings) as store:
        for rec in AuditLog(store.db).export(args.since):
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 0
