"""OFAC legacy CSV sets (SDN and consolidated non-SDN lists) -> `Entity` objects.

A published version is one primary file (sdn.csv / cons_prim.csv, 12 columns) plus optional auxiliary files
keyed on ent_num: addresses (add.csv), aliases (alt.csv) and the Remarks overflow (*_comments.csv). The
files have no header, CRLF line ends, a trailing Ctrl-Z (0x1A) byte, `-0- ` (with a trailing space) as the
null token, and never an embedded newline. Mirrors often pair aux files with a primary file of another
date, so aux rows whose ent_num is absent from the primary are counted and reported, never invented into
entities.

Besides `parse()` this module exposes cheap per-record entry points for the history importer, which has
hundreds of 15k-row captures of sdn.csv and only needs to parse the rows that changed:

* `split_records(data, name)` - split a primary file into (line, ent_num, raw line bytes) without CSV
  parsing; comparing the raw bytes of two captures finds the changed rows.
* `parse_primary_record(line, source, ...)` - parse one raw line into an `Entity`.
* `parse_sdn_rows(data, source, name)` - parse a whole primary file with no aux files.

All are pure functions of bytes and raise `SourceError` (file + line) on malformed input.
"""

from __future__ import annotations

import csv
import gc
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sanctions.model import (
    AIRCRAFT,
    AKA,
    FKA,
    NKA,
    ORGANIZATION,
    PERSON,
    PRIMARY,
    STRONG,
    VESSEL,
    Address,
    Entity,
    Name,
    SourceError,
    entity_id,
)
from sanctions.sources import ParseResult, SourceFile
from sanctions.sources.ofac_remarks import RemarkStats, apply_remarks

AUTHORITY = "US Treasury OFAC"

PRIMARY_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ADD_COLUMNS = ("ent_num", "add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
COMMENTS_COLUMNS = ("ent_num", "Remarks_Extended")

# Role names (lower-case publisher file names) per part of a set, SDN first then consolidated.
PRIMARY_ROLES = ("sdn.csv", "cons_prim.csv")
ADD_ROLES = ("add.csv", "cons_add.csv")
ALT_ROLES = ("alt.csv", "cons_alt.csv")
COMMENTS_ROLES = ("sdn_comments.csv", "cons_comments.csv")

# OFAC cuts Remarks at this many characters and continues them in *_comments.csv.
REMARKS_CUT = 1000

_KINDS = {"individual": PERSON, "vessel": VESSEL, "aircraft": AIRCRAFT, "entity": ORGANIZATION}
_ALT_KINDS = {"aka": AKA, "fka": FKA, "nka": NKA}
_NULL = "-0-"


# -- low level --------------------------------------------------------------------------------------------------


def _body(data: bytes, name: str, *, allow_empty: bool = False) -> bytes:
    """Check the envelope of an OFAC CSV file and return its bytes without the trailing Ctrl-Z."""
    if not data:
        raise SourceError("empty file", file=name)
    if data.endswith(b"\x1a"):
        data = data[:-1]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:512].lstrip()
    if not head:
        if allow_empty:
            return b""
        raise SourceError("file holds no records", file=name)
    if head.startswith(b"<"):
        raise SourceError("not an OFAC CSV file (looks like XML/HTML)", file=name, position="line 1")
    if head.startswith(b"{") or head.startswith(b"["):
        raise SourceError("not an OFAC CSV file (looks like JSON)", file=name, position="line 1")
    return data


def _decode(data: bytes, name: str, first_line: int = 1) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        bad = data[exc.start]
        raise SourceError(
            f"undecodable byte 0x{bad:02x} at byte offset {exc.start} (OFAC CSV files are ASCII)",
            file=name,
            position=f"line {line}",
        ) from None


