"""UK HM Treasury / OFSI Consolidated List (ConList.csv) -> entities.

The ConList has one row per *name variant*: a designation (Group ID) is spread over several rows that repeat
or vary the other columns (DOB, address, ...). Rows are grouped by Group ID into one entity, id
"gb-hmt:<Group ID>", with the union of the rows' values (deduplicated). The file is Windows-1252 (curly quotes
are 0x91-0x94) unless it decodes as UTF-8; line 1 is a "Last Updated,dd/mm/yyyy" preamble, line 2 the header.

Columns are looked up by header name, so both the 2018 layout (29 columns, "Prime Alias") and OFSI's 2022
layout (extra "Name Non-Latin Script", "Passport Number", "Alias Quality", ... columns, "Primary name") parse.
Passport / national-ID cells are free text; each enumerated item becomes an Identifier whose number is the
first document-number-like token and whose note is the item text; a cell without any such token is kept
in remarks ("Passport Details: Uganda Passport.") rather than as an Identifier without a number.
Entities whose Other Information carries an IMO number and whose name has no legal form are vessels
(the 2018 file lists ships as "Entity"); Group Type "Ship" is a vessel too.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date

from rigour.names import extract_org_types

from sanctions.model import (
    AKA,
    DAY,
    FKA,
    MONTH,
    ORGANIZATION,
    PERSON,
    PRIMARY,
    STRONG,
    VESSEL,
    WEAK,
    YEAR,
    Address,
    Entity,
    Identifier,
    Name,
    PartialDate,
    SourceError,
    entity_id,
)
from sanctions.sources import ParseResult, SourceFile
from sanctions.sources.un_xml import clean, detect_script, document_number

ROLE = "conlist.csv"
AUTHORITY = "UK HM Treasury OFSI"
NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
PART_KEYS = ("first", "second", "third", "fourth", "fifth", "last")
REQUIRED = (*NAME_COLUMNS, "Group Type", "Group ID")
KINDS = {"individual": PERSON, "entity": ORGANIZATION, "ship": VESSEL}


# -- free-text helpers -------------------------------------------------------------------------------------------
_ENUM = re.compile(r"\(\s*(?:\d{1,2}|[a-z])\s*\)|(?<![\w(])(?:\d{1,2}|[a-h])\)")  # "(1)", "(b)", "1)", "a)"
_IMO = re.compile(r"\bIMO(?:\s+number)?\s*:?\s*(\d{7})\b", re.I)
_MMSI = re.compile(r"\bMMSI\s*:?\s*(\d{9})\b", re.I)


def split_enumeration(text: str) -> list[str]:
    """'1) Saudi Arabia 2) Qatar' / '(1) German (2) Moroccan' / '(a) x (b) y' -> items; plain text -> [text]."""
    items = [clean(p).strip(" ,;.") for p in _ENUM.split(text)]
    return [i for i in items if i]


def _country_after(rest: str) -> str | None:
    """'(German) issued by ...' -> 'German'; qualifiers such as '(MISUSE)' or '(issued on ...)' are not countries."""
    m = re.match(r"\s*\(([^()]+)\)", rest)
    if not m:
        return None
    words = m.group(1).strip()
    if any(c.isdigit() for c in words) or "," in words or words.isupper() or len(words.split()) > 3:
        return None
    if not words[:1].isupper() or re.search(r"\b(issued|expire|valid|passport|number|no)\b", words, re.I):
        return None
    return words


def identifiers_from_text(text: str, doc_type: str) -> list[Identifier]:
    """Free-text passport / ID cell -> one Identifier per enumerated item that has a number-like token.

    The item text is the note. Returns [] when nothing looks like a number (the caller keeps the text).
    """
    out: list[Identifier] = []
    items = split_enumeration(text)
    lead = ""  # "Jordanian passport numbers (1) K048787 (2) 486298": the lead-in applies to every item
    for i, item in enumerate(items):
        found = document_number(item)
        if found:
            number, end = found
            out.append(Identifier(doc_type, number, _country_after(item[end:]), f"{lead}{item}"))
        elif i == 0 and len(items) > 1:
            lead = f"{item}: "
    return out


def uk_date(text: str) -> PartialDate | None:
    """'dd/mm/yyyy' with 00 placeholders: '00/00/1980' -> year precision, '00/05/1980' -> month precision."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if m:
        d, mo, y = (int(g) for g in m.groups())
    elif re.fullmatch(r"\d{4}", text.strip()):
        d, mo, y = 0, 0, int(text.strip())
    else:
        return None
    if not 1000 <= y <= 2100:
        return None
    try:
        if mo == 0:
            return PartialDate(f"{y:04d}", YEAR)
        if d == 0:
            date(y, mo, 1)
            return PartialDate(f"{y:04d}-{mo:02d}", MONTH)
        return PartialDate(date(y, mo, d).isoformat(), DAY)
    except ValueError:
        return None


