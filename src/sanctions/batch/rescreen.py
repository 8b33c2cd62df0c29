"""Re-screening after a list update: only the designations added or changed since a snapshot, against a whole
customer file, in the inverse direction.

1. The changed entities: every entity added, modified or re-listed in a snapshot published after the baseline
   (`--since` snapshot id or date) and in force at `as_of` (default: latest).
2. Candidates: the customer file's distinct (name, type) pairs are indexed like a list (`match.Index`; an
   untyped name both as a person and as an organisation, as a forward query is prepared both ways, once when
   the two forms are equal), and every name of every changed entity is looked up in it with no cap and no cut
   on candidates: every customer name sharing a fuzzy key with a designation name. The index is kept beside
   the store, keyed by the file's hash.
3. Bound: each candidate name (in the normalised forms the customer index already holds) is scored against those
   designations' names exactly as the forward screen scores it; a name that cannot reach the threshold even
   with the most its facts could add is dropped.
4. Confirmation: the remaining rows are screened forward with the full Screener as of `as_of` (the call a full
   re-screen makes, same limit and threshold), and only the alerts on changed entities are kept. So the alerts
   are those a full re-screen gives for those entities (tests/test_rescreen.py), at a fraction of the cost.

`rescreen --watch` (cli/batch.py) repeats 1-4 for each batch of snapshots imported later (`snapshots_after`),
with the customer rows and index kept in memory.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from sanctions.batch.io import Reader, Row
from sanctions.batch.local import screen_row
from sanctions.match.features import Query, max_bonus
from sanctions.match.normalize import Prepared, prepare
from sanctions.match.settings import DEFAULT
from sanctions.model import ORGANIZATION, PERSON, Entity, Name

CHANGE_KINDS = ("added", "modified", "relisted")


def changed_entities(store: Any, since: str, as_of: str | None = None, sources: list[str] | None = None
                     ) -> tuple[list[str], list[dict[str, Any]]]:
    """Ids of the entities added / modified / re-listed after `since` (a snapshot id or a date) up to `as_of`,
    and the snapshots that carry those changes."""
    names = list(sources) if sources else store.sources()
    since_s = str(since).strip()
    base_time: str | None = None
    base_snap = None
    if since_s.isdigit() and len(since_s) < 8:
        base_snap = store.snapshot(int(since_s))
        if base_snap is None:
            raise ValueError(f"--since: no snapshot {since_s} in the store")
        base_time = base_snap.published
    else:
        base_time = since_s
    snaps = []
    for src in names:
        if base_snap is not None and base_snap.source == src:
            base_seq = base_snap.seq
        else:
            b = store.snapshot_as_of(src, base_time)
            base_seq = b.seq if b is not None else -1
        top = store.snapshot_as_of(src, as_of)
        if top is None:
            continue
        snaps += [s for s in store.snapshots(src) if base_seq < s.seq <= top.seq]
    return changed_in(store, snaps), [{"id": s.id, "source": s.source, "published": s.published} for s in snaps]


def changed_in(store: Any, snaps: list[Any]) -> list[str]:
    """Ids of the entities these snapshots added, modified or re-listed (each once, in change order)."""
    ids: list[str] = []
    seen: set[str] = set()
    for ch in store.changes([s.id for s in snaps]):
        if ch["change"] in CHANGE_KINDS and ch["entity_id"] not in seen:
            seen.add(ch["entity_id"])
            ids.append(ch["entity_id"])
    return ids


def latest_seqs(store: Any, sources: list[str] | None = None) -> dict[str, int]:
    """Each source's newest snapshot sequence: what a watching re-screen has seen."""
    out = {}
    for src in sources or store.sources():
        snap = store.latest_snapshot(src)
        if snap is not None:
            out[src] = snap.seq
    return out


def snapshots_after(store: Any, seen: dict[str, int], sources: list[str] | None = None) -> list[Any]:
    """The snapshots imported since `seen` (`latest_seqs`), oldest first per source; a new source's all."""
    return [s for src in (sources or store.sources()) for s in store.snapshots(src) if s.seq > seen.get(src, -1)]


