"""The temporal store: snapshots (published versions), entity versions with validity intervals, changes."""

from sanctions.store.sqlite import (
    ADDED,
    MODIFIED,
    RELISTED,
    REMOVED,
    ImportResult,
    Snapshot,
    Store,
    StoreError,
    View,
)

__all__ = ["ADDED", "MODIFIED", "RELISTED", "REMOVED", "ImportResult", "Snapshot", "Store", "StoreError", "View"]