def _decode(f: SourceFile) -> str:
    try:
        return f.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return f.data.decode("cp1252")
    except UnicodeDecodeError as e:
        line = f.data.count(b"\n", 0, e.start) + 1
        raise SourceError(f"neither UTF-8 nor Windows-1252 (byte 0x{f.data[e.start]:02x})", f.name,
                          f"line {line}") from None


def _add(items: list, item) -> None:
    if item and item not in items:
        items.append(item)


# -- parsing -----------------------------------------------------------------------------------------------------
def parse(files: dict[str, SourceFile], source: str) -> ParseResult:
    if ROLE not in files:
        raise SourceError(f"{source} needs {ROLE}")
    f = files[ROLE]
    text = _decode(f)
    if not text.strip():
        raise SourceError("empty file (no header row)", f.name, "line 1")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as e:
        raise SourceError(f"malformed CSV: {e}", f.name, f"line {reader.line_num}") from None

    published = None
    pos = 0
    if rows and rows[0][1] and rows[0][1][0].strip().lower() == "last updated":
        pd = uk_date(rows[0][1][1]) if len(rows[0][1]) > 1 else None
        published = pd.value if pd and pd.precision == DAY else None
        pos = 1
    if pos >= len(rows):
        raise SourceError("no header row after the preamble", f.name, f"line {pos + 1}")
    header_line, header = rows[pos]
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"header lacks column(s) {', '.join(missing)}", f.name, f"line {header_line}")
    col = {h: i for i, h in reversed(list(enumerate(header))) if h}  # first occurrence wins

    stats: Counter = Counter()
    warnings: list[str] = []
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows[pos + 1 :]:
        if not row or not any(c.strip() for c in row):
            continue  # blank line
        if len(row) != len(header):
            raise SourceError(f"expected {len(header)} columns, got {len(row)}", f.name, f"line {line}")
        rec = {h: row[i] for h, i in col.items()}
        stats["rows"] += 1
        gid = rec["Group ID"].strip()
        if not gid:
            stats["rows_without_group_id"] += 1
            warnings.append(f"line {line}: row without Group ID skipped")
            continue
        groups.setdefault(gid, []).append((line, rec))

    entities = [_entity(gid, recs, source, stats, warnings) for gid, recs in groups.items()]
    stats["entities"] = len(entities)
    for e in entities:
        stats[e.kind] += 1
    return ParseResult(entities=entities, published=published, stats=dict(stats), warnings=warnings)


def _name(rec: dict[str, str]) -> tuple[str, dict[str, str]]:
    parts = {k: clean(rec.get(c)) for k, c in zip(PART_KEYS, NAME_COLUMNS, strict=True)}
    parts = {k: v for k, v in parts.items() if v}
    return " ".join(parts.values()), parts