def _distinct_org_form(name: str) -> Prepared | None:
    """An untyped name's organisation form (`prepare(name, None)`, as `Query.make` prepares it) when it differs
    from its person form (a legal form, a title; or a nisba, which only a person's name reads as one)."""
    as_person, as_org = prepare(name, PERSON), prepare(name, None)
    return as_org if as_person != as_org or as_person.patronymic != as_org.patronymic else None


class CustomerIndex:
    """The customer file's distinct (name, type) pairs indexed like a list, for the inverse lookup. Built once
    per customer file and kept beside the store (`cached`: keyed by the file's sha256, the settings and the
    code), so a later list update pays only the lookup."""

    def __init__(self, rows: list[Row]):
        from sanctions.match.index import Index

        groups: dict[tuple[str, str | None], list[int]] = {}
        for i, r in enumerate(rows):
            name, kind = r[1], r[2]
            if name and name.strip():
                groups.setdefault((name, kind), []).append(i)
        facts: set[tuple[str, str | None]] = {(r[1], r[2]) for r in rows if r[3] or r[4] or r[5]}
        ents: list[Entity] = []
        owner: list[int] = []  # indexed entity -> its group
        self.groups: list[tuple[str, str | None, list[int]]] = []  # (name, type, the rows that carry them)
        self.with_facts: list[bool] = []  # whether any of a group's rows has a birth date, nationality or country
        one_form: list[bool] = []  # an untyped name whose person and organisation forms are equal (indexed once)
        org_forms: list[Prepared | None] = []  # ... else its organisation form
        for (name, kind), members in groups.items():
            # an untyped name is prepared both ways, as a forward query is; once when both forms are equal (most
            # names: no legal form, no title), which halves the index of an untyped file
            org_form = _distinct_org_form(name) if kind is None else None
            both = org_form is not None
            one_form.append(kind is None and not both)
            org_forms.append(org_form)
            for k in (PERSON, ORGANIZATION) if both else (kind or PERSON,):
                pos = str(len(ents))
                ents.append(Entity(id=pos, source="customers", native_id=pos, kind=k, names=[Name(name)]))
                owner.append(len(self.groups))
            self.groups.append((name, kind, members))
            self.with_facts.append((name, kind) in facts)
        # candidates only (names are scored by the Screener), the names read as queries
        self.index = Index.build(ents, SETTINGS, names=False, queries=True)
        self.owner = owner
        self.rows = len(rows)
        # each group's name as the forward screen prepares it (`Query.make`: as a person, and with legal forms
        # taken out), read from the index's records so that a re-screen normalises no customer name again
        forms: list[dict[str, Prepared]] = [{} for _ in self.groups]
        self.alternates: list[tuple[Prepared, ...]] = [() for _ in self.groups]  # a person form's other readings
        for rec in self.index.names:
            g, k = owner[rec.entity], ents[rec.entity].kind
            if k not in forms[g]:
                forms[g][k] = rec.prepared  # a name's records come in `normalize.readings` order: prepare's first
            elif k == PERSON:
                self.alternates[g] += (rec.prepared,)
        self.prepared: list[tuple[Prepared | None, Prepared | None] | None] = []
        for (_, kind, _), f, one, org_form in zip(self.groups, forms, one_form, org_forms, strict=True):
            person = f.get(kind or PERSON)
            # (an untyped name's organisation form is `prepare(name, None)`, kept above: titles at its edges weigh
            # as fillers, unlike in the index's organisation record)
            org = person if kind or one else (org_form if f.get(ORGANIZATION) is not None else None)
            self.prepared.append((person, org) if person is not None and org is not None else None)

    def query(self, group: int) -> Query:
        """The forward screen's name query of a group, without normalising its name again."""
        name, kind, _ = self.groups[group]
        return Query.make(name, kind, prepared=self.prepared[group], alternates=self.alternates[group])

    @classmethod
    def cached(cls, rows: list[Row], file_sha256: str, folder: Path | None) -> tuple[CustomerIndex, bool]:
        """(index, whether it was read from `folder`) for the customer file with this sha256."""
        from sanctions import index_cache

        if folder is None:
            return cls(rows), False
        code = index_cache.code_hash(("batch/rescreen.py",))  # the list index's code and this module's
        key = hashlib.sha256(repr((file_sha256, len(rows), repr(SETTINGS), code)).encode()).hexdigest()[:32]
        hit = index_cache.load(folder, key, prefix=PREFIX, kind=cls)
        if hit is not None and hit.rows == len(rows):
            return hit, True
        built = cls(rows)
        index_cache.save(folder, key, built, prefix=PREFIX)
        return built, False

    def candidates(self, entity: Entity) -> set[int]:
        """The groups (distinct customer name and type) sharing a fuzzy key with any name of `entity`."""
        out: set[int] = set()
        idx = self.index
        for n in entity.names:
            if not n.text or not n.text.strip():
                continue
            q = Query.make(n.text, entity.kind)
            for nid in idx.candidates(q):
                out.add(self.owner[idx.names[nid].entity])
        return out


