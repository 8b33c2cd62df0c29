"""Read an announcement (press release, news article) and find the list change it describes.

`reconcile(store, text, published=None, source="us-ofac-sdn")` extracts the text's claims (`extract`), scores
every stored change of the source against them (`explain`), and returns a `Reconciliation`: the picked change,
each claim confirmed / contradicted / not verifiable with its evidence, and the entries the text refers to.
`report` renders it for a person or as JSON. Offline and rule-based: country names and demonyms from
`rigour.territories`, names from the lists themselves, programs from the `vocab.MOTIVES` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanctions.reconcile.explain import (
    Candidate,
    Scored,
    fallback_addresses,
    load_candidates,
    rank,
    screen_names,
)
from sanctions.reconcile.extract import Claim, extract_claims
from sanctions.store import Store


@dataclass
class Reconciliation:
    source: str
    published: str | None
    claims: list[Claim]
    context_dates: list[Claim]
    ranked: list[Scored] = field(default_factory=list)
    candidates: int = 0

    @property
    def best(self) -> Scored | None:
        return self.ranked[0] if self.ranked else None

    def to_dict(self) -> dict[str, Any]:
        from sanctions.reconcile.report import as_dict

        return as_dict(self)


def reconcile(store: Store, text: str, published: str | None = None, source: str = "us-ofac-sdn") -> Reconciliation:
    if not text.strip():
        raise ValueError("the announcement is empty")
    if not store.snapshots(source):
        raise ValueError(f"no version of {source} in the store (run `sanctions history import` or `sync`)")
    claims, context = extract_claims(text, published)
    candidates: list[Candidate] = load_candidates(store, source)
    hits = screen_names(claims, candidates)
    claims = _known_names(claims, hits)
    ranked = rank(store, candidates, claims, source, hits) if candidates else []
    if ranked:  # addresses of every entry of the picked change, for the report
        for e in ranked[0].candidate.entries[:200]:
            fallback_addresses(store, e, ranked[0].candidate.snapshot.published)
    return Reconciliation(source, published, claims, context, ranked, len(candidates))


def _known_names(claims: list[Claim], hits: dict) -> list[Claim]:
    """A capitalised span without a legal form is a claim only when the lists know the name. A span joining
    names with "and" gives way to its parts when two or more parts are names on their own ("A Ltd. and B Ltd."),
    and its parts give way to it otherwise ("Travel and Tourism")."""
    parts: dict[str, list[Claim]] = {}
    for c in claims:
        if c.type == "named" and c.parent:
            parts.setdefault(c.parent, []).append(c)
    split = {pid for pid, ps in parts.items() if sum(1 for p in ps if hits.get(p.id)) >= 2}
    out = []
    for c in claims:
        if c.type == "named":
            if c.id in split:
                continue
            if c.parent and c.parent not in split and hits.get(c.parent):
                continue
            if c.role == "candidate" and not hits.get(c.id):
                continue
        out.append(c)
    return out
