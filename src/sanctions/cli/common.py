"""Helpers shared by the command modules: opening the store, printing JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from sanctions.settings import Settings
from sanctions.store import Store


def open_store(settings: Settings, readonly: bool = False) -> Store:
    return Store(settings.db_path, readonly=readonly)


def open_screener(settings: Settings, as_of=None, sources=None):
    """The store (read-only) and a Screener over its view; the index comes from the index cache when it can."""
    from sanctions.screen import Screener

    store = open_store(settings, readonly=True)
    return store, Screener.from_store(store, as_of=as_of, sources=sources, cache_dir=settings.index_cache_dir)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def add_as_of(parser) -> None:
    parser.add_argument("--as-of", dest="as_of", metavar="DATE", help="answer from the lists in force then")
