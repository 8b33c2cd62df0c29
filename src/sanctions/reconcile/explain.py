"""Find the list change that best explains an announcement's claims, and check each claim against it.

Candidates are the stored versions (snapshots) of one source, each reduced to the entries a designation
announcement can describe: additions, re-listings, and modifications that add a program to an existing entry
(a program tag merely renamed, PEESA -> PEESA-EO, is not one). The first version of a source is the baseline of
the store, not a change, and is left out.

Every candidate is scored against every claim; no claim is required, so a text without a date is placed by its
names, counts, nationalities, places and programs, and a resolvable date weighs in like any other claim:

- named party: screened (`sanctions.screen.Screener`) against the entries of all candidates at once; a hit in
  the candidate's entries confirms it (weight 3);
- count: at least that many entries of that kind and nationality (and place), "an additional ..." on top of the
  nearest earlier claim with the same facts (weight 1.5, less when the change holds many more such entries);
- location: addresses' countries; when the captured version carries no address (the OFAC history captures are
  sdn.csv alone), the same entity's latest stored version with an address is used and the evidence says so;
- motive: a program tag of the motive's family on the entries the text refers to (weight 1);
- date: the change published within a day before to two days after the date (weight 2);
- coverage: the share of the change's entries the confirmed claims refer to (weight 2), so that a big change
  that happens to hold the claimed entries ranks below the change that is exactly them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sanctions.model import Address, Entity
from sanctions.reconcile import vocab
from sanctions.reconcile.extract import Claim, country_code, country_name
from sanctions.store import Store
from sanctions.store.sqlite import Snapshot, View

CONFIRMED, CONTRADICTED, NOT_VERIFIABLE = "confirmed", "contradicted", "not verifiable"
WEIGHTS = {"named": 3.0, "count": 1.5, "location": 0.75, "motive": 1.0, "date": 2.0, "authority": 0.0}
COVERAGE_WEIGHT = 2.0
NAME_THRESHOLD = 0.80  # a legal-form name matches a listed party from this score
KNOWN_NAME_THRESHOLD = 0.88  # a bare capitalised span counts as a name the lists know from this score
TOP = 6  # candidates scored again with address look-ups
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Entry:
    entity: Entity
    change: str  # added / relisted / program added
    snapshot_id: int
    programs_added: list[str] = field(default_factory=list)
    nationalities: set[str] = field(default_factory=set)
    locations: dict[str, str] = field(default_factory=dict)  # country code -> address text
    address_note: str | None = None  # where the addresses came from, when not from this version
    fallback_done: bool = False

    @property
    def id(self) -> str:
        return self.entity.id


@dataclass
class Candidate:
    snapshot: Snapshot
    entries: list[Entry]


@dataclass
class Verdict:
    claim: Claim
    status: str
    evidence: str
    entity_ids: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    value: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**self.claim.to_dict(), "summary": self.claim.summary(), "status": self.status,
                "evidence": self.evidence, "entity_ids": self.entity_ids, "fields": self.fields}


@dataclass
class Scored:
    candidate: Candidate
    score: float
    verdicts: list[Verdict]
    referred: list[str]


# -- candidates ---------------------------------------------------------------------------------------------------
def _base(tag: str) -> str:
    return tag.split("-")[0].split(" ")[0].upper()


def _programs_added(diff: list[dict[str, Any]] | None) -> list[str]:
    for d in diff or []:
        if d.get("field") == "programs":
            removed = {_base(t) for t in d.get("removed", [])}
            return [t for t in d.get("added", []) if _base(t) not in removed]
    return []


_CACHE: dict[tuple, tuple[list[Candidate], Any]] = {}  # the last store state read: candidates and name index


def _state_key(store: Store, source: str, snaps: list[Snapshot]) -> tuple:
    return (str(store.path.resolve()), source, len(snaps), max((s.id for s in snaps), default=0),
            max((s.imported_at for s in snaps), default=""))


def load_candidates(store: Store, source: str) -> list[Candidate]:
    """The candidate changes of `source`; kept for the next call while the store's versions of it are the same
    (a second announcement against the same store costs neither the reads nor the name index)."""
    snaps = store.snapshots(source)
    key = _state_key(store, source, snaps)
    if key in _CACHE:
        return _CACHE[key][0]
    out = _load_candidates(store, snaps)
    _CACHE.clear()
    _CACHE[key] = (out, None)
    return out


def _load_candidates(store: Store, snaps: list[Snapshot]) -> list[Candidate]:
    if len(snaps) > 1:
        first = min(snaps, key=lambda s: s.seq)
        snaps = [s for s in snaps if s.id != first.id]
    by_id = {s.id: s for s in snaps}
    rows: dict[int, list[dict[str, Any]]] = {}
    for r in store.changes(list(by_id)):
        if r["change"] in ("added", "relisted") or (r["change"] == "modified" and _programs_added(r["diff"])):
            rows.setdefault(r["snapshot_id"], []).append(r)
    out = []
    for sid, items in rows.items():
        snap = by_id[sid]
        view = View(store, [snap])
        entries = []
        for r in items:
            e = view.entity(r["entity_id"])
            if e is None:
                continue
            added = _programs_added(r["diff"]) if r["change"] == "modified" else []
            change = "program added" if r["change"] == "modified" else r["change"]
            entry = Entry(e, change, sid, added)
            entry.nationalities = _nationalities(e)
            entry.locations = _locations(e.addresses, e.countries)
            entries.append(entry)
        if entries:
            out.append(Candidate(snap, entries))
    out.sort(key=lambda c: c.snapshot.published)
    return out


def _nationalities(e: Entity) -> set[str]:
    values = list(e.nationalities) + list(e.citizenships)
    if e.kind == "person":
        values += [i.country for i in e.identifiers if i.country and "passport" in i.type.lower()]
    else:
        values += list(e.countries) + [i.country for i in e.identifiers if i.country]
        values += [a.country for a in e.addresses if a.country]
    return {c for c in (country_code(v) for v in values) if c}


def _locations(addresses: list[Address], countries: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for a in addresses:
        c = country_code(a.country) if a.country else None
        if c and c not in out:
            out[c] = a.text()
    for v in countries:
        c = country_code(v)
        if c and c not in out:
            out[c] = v
    return out


def fallback_addresses(store: Store, entry: Entry, published: str) -> None:
    """The captured version has no address: take the same entity's latest stored version that has one."""
    if entry.fallback_done or entry.locations:
        return
    entry.fallback_done = True
    best = None
    for v in store.entity_versions(entry.id):
        if v["entity"].addresses and (best is None or v["valid_from"] >= best["valid_from"]):
            best = v
    if best is None:
        return
    entry.locations = _locations(best["entity"].addresses, [])
    entry.address_note = (f"addresses from the version of {best['valid_from']} (snapshot "
                          f"{best['valid_from_snapshot']}); the {published} capture has none")


