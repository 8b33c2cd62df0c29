"""The changes chart: additions (up) and removals (down) per week, stacked by program family."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sanctions.programs import FAMILY_RULES, family


def week_start(iso: str) -> date:
    d = date.fromisoformat(iso[:10])
    return d - timedelta(days=d.weekday())


def weekly_counts(changes: list[dict[str, Any]]) -> dict[str, dict[date, dict[str, int]]]:
    """{"added"|"removed": {week: {family: n}}} from `history.changes_between` output. An entity counts once,
    under the family of its first program; re-listings count as additions."""
    out: dict[str, dict[date, dict[str, int]]] = {"added": defaultdict(lambda: defaultdict(int)),
                                                    "removed": defaultdict(lambda: defaultdict(int))}
    for snap in changes:
        week = week_start(snap["snapshot"]["published"])
        for kind, items in (("added", snap["added"] + snap["relisted"]), ("removed", snap["removed"])):
            for it in items:
                fam = family(it["programs"][0]) if it["programs"] else "Other"
                out[kind][week][fam] += 1
    return out


def plot_changes(changes: list[dict[str, Any]], path: Path, title: str = "Sanctions list changes") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = weekly_counts(changes)
    weeks = sorted(set(counts["added"]) | set(counts["removed"]))
    if not weeks and changes:
        weeks = [week_start(changes[0]["snapshot"]["published"])]
    order = [name for name, _ in FAMILY_RULES] + ["Other"]
    present = [f for f in order if any(counts[k][w].get(f) for k in counts for w in weeks)]
    colors = plt.get_cmap("tab20").colors
    fig, ax = plt.subplots(figsize=(12, 5.5), dpi=110)
    width = 5.5
    up = [0] * len(weeks)
    down = [0] * len(weeks)
    for i, fam in enumerate(present):
        a = [counts["added"][w].get(fam, 0) for w in weeks]
        r = [-counts["removed"][w].get(fam, 0) for w in weeks]
        ax.bar(weeks, a, width, bottom=up, color=colors[i % len(colors)], label=fam)
        ax.bar(weeks, r, width, bottom=down, color=colors[i % len(colors)], alpha=0.55)
        up = [x + y for x, y in zip(up, a, strict=True)]
        down = [x + y for x, y in zip(down, r, strict=True)]
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("entities per week  (added above, removed below)")
    total_a = sum(sum(v.values()) for v in counts["added"].values())
    total_r = sum(sum(v.values()) for v in counts["removed"].values())
    ax.set_title(f"{title}: {total_a} added, {total_r} removed")
    if present:
        ax.legend(loc="upper left", fontsize=8, ncol=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, format=path.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    return path