def _entity(gid: str, recs: list[tuple[int, dict[str, str]]], source: str, stats: Counter,
            warnings: list[str]) -> Entity:
    g = lambda rec, column: clean(rec.get(column))  # noqa: E731 - optional columns read as ""
    group_types = [g(r, "Group Type").lower() for _, r in recs]
    kind = KINDS.get(group_types[0])
    if kind is None:
        warnings.append(f"Group ID {gid}: unknown Group Type {group_types[0]!r}, read as organization")
        kind = ORGANIZATION
    if len(set(group_types)) > 1:
        warnings.append(f"Group ID {gid}: mixed Group Types {sorted(set(group_types))}")
    ent = Entity(id=entity_id(source, gid), source=source, native_id=gid, kind=kind, authority=AUTHORITY)

    # Names: the first primary ("Prime Alias" / "Primary name") row, else the first row, then the variants.
    named = []
    for _, rec in recs:
        text, parts = _name(rec)
        if not text:
            continue
        alias = g(rec, "Alias Type").lower()
        if alias.startswith("prim") and "variation" not in alias:
            name_kind = PRIMARY
        elif alias == "fka":
            name_kind = FKA
        else:
            name_kind = AKA
        strength = WEAK if g(rec, "Alias Quality").lower() == "low" else STRONG
        if title := g(rec, "Title"):
            parts["title"] = title
        named.append(Name(text, name_kind, strength, detect_script(text), parts if kind == PERSON else {}))
        if non_latin := g(rec, "Name Non-Latin Script"):
            named.append(Name(non_latin, AKA, STRONG, detect_script(non_latin)))
    primary = next((n for n in named if n.kind == PRIMARY), named[0] if named else None)
    if primary is None:
        warnings.append(f"Group ID {gid}: no name in any row")
    else:
        primary.kind = PRIMARY
        ent.names.append(primary)
        for n in named:
            if n is primary:
                continue
            if n.kind == PRIMARY:
                n.kind = AKA  # a second, different primary spelling
            if not any(x.text == n.text for x in ent.names):
                ent.names.append(n)

    regimes, listed, titles = [], [], []
    for line, rec in recs:
        if dob := g(rec, "DOB"):
            pd = uk_date(dob)
            if pd is None:
                stats["bad_dates"] += 1
                warnings.append(f"line {line}: DOB {dob!r} not understood")
                _add(ent.remarks, f"DOB: {dob}")
            else:
                _add(ent.birth_dates, pd)
        _add(ent.birth_places, ", ".join(p for p in (g(rec, "Town of Birth"), g(rec, "Country of Birth")) if p))
        for nat in split_enumeration(g(rec, "Nationality")):
            _add(ent.nationalities, nat)
        for number_col, details_col, doc_type in (
            ("Passport Number", "Passport Details", "Passport"),
            ("National Identification Number", "National Identification Details", "National ID"),
            (None, "NI Number", "National ID"),
        ):
            number = g(rec, number_col) if number_col else ""
            details = g(rec, details_col)
            if number:  # 2022 layout: number and details in separate columns
                _add(ent.identifiers, Identifier(doc_type, number, None, details or None))
            elif details:
                found = identifiers_from_text(details, doc_type)
                for ident in found:
                    _add(ent.identifiers, ident)
                if not found:
                    _add(ent.remarks, f"{details_col}: {details}")
        _add(titles, g(rec, "Position"))
        lines = [g(rec, f"Address {i}") for i in range(1, 7)]
        addr = Address(
            street=", ".join(p for p in lines[:5] if p) or None,
            city=lines[5] or None,
            postal_code=g(rec, "Post/Zip Code") or None,
            country=g(rec, "Country") or None,
        )
        if any(vars(addr).values()):
            _add(ent.addresses, addr)
        _add(regimes, g(rec, "Regime"))
        if listed_on := g(rec, "Listed On"):
            pd = uk_date(listed_on)
            if pd and pd.precision == DAY:
                listed.append(pd.value)
            else:
                stats["bad_dates"] += 1
                warnings.append(f"line {line}: Listed On {listed_on!r} not understood")
        _add(ent.remarks, g(rec, "Other Information"))

    ent.programs = regimes
    ent.listed_on = min(listed) if listed else None
    ent.title = "; ".join(titles) or None
    if ent.kind in (ORGANIZATION, VESSEL):
        _vessel(ent, stats)
    # raw: every row as published, empty cells dropped (rows are kept in file order, without line numbers).
    ent.raw = {"rows": [{k: v for k, v in rec.items() if v.strip()} for _, rec in recs]}
    return ent


def _vessel(ent: Entity, stats: Counter) -> None:
    """Fill vessel particulars; turn an 'Entity' into a vessel when it has an IMO number and no legal form."""
    info = " ".join(ent.remarks)
    imo = _IMO.search(info)
    if not imo:
        return
    if ent.kind == ORGANIZATION:
        caption = ent.caption
        if extract_org_types(caption.casefold()) or re.search(r"\b(COMPANY|CORPORATION|SHIPPING)\b", caption, re.I):
            return  # a ship owner / manager company: its IMO number is a company number
        ent.kind = VESSEL
        stats["vessels_from_imo"] += 1
    ent.vessel["imo"] = imo.group(1)
    ent.identifiers.append(Identifier("IMO", imo.group(1)))
    if mmsi := _MMSI.search(info):
        ent.vessel["mmsi"] = mmsi.group(1)
        ent.identifiers.append(Identifier("MMSI", mmsi.group(1)))