def _read_rows(
    text: str, name: str, columns: tuple[str, ...], first_line: int = 1
) -> list[tuple[int, list[str]]]:
    """CSV-parse `text` into (line number, fields) with exactly len(columns) fields per record."""
    lines = text.split("\n")
    # OFAC records never span lines, so an odd number of quotes on a line is a cut (truncated) record.
    for i, ln in enumerate(lines):
        if ln.count('"') % 2:
            raise SourceError(
                "unterminated quoted field (truncated record?)", file=name, position=f"line {first_line + i}"
            )
    reader = csv.reader(lines, strict=True)
    out: list[tuple[int, list[str]]] = []
    ncols = len(columns)
    consumed = 0
    try:
        for fields in reader:
            line = first_line + consumed
            spanned = reader.line_num - consumed
            consumed = reader.line_num
            if spanned != 1:
                raise SourceError(
                    "unterminated quoted field (truncated record?)", file=name, position=f"line {line}"
                )
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) != ncols:
                raise SourceError(
                    f"expected {ncols} columns ({columns[0]}, ...), found {len(fields)}",
                    file=name,
                    position=f"line {line}",
                )
            out.append((line, fields))
    except csv.Error as exc:
        line = first_line + max(reader.line_num - 1, 0)
        reason = str(exc)
        if "unexpected end of data" in reason or "EOF" in reason:
            reason = "unterminated quoted field (truncated record?)"
            line = first_line + consumed
        raise SourceError(f"malformed CSV: {reason}", file=name, position=f"line {line}") from None
    return out


def _val(s: str) -> str | None:
    s = s.strip()
    return None if not s or s == _NULL else s


def _vals(fields: list[str]) -> list[str | None]:
    """Trim every field; OFAC's null token and empty strings become None."""
    return [None if (v := f.strip()) == _NULL or not v else v for f in fields]


def _ent_num(s: str, name: str, line: int) -> str:
    v = s.strip()
    if not (v.isascii() and v.isdigit()):
        raise SourceError(f"non-numeric ent_num {v[:40]!r}", file=name, position=f"line {line}")
    return str(int(v))


def _raw(columns: tuple[str, ...], vals: list[str | None]) -> dict[str, str]:
    """The record as read (trimmed), nulls left out: strings only, JSON-serialisable."""
    return {c: v for c, v in zip(columns, vals, strict=True) if v is not None}


def _rows_of(
    data: bytes, name: str, columns: tuple[str, ...], *, allow_empty: bool
) -> list[tuple[int, list[str]]]:
    body = _body(data, name, allow_empty=allow_empty)
    if not body:
        return []
    return _read_rows(_decode(body, name), name, columns)


def _name_parts(text: str, kind: str) -> dict[str, str]:
    if kind != PERSON or ", " not in text:
        return {}
    last, first = text.split(", ", 1)
    return {"last": last.strip(), "first": first.strip()} if last.strip() and first.strip() else {}


def _programs(value: str | None) -> list[str]:
    if not value:
        return []
    out: list[str] = []
    for p in value.split("] ["):
        p = p.strip().strip("[]").strip()
        if p and p not in out:
            out.append(p)
    return out


# -- entity building --------------------------------------------------------------------------------------------