# -- named parties ------------------------------------------------------------------------------------------------
def screen_names(claims: list[Claim], candidates: list[Candidate]) -> dict[str, dict[str, tuple[float, str]]]:
    """claim id -> {entity id: (score, matched name)} over the entries of every candidate."""
    named = [c for c in claims if c.type == "named"]
    if not named:
        return {}
    screener = _index_for(candidates)
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for c in named:
        threshold = NAME_THRESHOLD if c.role == "legal-form" else KNOWN_NAME_THRESHOLD
        hits = {}
        for m in screener.screen(c.name or "", kind=c.kind, limit=25, threshold=threshold):
            hits[m.entity_id] = (m.score, m.matched_name)
        out[c.id] = hits
    return out


def _index_for(candidates: list[Candidate]):
    for key, (cands, screener) in _CACHE.items():
        if cands is candidates:
            if screener is None:
                screener = _screener(candidates)
                _CACHE[key] = (cands, screener)
            return screener
    return _screener(candidates)


def _screener(candidates: list[Candidate]):
    """The one place the reconciler touches the screening engine (swap it here)."""
    from sanctions.screen import Screener

    latest: dict[str, Entity] = {}
    for cand in candidates:
        for e in cand.entries:
            latest[e.id] = e.entity
    return Screener.from_entities(list(latest.values()))


# -- scoring ------------------------------------------------------------------------------------------------------
def _pub_date(snap: Snapshot) -> date:
    return datetime.fromisoformat(snap.published.replace("Z", "+00:00")).date()


def evaluate(
    store: Store, cand: Candidate, claims: list[Claim], hits: dict[str, dict[str, tuple[float, str]]],
    source: str, addresses: bool = True,
) -> Scored:
    verdicts: list[Verdict] = []
    referred: dict[str, None] = {}
    by_id = {c.id: c for c in claims}
    entries = cand.entries
    prior_counts: list[Claim] = []
    for c in claims:
        if c.type in ("count", "location"):
            v = _count(store, cand, c, prior_counts, by_id, addresses)
            prior_counts.append(c)
        elif c.type == "named":
            v = _named(cand, c, hits.get(c.id, {}))
        elif c.type == "date":
            v = _date(cand, c)
        elif c.type == "authority":
            v = _authority(c, source)
        else:
            continue
        if v.status == CONFIRMED and c.type != "date":
            for eid in v.entity_ids:
                referred.setdefault(eid, None)
        verdicts.append(v)
    pool = [e for e in entries if e.id in referred] or entries
    for c in claims:
        if c.type == "motive":
            verdicts.append(_motive(pool, c))
    verdicts.sort(key=lambda v: _claim_order(v.claim))
    score = sum(WEIGHTS.get(v.claim.type, 0.0) * v.value for v in verdicts)
    score += COVERAGE_WEIGHT * len([e for e in entries if e.id in referred]) / max(1, len(entries))
    return Scored(cand, round(score, 3), verdicts, list(referred))


