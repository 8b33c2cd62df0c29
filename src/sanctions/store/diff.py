"""Field-level differences between two versions of an entity, readable by a person and by a program."""

from __future__ import annotations

import json
from typing import Any

from sanctions.model import Entity

IGNORED = {"raw"}  # the publisher's record changes whenever a field does; the fields say what changed


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def entity_diff(old: Entity, new: Entity) -> list[dict[str, Any]]:
    """One entry per changed field: lists give what was added and removed; scalars give before and after.
    If only the raw record differs, one entry says so."""
    a, b = old.to_dict(), new.to_dict()
    out: list[dict[str, Any]] = []
    for field in sorted(set(a) | set(b)):
        if field in IGNORED or field in ("id", "source", "native_id"):
            continue
        va, vb = a.get(field), b.get(field)
        if va == vb:
            continue
        if isinstance(va, list) or isinstance(vb, list):
            ka = {_key(x): x for x in va or []}
            kb = {_key(x): x for x in vb or []}
            entry: dict[str, Any] = {"field": field}
            added = [kb[k] for k in kb if k not in ka]
            removed = [ka[k] for k in ka if k not in kb]
            if added:
                entry["added"] = added
            if removed:
                entry["removed"] = removed
            if not added and not removed:
                entry["reordered"] = True
            out.append(entry)
        else:
            out.append({"field": field, "before": va, "after": vb})
    if not out and a.get("raw") != b.get("raw"):
        out.append({"field": "raw", "note": "the publisher's record changed without a change in any field"})
    return out


def describe(diff: list[dict[str, Any]]) -> str:
    """A one-line summary: 'names +1 -0, programs +1, remarks changed'."""
    parts = []
    for d in diff:
        if "before" in d or "after" in d:
            parts.append(f"{d['field']}: {d.get('before')!r} -> {d.get('after')!r}")
        elif d.get("reordered"):
            parts.append(f"{d['field']} reordered")
        elif "note" in d:
            parts.append(d["note"])
        else:
            parts.append(f"{d['field']} +{len(d.get('added', []))} -{len(d.get('removed', []))}")
    return "; ".join(parts)