PREFIX = "customers"  # cache file names: customers-<key>.pickle
SETTINGS = DEFAULT.with_(candidates=1 << 30, max_postings=1 << 30, candidate_ratio=0.0)  # keep every name sharing a key


def rescreen(
    screener: Any,
    rows: list[Row],
    entity_ids: list[str],
    threshold: float | None = None,
    limit: int = 10,
    customer_index: CustomerIndex | None = None,
) -> tuple[list[list[Any]], dict[str, Any]]:
    """Alerts (output rows as in screen-file, input order) of `rows` on the changed entities `entity_ids`."""
    t0 = time.perf_counter()
    cidx = customer_index or CustomerIndex(rows)
    t_index = time.perf_counter() - t0
    wanted = set(entity_ids)
    by_id = {e.id: e for e in screener.index.entities if e.id in wanted}
    cand: dict[int, list[str]] = {}  # customer group -> the changed entities it shares a key with
    for eid in entity_ids:
        e = by_id.get(eid)
        if e is not None:
            for g in cidx.candidates(e):
                cand.setdefault(g, []).append(eid)
    t_cand = time.perf_counter() - t0 - t_index
    # A customer sharing a key is confirmed by the full forward screen only if its name, scored against those
    # entities' names exactly as the forward screen scores it, plus the most the facts can add, reaches the
    # threshold: below that the forward screen cannot alert on them.
    limit_score = screener.settings.threshold if threshold is None else threshold
    bonus = max_bonus(screener.settings)
    position = {e.id: i for i, e in enumerate(screener.index.entities) if e.id in wanted}
    owner = {p: eid for eid, p in position.items()}
    recs: dict[str, list] = {eid: [] for eid in position}
    for r in screener.index.names:
        if r.entity in owner:
            recs[owner[r.entity]].append(r)
    confirm: list[int] = []
    candidates = 0
    for g, eids in cand.items():
        members = cidx.groups[g][2]
        candidates += len(members)
        names = [r for eid in eids for r in recs[eid]]
        floor = limit_score - (bonus if cidx.with_facts[g] else 0.0)
        if screener.best_name_score(cidx.query(g), names) >= floor:
            confirm.extend(members)
    out: list[list[Any]] = []
    for i in sorted(confirm):
        row = rows[i]
        for a in screen_row(screener, row, threshold, limit):
            if a[0] in wanted:
                out.append([row[6], row[1], *a, *row[7]])
    stats = {
        "customers": len(rows),
        "changed_entities": len(entity_ids),
        "in_force": len(by_id),
        "candidates": candidates,
        "confirmed": len(confirm),
        "alerts": len(out),
        "seconds_index": t_index,
        "seconds_candidates": t_cand,
        "seconds_total": time.perf_counter() - t0,
    }
    return out, stats


def read_all(reader: Reader) -> list[Row]:
    rows: list[Row] = []
    for chunk in reader.chunks(5000):
        rows.extend(chunk)
    return rows