def _claim_order(c: Claim) -> int:
    return int(c.id[1:]) if c.id[1:].isdigit() else 0


def _count(store: Store, cand: Candidate, c: Claim, prior: list[Claim], by_id: dict[str, Claim],
           addresses: bool) -> Verdict:
    kind, nat, loc, places = c.kind, c.nationality, c.location, set(c.places())
    if c.type == "location" and c.parent in by_id:
        p = by_id[c.parent]
        kind, nat = p.kind, p.nationality
    base = [e for e in cand.entries if (kind is None or e.entity.kind == kind)
            and (nat is None or nat in e.nationalities)]
    need = c.count or 1
    on_top = None
    if c.additional:
        for p in reversed(prior):
            if (p.kind, p.nationality, set(p.places())) == (kind, nat, places):
                on_top = p
                break
        if on_top is not None:
            need += on_top.count or 0
    what = _describe(kind, nat)
    fields = ["kind"] + (["nationalities"] if nat else [])
    if loc is None:
        ids = [e.id for e in base]
        natives = ", ".join(e.entity.native_id for e in base)
        if len(base) >= need:
            extra = f" (with the {on_top.count} of {on_top.id}: {need} needed)" if on_top else ""
            exact = "exactly " if len(base) == need else ""
            value = 0.6 + 0.4 * need / len(base)
            return Verdict(c, CONFIRMED, f"{exact}{_n(len(base), what)} in this change{extra}: {natives}",
                           ids, fields, value)
        return Verdict(c, CONTRADICTED, f"the change has {_n(len(base), what)}, the text says {need}"
                       + (f" ({c.count} on top of {on_top.id})" if on_top else "")
                       + (f": {natives}" if base else ""), ids, fields, -1.0 if not base else -0.5)
    if addresses:
        for e in base:
            fallback_addresses(store, e, cand.snapshot.published)
    located = [e for e in base if places & set(e.locations)]
    unknown = [e for e in base if not e.locations]
    fields.append("addresses")
    place = " or ".join(country_name(x) for x in c.places())
    listing = "; ".join(f"{e.entity.native_id}: " + "; ".join(e.locations[x] for x in sorted(places & set(e.locations)))
                        for e in located)
    notes = sorted({e.address_note for e in located if e.address_note})
    if notes:
        listing += " (" + "; ".join(notes) + ")"
    extra = f"; with the {on_top.count} of {on_top.id}: {need} needed" if on_top else ""
    if len(located) >= need:
        value = 0.6 + 0.4 * need / len(located)
        return Verdict(c, CONFIRMED, f"{_n(len(located), what)} with an address in {place}{extra}: {listing}",
                       [e.id for e in located], fields, value)
    if len(located) + len(unknown) >= need:
        return Verdict(c, NOT_VERIFIABLE, f"{_n(len(located), what)} with an address in {place}{extra}; "
                       f"{len(unknown)} without an address in any stored version: "
                       + ", ".join(e.entity.native_id for e in unknown), [e.id for e in located], fields, 0.2)
    return Verdict(c, CONTRADICTED, f"{_n(len(located), what)} with an address in {place}, the text says {need}"
                   + (f": {listing}" if located else ""), [e.id for e in located], fields,
                   -1.0 if not located else -0.5)


def _n(n: int, what: str) -> str:
    """'1 individual of X', '2 individuals of X'."""
    if n == 1:
        head, _, tail = what.partition(" ")
        head = {"individuals": "individual", "entities": "entity", "vessels": "vessel", "entries": "entry"}.get(
            head, head)
        what = f"{head} {tail}".strip()
    return f"{n} {what}"


def _describe(kind: str | None, nat: str | None) -> str:
    noun = {"person": "individuals", "organization": "entities", "vessel": "vessels", "aircraft": "aircraft"}.get(
        kind or "", "entries")
    return f"{noun} of {country_name(nat)}" if nat else noun


