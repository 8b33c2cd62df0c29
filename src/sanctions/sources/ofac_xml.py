"""OFAC XML export (sdn.xml / consolidated.xml, sdnList > sdnEntry) -> `Entity` objects.

The XML carries the same designations as the legacy CSV but structured: names split in first/last, aliases
with their strength (category strong/weak), ids with country and dates, and an internal publication date.
Entities come out shaped like the CSV reader's (same ids "<source>:<uid>", same "LAST, First" captions,
same field routing through `ofac_remarks`) so that the two formats of one list compare equal where they
carry the same facts.

The parser never resolves entities, loads a DTD or touches the network (billion-laughs / XXE safe); a
document that declares entities is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lxml import etree

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
    WEAK,
    Address,
    Entity,
    Name,
    SourceError,
    entity_id,
)
from sanctions.sources import ParseResult, SourceFile, safe_xml_parser
from sanctions.sources.ofac_remarks import RemarkStats, apply_id_item, apply_remarks, parse_date

AUTHORITY = "US Treasury OFAC"
XML_ROLES = ("sdn.xml", "consolidated.xml")

_KINDS = {"individual": PERSON, "entity": ORGANIZATION, "vessel": VESSEL, "aircraft": AIRCRAFT}
_ALIAS_KINDS = {"a.k.a.": AKA, "aka": AKA, "f.k.a.": FKA, "fka": FKA, "n.k.a.": NKA, "nka": NKA}
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parser() -> etree.XMLParser:
    return safe_xml_parser()


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entity references
    return tag.rsplit("}", 1)[-1]


def _children(el: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for c in el:
        name = _local(c.tag)
        if name:
            out.setdefault(name, []).append(c)
    return out


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    t = "".join(el.itertext()).strip()
    return t or None


def _first(kids: dict[str, list[etree._Element]], name: str) -> str | None:
    els = kids.get(name)
    return _text(els[0]) if els else None


def _items(kids: dict[str, list[etree._Element]], list_name: str, item_name: str) -> list[dict[str, list]]:
    out = []
    for lst in kids.get(list_name, ()):
        for item in lst:
            if _local(item.tag) == item_name:
                out.append(_children(item))
    return out


def _us_date(text: str | None) -> str | None:
    """Publish_Date "05/06/2024" (mm/dd/yyyy) -> "2024-05-06"."""
    if not text:
        return None
    m = _US_DATE.match(text.strip())
    if not m:
        return None
    month, day, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def _person_name(last: str | None, first: str | None) -> str | None:
    if last and first:
        return f"{last}, {first}"
    return last or first


_REPEATED = {
    "program",
    "id",
    "aka",
    "address",
    "nationality",
    "citizenship",
    "dateOfBirthItem",
    "placeOfBirthItem",
}


def _raw_of(el: etree._Element) -> Any:
    """Element -> JSON-serialisable value: text, or a dict of children (list items always as lists)."""
    kids = [c for c in el if _local(c.tag)]
    if not kids:
        return (el.text or "").strip()
    out: dict[str, Any] = {}
    for c in kids:
        name = _local(c.tag)
        value = _raw_of(c)
        if name in _REPEATED:
            out.setdefault(name, []).append(value)
        elif name in out:
            prev = out[name]
            out[name] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[name] = value
    return out


def _where(el: etree._Element) -> str:
    return f"line {el.sourceline} <{_local(el.tag)}>" if el.sourceline else f"<{_local(el.tag)}>"


def _entry(el: etree._Element, source: str, name: str, stats: RemarkStats) -> Entity:
    kids = _children(el)
    uid = _first(kids, "uid")
    if not uid or not (uid.isascii() and uid.isdigit()):
        raise SourceError(f"sdnEntry without a numeric uid ({uid!r})", file=name, position=_where(el))
    uid = str(int(uid))
    sdn_type = (_first(kids, "sdnType") or "Entity").strip()
    kind = _KINDS.get(sdn_type.lower())
    if kind is None:
        raise SourceError(f"unknown sdnType {sdn_type[:40]!r}", file=name, position=_where(el))
    last, first = _first(kids, "lastName"), _first(kids, "firstName")
    caption = _person_name(last, first)
    if not caption:
        raise SourceError(f"sdnEntry {uid} has no name", file=name, position=_where(el))
    parts = {k: v for k, v in (("last", last), ("first", first)) if v} if kind == PERSON else {}
    e = Entity(
        id=entity_id(source, uid),
        source=source,
        native_id=uid,
        kind=kind,
        names=[Name(text=caption, kind=PRIMARY, strength=STRONG, parts=parts)],
        authority=AUTHORITY,
        title=_first(kids, "title"),
    )
    for plist in kids.get("programList", ()):
        for p in plist:
            t = _text(p) if _local(p.tag) == "program" else None
            if t and t not in e.programs:
                e.programs.append(t)

    for aka in _items(kids, "akaList", "aka"):
        a_last, a_first = _first(aka, "lastName"), _first(aka, "firstName")
        text = _person_name(a_last, a_first)
        if not text:
            continue
        akind = _ALIAS_KINDS.get((_first(aka, "type") or "a.k.a.").lower(), AKA)
        strength = WEAK if (_first(aka, "category") or "").lower() == "weak" else STRONG
        if any(n.text == text and n.kind == akind for n in e.names):
            continue
        aparts = {k: v for k, v in (("last", a_last), ("first", a_first)) if v} if kind == PERSON else {}
        e.names.append(Name(text=text, kind=akind, strength=strength, parts=aparts))

    for d in _items(kids, "dateOfBirthList", "dateOfBirthItem"):
        text = _first(d, "dateOfBirth")
        pd = parse_date(text)
        if pd is not None and pd not in e.birth_dates:
            e.birth_dates.append(pd)
        elif pd is None and text:
            e.remarks.append(f"DOB {text}")
    for p in _items(kids, "placeOfBirthList", "placeOfBirthItem"):
        t = _first(p, "placeOfBirth")
        if t and t not in e.birth_places:
            e.birth_places.append(t)
    for n in _items(kids, "nationalityList", "nationality"):
        t = _first(n, "country")
        if t and t not in e.nationalities:
            e.nationalities.append(t)
    for n in _items(kids, "citizenshipList", "citizenship"):
        t = _first(n, "country")
        if t and t not in e.citizenships:
            e.citizenships.append(t)

    for a in _items(kids, "addressList", "address"):
        street = ", ".join(t for t in (_first(a, f"address{i}") for i in (1, 2, 3)) if t) or None
        addr = Address(
            street=street,
            city=_first(a, "city"),
            region=_first(a, "stateOrProvince"),
            postal_code=_first(a, "postalCode"),
            country=_first(a, "country"),
        )
        if (
            any((addr.street, addr.city, addr.region, addr.postal_code, addr.country))
            and addr not in e.addresses
        ):
            e.addresses.append(addr)

    for vi in kids.get("vesselInfo", ()):
        vk = _children(vi)
        for key, tag in (
            ("call_sign", "callSign"),
            ("type", "vesselType"),
            ("flag", "vesselFlag"),
            ("owner", "vesselOwner"),
            ("tonnage", "tonnage"),
            ("grt", "grossRegisteredTonnage"),
        ):
            t = _first(vk, tag)
            if t:
                e.vessel[key] = t
        if e.vessel.get("flag") and e.vessel["flag"] not in e.countries:
            e.countries.append(e.vessel["flag"])

    for i in _items(kids, "idList", "id"):
        id_type, number = _first(i, "idType"), _first(i, "idNumber")
        if not id_type and not number:
            continue
        apply_id_item(
            e,
            id_type or "",
            number or "",
            country=_first(i, "idCountry"),
            issued=_first(i, "issueDate"),
            expires=_first(i, "expirationDate"),
        )

    stats.add(apply_remarks(e, _first(kids, "remarks")))
    e.raw = _raw_of(el)
    return e


def parse_xml(data: bytes, source: str, name: str = "sdn.xml") -> ParseResult:
    """Parse one OFAC XML export (bytes) into a `ParseResult` (published = Publish_Date as ISO)."""
    if not data or not data.strip():
        raise SourceError("empty file", file=name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise SourceError(
            f"malformed XML: {exc.msg}", file=name, position=f"line {line}" if line else None
        ) from None
    if root is None:
        raise SourceError("empty XML document", file=name)
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise SourceError("XML declares entities (DTD); refused", file=name, position="line 1")
    if _local(root.tag) != "sdnList":
        raise SourceError(
            f"not an OFAC XML export: root element <{_local(root.tag)}>, expected <sdnList>",
            file=name,
            position=_where(root),
        )

    warnings: list[str] = []
    published: str | None = None
    record_count: int | None = None
    stats = RemarkStats()
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for el in root:
        tag = _local(el.tag)
        if tag == "publshInformation" or tag == "publishInformation":
            info = _children(el)
            pd = _first(info, "Publish_Date")
            published = _us_date(pd)
            if pd and not published:
                warnings.append(f"{name}: unreadable Publish_Date {pd!r}")
            rc = _first(info, "Record_Count")
            if rc:
                if rc.isascii() and rc.isdigit():
                    record_count = int(rc)
                else:
                    warnings.append(f"{name}: non-numeric Record_Count {rc!r}")
        elif tag == "sdnEntry":
            e = _entry(el, source, name, stats)
            if e.native_id in seen:
                raise SourceError(
                    f"duplicate uid {e.native_id} (first on line {seen[e.native_id]})",
                    file=name,
                    position=_where(el),
                )
            seen[e.native_id] = el.sourceline or 0
            entities.append(e)
        elif tag:
            warnings.append(f"{name}: unexpected element <{tag}> ignored ({_where(el)})")
    if record_count is not None and record_count != len(entities):
        warnings.append(f"{name}: Record_Count {record_count} but {len(entities)} sdnEntry elements")
    return ParseResult(
        entities=entities,
        published=published,
        stats={
            "records": len(entities),
            "record_count": record_count,
            "remarks": stats.as_dict(),
        },
        warnings=warnings,
    )


def parse(files: Mapping[str, SourceFile], source: str) -> ParseResult:
    """Parse the XML export among `files` (role "sdn.xml" or "consolidated.xml")."""
    for role in XML_ROLES:
        if role in files:
            f = files[role]
            return parse_xml(f.data, source, f.name)
    raise SourceError(
        f"{source}: no OFAC XML file ({' or '.join(XML_ROLES)}); got {', '.join(sorted(files))}"
    )