def build_entity(
    source: str,
    fields: list[str],
    name: str = "sdn.csv",
    line: int = 1,
    adds: Iterable[list[str]] = (),
    alts: Iterable[list[str]] = (),
    comments: Iterable[list[str]] = (),
    stats: RemarkStats | None = None,
    warnings: list[str] | None = None,
) -> Entity:
    """Build one entity from a primary record (12 fields as read) and its aux rows (fields as read)."""
    ent = _ent_num(fields[0], name, line)
    v = _vals(fields)
    raw: dict[str, Any] = _raw(PRIMARY_COLUMNS, v)
    sdn_type = v[2]
    kind = _KINDS.get(sdn_type.lower()) if sdn_type else ORGANIZATION
    if kind is None:
        raise SourceError(f"unknown SDN_Type {sdn_type[:40]!r}", file=name, position=f"line {line}")
    caption = v[1]
    if caption is None:
        raise SourceError("empty SDN_Name", file=name, position=f"line {line}")
    e = Entity(
        id=entity_id(source, ent),
        source=source,
        native_id=ent,
        kind=kind,
        names=[Name(text=caption, kind=PRIMARY, strength=STRONG, parts=_name_parts(caption, kind))],
        programs=_programs(v[3]),
        authority=AUTHORITY,
        title=v[4],
    )
    if any(v[5:11]):
        for key, idx in (
            ("call_sign", 5),
            ("type", 6),
            ("tonnage", 7),
            ("grt", 8),
            ("flag", 9),
            ("owner", 10),
        ):
            if v[idx]:
                e.vessel[key] = v[idx]
        if "flag" in e.vessel:
            e.countries.append(e.vessel["flag"])

    if alts:
        alt_raw = []
        for a in alts:
            av = _vals(a)
            alt_raw.append(_raw(ALT_COLUMNS, av))
            text = av[3]
            if not text:
                continue
            akind = _ALT_KINDS.get((av[2] or "aka").lower().replace(".", ""), AKA)
            if any(n.text == text and n.kind == akind for n in e.names):
                continue
            e.names.append(Name(text=text, kind=akind, strength=STRONG, parts=_name_parts(text, kind)))
        raw["alt"] = alt_raw

    if adds:
        add_raw = []
        for a in adds:
            av = _vals(a)
            add_raw.append(_raw(ADD_COLUMNS, av))
            addr = Address(street=av[2], city=av[3], country=av[4], note=av[5])
            if (addr.street or addr.city or addr.country or addr.note) and addr not in e.addresses:
                e.addresses.append(addr)
        raw["add"] = add_raw

    remarks = v[11] or ""
    if comments:
        com_raw = []
        for c in comments:
            cv = _vals(c)
            com_raw.append(_raw(COMMENTS_COLUMNS, cv))
            if not cv[1]:
                continue
            if len(fields[11]) >= REMARKS_CUT:
                remarks += c[1]  # continuation starts mid-word: no separator
            elif warnings is not None:
                warnings.append(
                    f"{name}: ent_num {ent}: comments row not appended, Remarks was not cut at {REMARKS_CUT} "
                    "characters (comments file of another date?)"
                )
        raw["comments"] = com_raw
    rs = apply_remarks(e, remarks or None)
    if stats is not None:
        stats.add(rs)
    e.raw = raw
    return e


def parse_primary_record(
    line: bytes,
    source: str,
    name: str = "sdn.csv",
    line_no: int = 1,
    stats: RemarkStats | None = None,
) -> Entity:
    """Parse one raw primary-file line (as yielded by `split_records`) into an `Entity` (no aux data)."""
    if line.endswith(b"\x1a"):
        line = line[:-1]
    line = line.rstrip(b"\r\n")
    if b"\n" in line:
        raise SourceError("a record is one line", file=name, position=f"line {line_no}")
    rows = _read_rows(_decode(line, name, line_no), name, PRIMARY_COLUMNS, first_line=line_no)
    if len(rows) != 1:
        raise SourceError("no record on this line", file=name, position=f"line {line_no}")
    return build_entity(source, rows[0][1], name, line_no, stats=stats)


def split_records(data: bytes, name: str = "sdn.csv") -> Iterator[tuple[int, str, bytes]]:
    """Yield (line number, ent_num, raw line bytes without CRLF) for each record of a primary file.

    No CSV parsing: OFAC records never contain a newline, and ent_num is the unquoted first field, so this
    is a byte split - fast enough to diff hundreds of captures. The raw line is what `parse_primary_record`
    takes. Raises `SourceError` (lazily, while iterating) for an empty or non-CSV file or a record that does
    not start with a numeric ent_num. Duplicate ent_nums are not checked here (`parse` does).
    """
    body = _body(data, name)
    line_no = 0
    for raw in body.split(b"\n"):
        line_no += 1
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip():
            continue
        comma = raw.find(b",")
        head = (raw if comma < 0 else raw[:comma]).strip()
        if not head.isdigit():
            raise SourceError(
                f"non-numeric ent_num {head[:40].decode('ascii', 'replace')!r}",
                file=name,
                position=f"line {line_no}",
            )
        yield line_no, str(int(head)), raw


def record_lines(data: bytes, name: str = "sdn.csv") -> list[bytes]:
    """The raw record lines of a primary file (no CR/LF), in file order, without parsing or per-line checks:
    what the history importer compares between consecutive captures. Blank lines are dropped."""
    body = _body(data, name)
    if body.count(b"\n") == body.count(b"\r\n"):  # CRLF throughout, as OFAC ships it: split in C
        return list(filter(None, body.split(b"\r\n")))
    return [raw[:-1] if raw.endswith(b"\r") else raw for raw in body.split(b"\n") if raw.strip()]