def _named(cand: Candidate, c: Claim, hits: dict[str, tuple[float, str]]) -> Verdict:
    found = [(hits[e.id][0], e) for e in cand.entries if e.id in hits]
    if found:
        score, e = max(found, key=lambda x: x[0])
        matched = hits[e.id][1]
        notes = [f"{e.entity.native_id} {e.entity.caption!r} matched as {matched!r} (score {score:.2f})"]
        fields = ["names"]
        if c.kind and e.entity.kind != c.kind:
            return Verdict(c, CONTRADICTED, notes[0] + f", but it is a {e.entity.kind}", [e.id], fields + ["kind"],
                           -0.5)
        if c.nationality:
            fields.append("country")
            if c.nationality in e.nationalities or c.nationality in e.locations:
                notes.append(f"{country_name(c.nationality)} in its identifiers/addresses")
            elif e.nationalities:
                return Verdict(c, CONTRADICTED, notes[0] + ", but its countries are "
                               + ", ".join(sorted(country_name(x) for x in e.nationalities)), [e.id], fields, -0.5)
        return Verdict(c, CONFIRMED, "; ".join(notes), [e.id], fields, 1.0)
    if hits:
        best = max(hits.items(), key=lambda kv: kv[1][0])
        return Verdict(c, NOT_VERIFIABLE, f"not in this change; the lists know {best[0]} ({best[1][1]!r}, score "
                       f"{best[1][0]:.2f}) from another change", [], ["names"], 0.0)
    return Verdict(c, NOT_VERIFIABLE, "no listed party of that name among the changes of this list", [], ["names"],
                   0.0)


def _motive(pool: list[Entry], c: Claim) -> Verdict:
    tags = [t.upper() for t in c.programs]
    ids, seen = [], set()
    for e in pool:
        progs = [p for p in e.entity.programs if any(p.upper().startswith(t) for t in tags)]
        if progs:
            ids.append(e.id)
            seen.update(progs)
    if ids:
        return Verdict(c, CONFIRMED, f"program {', '.join(sorted(seen))} on {len(ids)} of the entries referred to",
                       ids, ["programs"], 1.0)
    present = sorted({p for e in pool for p in e.entity.programs})
    return Verdict(c, CONTRADICTED, f"none of the entries carries {'/'.join(c.programs)}; programs: "
                   + ", ".join(present), [], ["programs"], -1.0)


def _date(cand: Candidate, c: Claim) -> Verdict:
    pub = _pub_date(cand.snapshot)
    when = f"the change was published {cand.snapshot.published}"
    if c.date:
        d = date.fromisoformat(c.date)
        delta = (pub - d).days
        if -1 <= delta <= 2:
            return Verdict(c, CONFIRMED, f"{when} ({'same day' if delta == 0 else f'{delta:+d} day(s)'})", [],
                           ["published"], 1.0)
        return Verdict(c, CONTRADICTED, f"{when}, {delta:+d} days from {c.date}", [], ["published"], -1.0)
    if c.month_day:
        for off in (0, -1, -2, 1):
            d = pub + timedelta(days=off)
            if (d.month, d.day) == c.month_day:
                return Verdict(c, CONFIRMED, f"{when} (month and day agree; no year in the text)", [],
                               ["published"], 0.5)
        return Verdict(c, CONTRADICTED, f"{when}; month and day differ", [], ["published"], -0.5)
    wd = WEEKDAY_NAMES[pub.weekday()]
    return Verdict(c, NOT_VERIFIABLE, f"no publication date given (--published) to resolve it; {when}, a {wd}",
                   [], ["published"], 0.0)


def _authority(c: Claim, source: str) -> Verdict:
    for key, label, _rx, srcs in vocab.AUTHORITY_PATTERNS:
        if key != c.authority:
            continue
        if key == "state" and source in srcs:
            return Verdict(c, NOT_VERIFIABLE, f"{source} carries State Department designations too, but does not "
                           "record which department designated an entry", [], ["source"], 0.0)
        if source in srcs:
            return Verdict(c, CONFIRMED, f"the change is a publication of {source}, which carries {label} "
                           "designations", [], ["source"], 1.0)
        return Verdict(c, NOT_VERIFIABLE, f"{label} designations are not published on {source}"
                       + (f" (see {', '.join(srcs)})" if srcs else ""), [], ["source"], 0.0)
    return Verdict(c, NOT_VERIFIABLE, "unknown authority", [], [], 0.0)


def rank(store: Store, candidates: list[Candidate], claims: list[Claim], source: str,
         hits: dict[str, dict[str, tuple[float, str]]]) -> list[Scored]:
    """All candidates scored without address look-ups (cheap), then the best ones again with them."""
    quick = sorted((evaluate(store, c, claims, hits, source, addresses=False) for c in candidates),
                   key=lambda s: -s.score)
    top = [evaluate(store, s.candidate, claims, hits, source, addresses=True) for s in quick[:TOP]]
    return sorted(top, key=lambda s: -s.score) + quick[TOP:]
