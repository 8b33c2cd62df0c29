"""Screening: one name (plus optional facts) in, ranked explained matches out.

A `Screener` wraps one `match.Index` built from one pinned view of the store (or from a list of entities). For
`as_of` / `sources` other than its own it asks the store for that view and keeps a Screener per view (keyed by
the view's snapshot set and sources), so the hot path never reads the store.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sanctions.index_cache import index_for_view
from sanctions.match.features import (
    Alignment,
    Context,
    Query,
    align,
    combine,
    conflict,
    features_for,
    max_bonus,
)
from sanctions.match.index import BoundedCache, Index, NameRec
from sanctions.match.normalize import Prepared
from sanctions.match.settings import DEFAULT, MatchSettings
from sanctions.model import PERSON, PRIMARY, Entity


@dataclass
class Match:
    entity_id: str
    score: float
    matched_name: str
    matched_name_kind: str
    matched_name_strength: str
    caption: str
    kind: str
    source: str
    explanation: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rank_key(pos: int, score: float, _nid: int, ctx: Context, name_kind: str) -> tuple:
    """An entry's place in the results (`Screener._score`): its score, then, among ties, legal forms and kind of
    name as described there, then list order."""
    q, c = ctx.qname, ctx.cname
    return (-score, -len(q.forms & c.forms), len(q.forms ^ c.forms),
            q.form_letters != c.form_letters,  # SARL / LIMITED: one form, two spellings
            name_kind != PRIMARY, pos)


_MARGIN = 1e-9  # rounding room below a floor of the threshold minus `max_bonus` (`Screener._lift_floor`)


class NameCache(BoundedCache):
    """The map for `Screener.screen(name_cache=...)`: name-level work kept per (name, type, threshold, view)."""


def _snap_dict(snap: Any) -> dict[str, Any]:
    d = snap.to_dict() if hasattr(snap, "to_dict") else dict(snap)
    return {k: d.get(k) for k in ("id", "source", "published", "sha256")}


class Screener:
    def __init__(
        self,
        index: Index,
        snapshots: list[dict] | None = None,
        settings: MatchSettings | None = None,
        store: Any = None,
        sources: Iterable[str] | None = None,
    ):
        self.index = index
        self.settings = settings or index.settings
        self.snapshots = [_snap_dict(x) for x in snapshots or []]
        self.snapshot_ids = [str(x["id"]) for x in self.snapshots if x.get("id") is not None]
        self.store = store
        self.sources = frozenset(sources) if sources else None
        self._views: dict[tuple, Screener] = {}
        self._lock = threading.Lock()
        self._max_bonus = max_bonus(self.settings)

    def _lift_floor(self, threshold: float) -> float:
        """The lowest name score the features (at most `max_bonus`) can still lift to `threshold`."""
        return threshold - self._max_bonus - _MARGIN

    # -- construction --------------------------------------------------------------------------------------------
    @classmethod
    def from_entities(
        cls,
        entities: Iterable[Entity],
        snapshots: list[dict] | None = None,
        settings: MatchSettings | None = None,
    ) -> Screener:
        settings = settings or DEFAULT
        return cls(Index.build(entities, settings), snapshots=snapshots, settings=settings)

    @classmethod
    def from_store(
        cls, store: Any, as_of: str | None = None, sources: Iterable[str] | None = None, settings=None,
        cache_dir: Path | None = None,
    ) -> Screener:
        """A Screener over one view of the store; with `cache_dir`, the index is read from there when it was
        built before for the same view, settings and code (and saved there when it is built)."""
        view = store.view(as_of=as_of, sources=list(sources) if sources else None)
        settings = settings or DEFAULT
        screener = cls(
            index_for_view(view, settings, cache_dir, sources),
            snapshots=list(view.snapshots),
            settings=settings,
            store=store,
            sources=sources,
        )
        return screener

    def _for_view(self, as_of: str | None, sources: Iterable[str] | None) -> Screener:
        if as_of is None and sources is None:
            return self
        if self.store is None:
            if as_of is not None:
                raise ValueError("as_of needs a Screener built from a store (Screener.from_store)")
            return self  # sources filtered at lookup time
        src = sorted(sources) if sources else None
        view = self.store.view(as_of=as_of, sources=src)
        key = (
            tuple(sorted(str(_snap_dict(x).get("id")) for x in view.snapshots)),
            tuple(src) if src else None,
        )
        if key == (tuple(sorted(self.snapshot_ids)), tuple(sorted(self.sources)) if self.sources else None):
            return self
        with self._lock:
            hit = self._views.get(key)
            if hit is None:
                hit = Screener(  # built, not cached on disk: per-query views would churn the cache folder
                    Index.build(view.entities(), self.settings),
                    snapshots=list(view.snapshots),
                    settings=self.settings,
                    store=self.store,
                    sources=src,
                )
                self._views[key] = hit
        return hit

    def for_screening_only(self) -> Screener:
        """This Screener over `Index.for_screening_only()` (no store: it answers for its own view only)."""
        return Screener(self.index.for_screening_only(), snapshots=self.snapshots, settings=self.settings,
                        sources=self.sources)

    # -- screening -----------------------------------------------------------------------------------------------
    def screen(
        self,
        name: str,
        kind: str | None = None,
        birth_date: str | None = None,
        nationality: str | None = None,
        country: str | None = None,
        identifiers: Iterable[str] = (),
        as_of: str | None = None,
        sources: Iterable[str] | None = None,
        limit: int = 10,
        threshold: float | None = None,
        name_cache: NameCache | None = None,
    ) -> list[Match]:
        """Matches at or above the threshold, best first. `name_cache` (batch use) keeps the name-level work —
        candidates and their alignments, which depend only on the name, its type and the sources — so a name
        repeated with other facts (birth date, country) is only re-scored."""
        target = self._for_view(as_of, sources)
        src_filter = set(sources) if (sources is not None and target is self) else None
        threshold = self.settings.threshold if threshold is None else threshold
        if name_cache is None or identifiers:
            query = Query.make(name, kind, birth_date, nationality, country, identifiers)
            hits = target._hits(query, src_filter)
        else:
            key = (name, kind, threshold, id(target), tuple(sorted(src_filter)) if src_filter is not None else None)
            got = name_cache.get(key)
            if got is None:
                query = Query.make(name, kind, birth_date, nationality, country, identifiers)
                hits = target._hits(query, src_filter)
                # kept: only the entities a name of which facts could still lift to the threshold (features add at
                # most `max_bonus`; an identifier floor needs identifiers, which bypass the cache), with all their
                # names found (another name may lower the best one's score: `features.conflict`)
                floor = self._lift_floor(threshold)
                recs = target.index.names
                keep = {recs[h[0]].entity for h in hits if h[2].score >= floor}
                name_cache.put(key, (query.prepared, query.prepared_org, [h for h in hits if recs[h[0]].entity in keep]))
            else:
                query = Query.make(name, kind, birth_date, nationality, country, identifiers, prepared=got[:2])
                hits = got[2]
        return target._score(query, hits, limit, threshold, src_filter)

    def _hits(self, query: Query, sources: set[str] | None) -> list[tuple[int, Prepared, Alignment]]:
        """Every candidate name with its alignment to the query: the name-level (and costly) part of screening."""
        idx = self.index
        qw_cache: dict[int, tuple[float, ...]] = {}
        out = []
        for nid in idx.candidates(query, sources):
            rec = idx.names[nid]
            qp, al = self._align(query, rec, qw_cache)
            out.append((int(nid), qp, al))
        return out

    def _score(self, query: Query, hits: list[tuple[int, Prepared, Alignment]], limit: int, threshold: float,
               sources: set[str] | None) -> list[Match]:
        idx = self.index
        s = self.settings
        best: dict[int, tuple[float, int, Any]] = {}  # entity position -> (score, name id, context)
        feats = features_for(query)
        names, facts = idx.names, idx.facts
        by_entity: dict[int, list[tuple[Prepared, Alignment, Prepared]]] = {}
        # a name score the features cannot lift to the threshold (they add at most `max_bonus`; an identifier
        # sets a floor, so not with identifiers) ranks no entity among the matches: not scored further
        floor = -1.0 if query.identifiers else self._lift_floor(threshold)
        for nid, qp, al in hits:
            rec = names[nid]
            by_entity.setdefault(rec.entity, []).append((qp, al, rec.prepared))
            if al.score < floor:
                continue
            ctx = Context(query, facts[rec.entity], qp, rec.prepared, rec.strength, al)
            sc = combine(ctx, s, features=feats).score
            prev = best.get(rec.entity)
            if prev is None or sc > prev[0]:
                best[rec.entity] = (sc, nid, ctx)
        cap = s.conflict_max
        for pos, (_sc, nid, ctx) in list(best.items()):
            # a query word where another of the entity's names has another word: the entry names someone else
            al = ctx.alignment
            if al.score > cap and al.unmatched_query and ctx.cname.person:
                found = conflict(ctx.qname, al, by_entity[pos], s)
                if found:
                    al = Alignment(cap, al.pairs, al.unmatched_query, al.unmatched_candidate, found)
                    ctx = Context(query, ctx.facts, ctx.qname, ctx.cname, ctx.strength, al)
                    best[pos] = (combine(ctx, s, features=feats).score, nid, ctx)
        if query.identifiers:
            qw_cache: dict[int, tuple[float, ...]] = {}
            for pos in idx.entities_by_identifier(query.identifiers):
                if pos in best:
                    continue
                e = idx.entities[pos]
                if sources is not None and e.source not in sources:
                    continue
                nid = idx.first_name.get(pos)
                if nid is not None:
                    rec = idx.names[nid]
                    qp, al = self._align(query, rec, qw_cache)
                    ctx = Context(query, facts[pos], qp, rec.prepared, rec.strength, al)
                    best[pos] = (combine(ctx, s).score, nid, ctx)
        # ties (one name on two entries, or two names alike once legal forms are set apart): the name with more of
        # the query's legal forms first, then with fewer others (X OIL COMPANY PTE LTD, not X OIL COMPANY, for a
        # query with PTE LTD), then with them written as the query writes them, then a match on an entry's primary
        # name, then list order, so the order never depends on the order candidates came in
        ranked = sorted(best.items(), key=lambda kv: _rank_key(kv[0], *kv[1], names[kv[1][1]].kind))
        out = []
        for pos, (sc, nid, ctx) in ranked[:limit]:
            if sc < threshold:
                break
            out.append(self._match(pos, idx.names[nid], ctx))
        return out

    def best_name_score(self, query: Query, recs: Iterable[NameRec]) -> float:
        """The best name score of `query` against these indexed names, as screening computes it."""
        qw_cache: dict[int, tuple[float, ...]] = {}
        return max((self._align(query, rec, qw_cache)[1].score for rec in recs), default=0.0)

    def _align(self, query: Query, rec: NameRec, qw_cache: dict[int, tuple[float, ...]]) -> tuple[Prepared, Alignment]:
        """The query's best reading against this listed name, and their alignment."""
        kind = self.index.facts[rec.entity].kind
        qp = query.for_kind(kind)
        best = qp, self._align_one(qp, rec, qw_cache)
        if query.alternates and kind == PERSON:
            for alt in query.alternates:
                al = self._align_one(alt, rec, qw_cache)
                if al.score > best[1].score:
                    best = alt, al
        return best

    def _align_one(self, qp: Prepared, rec: NameRec, qw_cache: dict[int, tuple[float, ...]]) -> Alignment:
        qw = qw_cache.get(id(qp))
        if qw is None:
            qw = qw_cache[id(qp)] = self.index.query_weights(qp)
        return align(qp, rec.prepared, qw, rec.weights, self.settings, self.index.name_table, self.index.person_words)

    def _match(self, pos: int, rec: NameRec, ctx: Context) -> Match:
        e = self.index.entities[pos]
        ex = combine(ctx, self.settings, explain=True)
        return Match(
            entity_id=e.id,
            score=round(ex.score, 4),
            matched_name=rec.text,
            matched_name_kind=rec.kind,
            matched_name_strength=rec.strength,
            caption=e.caption,
            kind=e.kind,
            source=e.source,
            explanation=ex.items,
            snapshots=self.snapshot_ids,
        )

    # -- JSON lines ----------------------------------------------------------------------------------------------
    def match_dict(self, query: dict[str, Any]) -> dict[str, Any]:
        """`{"id","name","type","birth_date","nationality","country","identifiers","sources","as_of","limit",
        "threshold"}` -> `{"id", "matches": [Match.to_dict() ...]}`."""
        ids = query.get("identifiers") or ()
        if isinstance(ids, str):
            ids = (ids,)
        matches = self.screen(
            query.get("name") or "",
            kind=query.get("type") or query.get("kind"),
            birth_date=query.get("birth_date"),
            nationality=query.get("nationality"),
            country=query.get("country"),
            identifiers=ids,
            as_of=query.get("as_of"),
            sources=query.get("sources"),
            limit=int(query.get("limit") or 10),
            threshold=query.get("threshold"),
        )
        return {"id": query.get("id"), "matches": [m.to_dict() for m in matches]}