# -- whole sets -------------------------------------------------------------------------------------------------


def _group(rows: list[tuple[int, list[str]]], name: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for line, fields in rows:
        out.setdefault(_ent_num(fields[0], name, line), []).append(fields)
    return out


def _pick(files: Mapping[str, SourceFile], roles: tuple[str, ...]) -> tuple[str, SourceFile] | None:
    for r in roles:
        if r in files:
            return r, files[r]
    return None


def parse_sdn_rows(data: bytes, source: str, name: str = "sdn.csv") -> ParseResult:
    """Parse a primary file alone (sdn.csv or cons_prim.csv bytes), e.g. one capture of the SDN history."""
    return _parse(source, (name, SourceFile(name, data)), None, None, None)


def parse(files: Mapping[str, SourceFile], source: str) -> ParseResult:
    """Parse one OFAC CSV set: role ("sdn.csv", "add.csv", ... or "cons_prim.csv", ...) -> SourceFile."""
    primary = _pick(files, PRIMARY_ROLES)
    if primary is None:
        got = ", ".join(sorted(files)) or "no files"
        raise SourceError(f"{source}: no primary OFAC CSV ({' or '.join(PRIMARY_ROLES)}); got {got}")
    return _parse(
        source, primary, _pick(files, ADD_ROLES), _pick(files, ALT_ROLES), _pick(files, COMMENTS_ROLES)
    )


def _parse(*args: Any) -> ParseResult:
    # Bulk-building ~15k entities (~500k small objects) triggers repeated full garbage collections that cost
    # more than the parse itself; nothing here creates reference cycles, so pause the collector meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_set(*args)
    finally:
        if was_enabled:
            gc.enable()


def _parse_set(
    source: str,
    primary: tuple[str, SourceFile],
    add: tuple[str, SourceFile] | None,
    alt: tuple[str, SourceFile] | None,
    comments: tuple[str, SourceFile] | None,
) -> ParseResult:
    warnings: list[str] = []
    aux: dict[str, dict[str, list[list[str]]]] = {}
    roles: dict[str, str] = {}
    for key, part, columns in (
        ("add", add, ADD_COLUMNS),
        ("alt", alt, ALT_COLUMNS),
        ("comments", comments, COMMENTS_COLUMNS),
    ):
        if part is None:
            continue
        role, f = part
        roles[key] = role
        rows = _rows_of(f.data, f.name, columns, allow_empty=True)
        if not rows:
            warnings.append(f"{f.name}: no records")
        aux[key] = _group(rows, f.name)

    prole, pf = primary
    rows = _rows_of(pf.data, pf.name, PRIMARY_COLUMNS, allow_empty=False)
    seen: dict[str, int] = {}
    stats = RemarkStats()
    entities: list[Entity] = []
    no_rows: dict[str, list[list[str]]] = {}
    adds, alts, coms = aux.get("add", no_rows), aux.get("alt", no_rows), aux.get("comments", no_rows)
    for line, fields in rows:
        ent = _ent_num(fields[0], pf.name, line)
        if ent in seen:
            raise SourceError(
                f"duplicate ent_num {ent} (first on line {seen[ent]})", file=pf.name, position=f"line {line}"
            )
        seen[ent] = line
        entities.append(
            build_entity(
                source,
                fields,
                pf.name,
                line,
                adds=adds.get(ent, ()),
                alts=alts.get(ent, ()),
                comments=coms.get(ent, ()),
                stats=stats,
                warnings=warnings,
            )
        )

    orphans: dict[str, int] = {}
    for key, grouped in aux.items():
        n = sum(len(v) for k, v in grouped.items() if k not in seen)
        orphans[roles[key]] = n
        if n:
            ids = sum(1 for k in grouped if k not in seen)
            warnings.append(
                f"{roles[key]}: {n} rows for {ids} ent_num(s) absent from {prole} "
                "(aux file of another date?); not used"
            )
    result_stats: dict[str, Any] = {
        "records": len(entities),
        "remarks": stats.as_dict(),
    }
    if aux:
        result_stats["orphans"] = orphans
    return ParseResult(entities=entities, published=None, stats=result_stats, warnings=warnings)
