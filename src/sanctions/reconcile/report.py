"""A reconciliation as JSON (`as_dict`) and as a report a person reads (`render`)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from sanctions.reconcile.explain import CONFIRMED, CONTRADICTED, Entry, Scored

if TYPE_CHECKING:
    from sanctions.reconcile import Reconciliation

MARK = {CONFIRMED: "confirmed", CONTRADICTED: "CONTRADICTED", "not verifiable": "not verifiable"}


def _entry(e: Entry) -> dict[str, Any]:
    ent = e.entity
    d: dict[str, Any] = {
        "entity_id": ent.id,
        "native_id": ent.native_id,
        "caption": ent.caption,
        "kind": ent.kind,
        "change": e.change,
        "programs": ent.programs,
        "nationalities": ent.nationalities + [c for c in ent.citizenships if c not in ent.nationalities],
        "address_countries": sorted(e.locations),
    }
    if e.programs_added:
        d["programs_added"] = e.programs_added
    if e.address_note:
        d["address_note"] = e.address_note
    return d


def as_dict(r: Reconciliation) -> dict[str, Any]:
    best = r.best
    out: dict[str, Any] = {"source": r.source, "published": r.published, "candidates": r.candidates}
    if best is None:
        out.update(change=None, claims=[c.to_dict() | {"summary": c.summary(), "status": "not verifiable"}
                                        for c in r.claims], entries=[], other_entries=[])
    else:
        snap = best.candidate.snapshot
        referred = set(best.referred)
        entries = best.candidate.entries
        out["change"] = {
            "snapshot_id": snap.id,
            "source": snap.source,
            "published": snap.published,
            "score": best.score,
            "entries": len(entries),
            "added": sum(e.change == "added" for e in entries),
            "relisted": sum(e.change == "relisted" for e in entries),
            "program_added": sum(e.change == "program added" for e in entries),
        }
        out["claims"] = [v.to_dict() for v in best.verdicts]
        out["entries"] = [_entry(e) for e in entries if e.id in referred]
        out["other_entries"] = [_entry(e) for e in entries if e.id not in referred]
        out["alternatives"] = [_alt(s) for s in r.ranked[1:6]]
    out["context_dates"] = [c.to_dict() for c in r.context_dates]
    return out


def _alt(s: Scored) -> dict[str, Any]:
    snap = s.candidate.snapshot
    return {"snapshot_id": snap.id, "published": snap.published, "score": s.score, "entries": len(s.candidate.entries)}


def render(r: Reconciliation, width: int = 120) -> str:
    best = r.best
    lines: list[str] = []
    pub = f", published {r.published}" if r.published else ", no publication date given"
    lines.append(f"Announcement: {len(r.claims)} claims{pub}; {r.candidates} changes of {r.source} considered")
    if best is None:
        lines.append("No stored change of this list adds or re-designates anyone: nothing to compare with.")
        return "\n".join(lines)
    snap = best.candidate.snapshot
    entries = best.candidate.entries
    kinds = ", ".join(f"{n} {k}" for k, n in _counts(entries).items())
    lines += ["", f"Picked change: {snap.source} version published {snap.published} (snapshot {snap.id}): {kinds}; "
              f"score {best.score:.1f}"]
    if len(r.ranked) > 1:
        runner = r.ranked[1]
        lines.append(f"  next best: snapshot {runner.candidate.snapshot.id} published "
                     f"{runner.candidate.snapshot.published}, score {runner.score:.1f}")
    lines += ["", "Claims"]
    cw = 46
    lines.append(f"  {'id':4} {'claim':{cw}} {'status':15} evidence")
    lines.append("  " + "-" * (width - 2))
    ev_width = max(30, width - cw - 24)
    for v in best.verdicts:
        indent = "  " if v.claim.type == "location" else ""
        summary = textwrap.wrap(indent + v.claim.summary(), cw, subsequent_indent=indent) or [""]
        evidence = textwrap.wrap(v.evidence, ev_width) or [""]
        for i in range(max(len(summary), len(evidence))):
            left = f"  {v.claim.id if i == 0 else '':4} {summary[i] if i < len(summary) else '':{cw}} "
            status = MARK.get(v.status, v.status) if i == 0 else ""
            lines.append(f"{left}{status:15} {evidence[i] if i < len(evidence) else ''}".rstrip())
    referred = set(best.referred)
    lines += ["", f"Entries of this change the text refers to ({len(referred)} of {len(entries)})"]
    for e in entries:
        if e.id in referred:
            lines.append("  " + _entry_line(e))
    others = [e for e in entries if e.id not in referred]
    if others:
        lines += ["", f"Other entries of this change ({len(others)})"]
        lines += ["  " + _entry_line(e) for e in others[:30]]
        if len(others) > 30:
            lines.append(f"  ... and {len(others) - 30} more")
    if r.context_dates:
        lines += ["", "Other dates in the text (not about the designation)"]
        for c in {(c.date_text, c.date): c for c in r.context_dates}.values():
            lines.append(f"  {c.date_text}: {c.date or 'not resolved (no --published)'}")
    return "\n".join(lines)


def _counts(entries: list[Entry]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in entries:
        out[e.change] = out.get(e.change, 0) + 1
    return out


def _entry_line(e: Entry) -> str:
    ent = e.entity
    places = ", ".join(sorted(e.locations.values()))
    nat = ", ".join(ent.nationalities)
    bits = [f"{ent.id:22} {ent.caption}", f"[{', '.join(ent.programs)}]", ent.kind]
    if nat:
        bits.append(f"nationality {nat}")
    if places:
        bits.append(f"address {places}" + (" (later version)" if e.address_note else ""))
    if e.change != "added":
        bits.append(e.change + (f" {', '.join(e.programs_added)}" if e.programs_added else ""))
    return "  ".join(bits)
