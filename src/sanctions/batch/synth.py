"""Synthetic customer files for tests and benchmarks (written to temporary / gitignored folders only): negative
names from the evaluation set plus listed names with light perturbation (a typo, a swapped pair of letters,
a dropped middle name, case changes)."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from pathlib import Path


def negatives(path: str | Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [r["query"] for r in csv.DictReader(fh, delimiter="\t") if r.get("query")]


def perturb(name: str, rng: random.Random) -> str:
    r = rng.random()
    toks = name.split()
    if r < 0.2:
        return name
    if r < 0.35:
        return name.upper() if rng.random() < 0.5 else name.title()
    if r < 0.5 and len(toks) >= 3:
        del toks[rng.randrange(1, len(toks) - 1)]
        return " ".join(toks)
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    if r < 0.75:
        return name[:i] + name[i + 1 :]  # deletion
    if r < 0.9:
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]  # transposition
    return name[:i] + rng.choice("aeiouny") + name[i + 1 :]  # substitution


def write_customers(
    path: str | Path,
    n: int,
    negative_names: list[str],
    listed_names: list[str],
    listed_share: float = 0.05,
    seed: int = 7,
    extra: bool = True,
) -> Path:
    """`n` rows: id, name, (country), segment. A `listed_share` of the rows are perturbed listed names."""
    rng = random.Random(seed)
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "country", "segment"] if extra else ["id", "name"])
        for i in range(n):
            if listed_names and rng.random() < listed_share:
                name = perturb(rng.choice(listed_names), rng)
            else:
                name = rng.choice(negative_names)
            row = [f"C{i:07d}", name]
            if extra:
                row += [rng.choice(("", "", "US", "GB", "DE", "RU", "IR")), rng.choice(("retail", "corporate"))]
            w.writerow(row)
    return path


def listed_names(entities: Iterable) -> list[str]:
    return [n.text for e in entities for n in e.names if n.text]
