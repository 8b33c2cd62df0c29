"""US Commerce BIS Denied Persons List (dpl.txt) -> entities.

The DPL is a tab-delimited file with one row per (party, address, order): it has no record id, and a party with
several addresses or orders appears on several rows. Rows are therefore grouped by the normalised name (strip,
collapse whitespace, upper case) into one entity, whose native id is the first 12 hex digits of the SHA-1 of
that normalised name: stable across versions as long as BIS spells the name the same way, and independent of
row order. Exact duplicate rows (the file has a few) are dropped and counted in `stats["duplicate_rows"]`.

The list does not say whether a party is a person or a company. `guess_kind()` calls a name an organization
when it carries a legal form (rigour's org-type table: LLC, LTD, GMBH, S.A., ...; roman numerals such as "II"
are ignored because they are generational suffixes here) or a business word (CORPORATION, AIRLINES, TRADING,
ELECTRONICS, ...); everything else is a person. It is conservative: a bare brand ("EMTRASUR") stays a person.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from datetime import date
from typing import Any

from rigour.names import extract_org_types

from sanctions.model import (
    AKA,
    ORGANIZATION,
    PERSON,
    PRIMARY,
    STRONG,
    Address,
    Entity,
    Name,
    SourceError,
    entity_id,
)
from sanctions.sources import ParseResult, SourceFile

ROLE = "dpl.txt"
AUTHORITY = "US Commerce BIS"
PROGRAM = "DPL"
HEADER = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
# Dates outside this window are typos ("3033-09-30", "0222-05-18"); orders can run decades ahead (2056).
PLAUSIBLE_YEARS = range(1900, 2101)

_ORG_WORDS = {
    "AIR", "AIRLINES", "AIRWAYS", "ASSOCIATES", "AVIATION", "BANK", "COMPANY", "CO", "COMPUTERS", "CONTRACTING",
    "CORP", "CORPORATION", "ELECTRONIC", "ELECTRONICS", "ENGINEERING", "ENTERPRISE", "ENTERPRISES", "EQUIPMENT",
    "EXPORT", "FZC", "FZCO", "FZE", "GROUP", "HOLDING", "HOLDINGS", "INDUSTRIAL", "INDUSTRIES", "INTERNACIONAL",
    "INTERNATIONAL", "INVEST", "LOGISTICS", "MANAGEMENT", "MANUFACTURING", "METALS", "PRODUCTS", "RESULTS",
    "SERVICE", "SERVICES", "SHIPPING", "SOLUTIONS", "SUPPLY", "SYSTEMS", "TECHNIK", "TECHNOLOGIES", "TECHNOLOGY",
    "TRADE", "TRADING", "VERTRIEBS",
}  # fmt: skip
_ORG_PATTERN = re.compile(r"\.(NET|COM|ORG)\b|\b(ELECTRO|TECH)\w*|\w+TRONICS?\b", re.I)
_NOT_ORG_TYPES = {"i", "ii", "iii", "iv", "v", "jr", "sr"}
_WS = re.compile(r"\s+")
_ALIAS_SPLIT = re.compile(r"\s+(?:A/K/A|D/B/A)\s+", re.I)


def normalise_name(name: str) -> str:
    """The grouping key: whitespace collapsed, stripped, upper case."""
    return _WS.sub(" ", name).strip().upper()


def native_id(name: str) -> str:
    """Stable short id of a DPL party: first 12 hex digits of SHA-1 over the normalised name (UTF-8)."""
    return hashlib.sha1(normalise_name(name).encode("utf-8")).hexdigest()[:12]


def guess_kind(name: str) -> str:
    """'organization' when the name carries a legal form or a business word, else 'person' (see module doc)."""
    forms = [m for m, _ in extract_org_types(name.casefold()) if m.strip(" .,").lower() not in _NOT_ORG_TYPES]
    if forms:
        return ORGANIZATION
    tokens = set(re.findall(r"[A-Z0-9&]+", name.upper().replace(".", "")))
    if tokens & _ORG_WORDS or _ORG_PATTERN.search(name):
        return ORGANIZATION
    return PERSON


def _date(text: str, fmt: str) -> str | None:
    """mm/dd/yyyy ('us') or yyyy-mm-dd ('iso') -> ISO date, None when empty, impossible or implausible."""
    text = text.strip()
    m = (re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text) if fmt == "us"
         else re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text))
    if not m:
        return None
    if fmt == "us":
        month, day, year = (int(g) for g in m.groups())
    else:
        year, month, day = (int(g) for g in m.groups())
    if year not in PLAUSIBLE_YEARS:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _decode(f: SourceFile) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return f.data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError("neither UTF-8 nor Windows-1252 text", f.name)


def _read_rows(f: SourceFile) -> list[tuple[int, list[str]]]:
    text = _decode(f)
    if not text.strip():
        raise SourceError("empty file (no header row)", f.name, "line 1")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as e:
        raise SourceError(f"malformed tab-delimited text: {e}", f.name, f"line {reader.line_num}") from None
    return rows


def parse(files: dict[str, SourceFile], source: str) -> ParseResult:
    if ROLE not in files:
        raise SourceError(f"{source} needs {ROLE}")
    f = files[ROLE]
    rows = _read_rows(f)
    header_line, header = rows[0]
    if tuple(h.strip().lower() for h in header) != tuple(h.lower() for h in HEADER):
        raise SourceError(
            f"expected header {', '.join(HEADER)}; got {', '.join(header)[:200]}", f.name, f"line {header_line}"
        )

    stats: Counter = Counter()
    warnings: list[str] = []
    seen_rows: set[tuple[str, ...]] = set()
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows[1:]:
        if not row or row == [""]:
            continue  # blank line
        if len(row) != len(HEADER):
            raise SourceError(f"expected {len(HEADER)} columns, got {len(row)}", f.name, f"line {line}")
        stats["rows"] += 1
        key_row = tuple(row)
        if key_row in seen_rows:
            stats["duplicate_rows"] += 1
            continue
        seen_rows.add(key_row)
        rec = dict(zip(HEADER, row, strict=True))
        key = normalise_name(rec["Name"])
        if not key:
            stats["rows_without_name"] += 1
            warnings.append(f"line {line}: row without a name skipped")
            continue
        groups.setdefault(key, []).append((line, rec))

    updates: list[str] = []
    entities = [_entity(key, recs, source, stats, warnings, updates) for key, recs in groups.items()]
    ids = Counter(e.native_id for e in entities)
    if clash := [i for i, n in ids.items() if n > 1]:  # 48-bit ids: practically impossible, but never silent
        raise SourceError(f"native id collision: {', '.join(clash)}", f.name)
    stats["entities"] = len(entities)
    stats["organizations"] = sum(e.kind == ORGANIZATION for e in entities)
    if updates:
        stats["latest_update"] = max(updates)  # newest plausible Last_Update: when BIS last touched the list
    return ParseResult(entities=entities, published=None, stats=dict(stats), warnings=warnings)


def _entity(key: str, recs: list[tuple[int, dict[str, str]]], source: str, stats: Counter,
            warnings: list[str], updates: list[str]) -> Entity:
    nid = native_id(key)
    display = _WS.sub(" ", recs[0][1]["Name"]).strip()
    ent = Entity(id=entity_id(source, nid), source=source, native_id=nid, kind=guess_kind(display))
    ent.authority = AUTHORITY
    ent.programs = [PROGRAM]

    parts = _ALIAS_SPLIT.split(display)  # "FUYI SUN A/K/A FRANK SUN", "SIBERIAN AIRLINES D/B/A S7 AIRLINES"
    ent.names.append(Name(parts[0], PRIMARY, STRONG))
    for alias in parts[1:]:
        if alias and alias != parts[0]:
            ent.names.append(Name(alias, AKA, STRONG))

    effective: list[str] = []
    raw_rows: list[dict[str, Any]] = []
    for line, rec in recs:
        addr = Address(
            street=rec["Street_Address"].strip() or None,
            city=rec["City"].strip() or None,
            region=rec["State"].strip() or None,
            postal_code=rec["Postal_Code"].strip() or None,
            country=rec["Country"].strip() or None,
        )
        if any(vars(addr).values()) and addr not in ent.addresses:
            ent.addresses.append(addr)

        eff = _date(rec["Effective_Date"], "us")
        exp = _date(rec["Expiration_Date"], "us")
        upd = _date(rec["Last_Update"], "iso")
        for column, value, parsed in (
            ("Effective_Date", rec["Effective_Date"], eff),
            ("Expiration_Date", rec["Expiration_Date"], exp),
            ("Last_Update", rec["Last_Update"], upd),
        ):
            if value.strip() and parsed is None:
                stats["bad_dates"] += 1
                warnings.append(f"line {line}: {column} {value.strip()!r} is not a plausible date; kept in raw only")
        if eff:
            effective.append(eff)
        if upd:
            updates.append(upd)

        note = [f"Denial order effective {eff or rec['Effective_Date'].strip() or 'unknown'}"]
        if exp or rec["Expiration_Date"].strip():
            note.append(f"expires {exp or rec['Expiration_Date'].strip()}")
        if order := rec["Standard_Order"].strip():
            note.append(f"standard order: {order.upper()}")
        if citation := _WS.sub(" ", rec["FR_Citation"]).strip():
            note.append(citation)
        text = "; ".join(note)
        if text not in ent.sanctions_notes:
            ent.sanctions_notes.append(text)
        raw_rows.append(rec)  # no line numbers: they shift when other rows change and would churn the hash

    ent.listed_on = min(effective) if effective else None
    ent.raw = {"rows": raw_rows}
    return ent
