"""Helpers shared by the command modules: opening the store, building the index after an import, printing JSON."""

from __future__ import annotations

import json
import sys
import time
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


def prebuild_index(settings: Settings) -> None:
    """After a command that stored new list versions: the screening index of the lists as they now stand, built
    once here and kept in the index cache, so the screening processes that follow (CLI, batch and API workers)
    read it instead of each building it."""
    if settings.index_cache_dir is None:
        return
    from sanctions.index_cache import prebuild
    from sanctions.match.settings import DEFAULT

    t0 = time.perf_counter()
    with open_store(settings, readonly=True) as store:
        built = prebuild(store.view(), DEFAULT, settings.index_cache_dir)
    if built:
        print(f"screening index built and cached in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def add_as_of(parser) -> None:
    parser.add_argument("--as-of", dest="as_of", metavar="DATE", help="answer from the lists in force then")
