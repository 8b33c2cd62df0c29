"""The `sanctions` command line. Each command group lives in its own module and registers its subcommands;
errors from parsers, the store and bad arguments end as one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import sys

from sanctions import __version__
from sanctions.model import SourceError
from sanctions.settings import Settings
from sanctions.store import StoreError

EXIT_ERROR = 2


class CommandError(Exception):
    """A user-facing error with a one-line message."""


def build_parser() -> argparse.ArgumentParser:
    from sanctions.cli import audit, batch, history, lists, reconcile, screening, serve

    parser = argparse.ArgumentParser(
        prog="sanctions",
        description="Official sanctions lists: every published version, explained screening.",
    )
    parser.add_argument("--version", action="version", version=f"sanctions {__version__}")
    parser.add_argument("--db", help="SQLite store path (env SANCTIONS_DB; default: the user data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (lists, history, screening, audit, reconcile, batch, serve):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env(db=args.db, mirror=getattr(args, "mirror", None))
    try:
        return args.func(args, settings) or 0
    except (SourceError, StoreError, CommandError, ValueError) as exc:
        print(f"sanctions: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("sanctions: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    sys.exit(main())
