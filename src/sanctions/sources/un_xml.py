"""UN Security Council Consolidated List (consolidated.xml) -> entities.

The UN publishes one XML file with INDIVIDUAL and ENTITY records keyed by REFERENCE_NUMBER (e.g. "KPi.033").
The XML is parsed with entity resolution, network access and huge trees disabled, and any document carrying an
internal DTD is rejected: the UN never ships one, so a DOCTYPE with entity declarations is either tampering
(XXE, billion laughs) or breakage, and silently dropping the entity references would produce wrong names.

`detect_script()` lives here because the UN file is the one with original-script names; other parsers import it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from typing import Any

from lxml import etree

from sanctions.model import (
    AKA,
    DAY,
    FKA,
    MONTH,
    ORGANIZATION,
    PERSON,
    PRIMARY,
    STRONG,
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
from sanctions.sources import ParseResult, SourceFile, safe_xml_parser

ROLE = "consolidated.xml"
AUTHORITY = "UN Security Council"
ROOT = "CONSOLIDATED_LIST"

try:  # rigour >= 2 exposes the Unicode Script property; fall back to character names otherwise
    from rigour.text.scripts import codepoint_script as _codepoint_script
except ImportError:  # pragma: no cover - depends on the installed rigour
    _codepoint_script = None

_IGNORED_SCRIPTS = {None, "Common", "Inherited", "Unknown"}
_NAME_PREFIX_SCRIPT = {"CJK": "Han", "HANGUL": "Hangul", "HIRAGANA": "Hiragana", "KATAKANA": "Katakana"}


def _char_script(ch: str) -> str | None:
    if _codepoint_script is not None:
        return _codepoint_script(ord(ch))
    word = unicodedata.name(ch, "").split(" ", 1)[0]  # pragma: no cover
    return _NAME_PREFIX_SCRIPT.get(word, word.capitalize() or None)  # pragma: no cover


def detect_script(text: str) -> str:
    """The Unicode script most letters of `text` are written in ("Latin", "Arabic", "Hangul", "Han" ...).

    Digits, punctuation and combining marks do not count; a tie goes to the non-Latin script (a name with
    a Latin gloss such as "ፍትዊ (Tigrinya)" is an Ethiopic name). Text without letters is "Latin", the default.
    """
    if text.isascii():
        return "Latin"
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            script = _char_script(ch)
            if script not in _IGNORED_SCRIPTS:
                counts[script] += 1
    if not counts:
        return "Latin"
    return max(counts.items(), key=lambda kv: (kv[1], kv[0] != "Latin"))[0]


_WS = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Collapse all whitespace (including the UN's hard line breaks) to single spaces and strip."""
    if not text:
        return ""
    return _WS.sub(" ", text).strip()


def iso_date(text: str | None) -> str | None:
    """'2016-11-30' or '2016-11-30-05:00' (xs:date with zone) -> '2016-11-30'; None when not a real date."""
    text = (text or "").strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?", re.I)
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _months_in(text: str) -> list[int]:
    return [_MONTHS[m.group(1).lower()] for m in _MONTH_RE.finditer(text)]


_DOC_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*")
_DATE_LIKE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_LETTER_PREFIX = re.compile(r"(?<![\w-])([A-Z]{1,3}) $")  # "D 000974", "SE 011252"
_NOT_PREFIX = {"NO", "NR", "ID", "N"}


def document_number(text: str) -> tuple[str, int] | None:
    """The first document-number-like token in free text, and where it ends.

    A token qualifies when it has a digit, at least 4 letters/digits, and is not a date ("13.11.2003") or a
    bare year. "no.210804241" loses its "no." prefix; a lone number keeps a short capital prefix ("D 000974").
    """
    for m in _DOC_TOKEN.finditer(text):
        tok = m.group(0).rstrip(".")
        end = m.start() + len(tok)
        tok = re.sub(r"^[A-Za-z]+\.(?=\d)", "", tok)
        if not any(c.isdigit() for c in tok) or sum(c.isalnum() for c in tok) < 4:
            continue
        if _DATE_LIKE.match(tok) or (tok.isdigit() and len(tok) == 4 and 1900 <= int(tok) < 2100):
            continue
        if tok.isdigit() and (p := _LETTER_PREFIX.search(text, 0, m.start())) and p.group(1) not in _NOT_PREFIX:
            tok = f"{p.group(1)} {tok}"
        return tok, end
    return None


# -- record helpers ----------------------------------------------------------------------------------------------
def _children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _text(el: etree._Element, tag: str) -> str:
    found = el.find(tag)
    return clean(found.text) if found is not None else ""


def _values(el: etree._Element, tag: str) -> list[str]:
    """Cleaned VALUE texts of every <tag><VALUE>..</VALUE></tag> child, empty ones dropped."""
    out: list[str] = []
    for wrapper in el.findall(tag):
        for v in wrapper.findall("VALUE"):
            t = clean(v.text)
            if t and t not in out:
                out.append(t)
    return out


_REPEATED = {
    "VALUE",
    "INDIVIDUAL_ALIAS",
    "INDIVIDUAL_ADDRESS",
    "INDIVIDUAL_DATE_OF_BIRTH",
    "INDIVIDUAL_PLACE_OF_BIRTH",
    "INDIVIDUAL_DOCUMENT",
    "ENTITY_ALIAS",
    "ENTITY_ADDRESS",
}


def _raw(el: etree._Element) -> Any:
    """The element as plain data: leaves -> text as published, containers -> dict, repeatable tags -> lists.

    Empty placeholders (<QUALITY/>, <INDIVIDUAL_DOCUMENT/>) are left out so they do not churn content hashes.
    """
    kids = _children(el)
    if not kids:
        return el.text if el.text and el.text.strip() else None
    out: dict[str, Any] = {}
    for c in kids:
        v = _raw(c)
        if v is None or v == {}:
            continue
        if c.tag in _REPEATED:
            out.setdefault(c.tag, []).append(v)
        elif c.tag in out:  # an unexpected repeat: keep every value
            prev = out[c.tag]
            out[c.tag] = (prev if isinstance(prev, list) else [prev]) + [v]
        else:
            out[c.tag] = v
    return out


def _add_name(names: list[Name], name: Name) -> None:
    if name.text and not any(n.text == name.text and n.kind == name.kind for n in names):
        names.append(name)


def _add(items: list, item: Any) -> None:
    if item and item not in items:
        items.append(item)


def _birth_date(el: etree._Element, warnings: list[str], ref: str) -> PartialDate | None:
    kind = _text(el, "TYPE_OF_DATE").upper()
    note = _text(el, "NOTE") or None
    day = iso_date(_text(el, "DATE"))
    year = _text(el, "YEAR")
    lo, hi = _text(el, "FROM_YEAR"), _text(el, "TO_YEAR")
    circa = kind == "APPROXIMATELY" or bool(note and note.lower().startswith("approx"))
    if kind == "BETWEEN" and lo.isdigit():
        end = hi if hi.isdigit() and hi != lo else None
        return PartialDate(lo, YEAR, circa=circa, end=end, text=note)
    if day:
        return PartialDate(day, DAY, circa=circa, text=note)
    if year.isdigit() and len(year) == 4:
        months = _months_in(note or "")
        if len(months) == 1:  # <YEAR>1958</YEAR><NOTE>Sep.</NOTE>
            return PartialDate(f"{year}-{months[0]:02d}", MONTH, circa=circa, text=note)
        return PartialDate(year, YEAR, circa=circa, text=note)
    if note:  # only free text: "Nov. 1973", "Between Aug. and Sep. 1977", "30-35 years old", Hijri dates
        years = _YEAR_RE.findall(note)
        months = _months_in(note)
        if len(years) == 1 and months:
            y = years[0]
            end = f"{y}-{months[-1]:02d}" if len(months) > 1 and months[-1] != months[0] else None
            return PartialDate(f"{y}-{months[0]:02d}", MONTH, circa=circa, end=end, text=note)
        warnings.append(f"{ref}: date of birth not understood: {note!r}")
    return None


def _document(el: etree._Element, remarks: list[str]) -> Identifier | None:
    doc_type = _text(el, "TYPE_OF_DOCUMENT")
    doc_type2 = _text(el, "TYPE_OF_DOCUMENT2")
    number = _text(el, "NUMBER")
    note = _text(el, "NOTE")
    country = _text(el, "ISSUING_COUNTRY") or _text(el, "COUNTRY_OF_ISSUE") or None
    notes = []
    if doc_type2 and doc_type:
        notes.append(doc_type2)
    if issued := _text(el, "DATE_OF_ISSUE"):
        notes.append(f"issued {iso_date(issued) or issued}")
    if city := _text(el, "CITY_OF_ISSUE"):
        notes.append(f"issued in {city}")
    if note:
        notes.append(note)
    doc_type = doc_type or doc_type2 or "Document"
    if not number:
        # Some documents carry the number only in the text: "Libyan passport number 347834, issued ...".
        found = document_number(doc_type2) or document_number(note)
        if found is None:
            if notes:  # nothing to match on: keep the words, not an Identifier without a number
                remarks.append(f"{doc_type}: {'; '.join(notes)}")
            return None  # also the <INDIVIDUAL_DOCUMENT/> placeholder
        number = found[0]
    return Identifier(type=doc_type, number=number, country=country, note="; ".join(notes) or None)


def _address(el: etree._Element) -> Address | None:
    addr = Address(
        street=_text(el, "STREET") or None,
        city=_text(el, "CITY") or None,
        region=_text(el, "STATE_PROVINCE") or None,
        postal_code=_text(el, "ZIP_CODE") or None,
        country=_text(el, "COUNTRY") or None,
        note=_text(el, "NOTE") or None,
    )
    return addr if any(vars(addr).values()) else None


def _position(el: etree._Element) -> str:
    return f"element <{el.tag}> line {el.sourceline}"


def _record(rec: etree._Element, source: str, file: str, warnings: list[str], stats: Counter) -> Entity:
    is_person = rec.tag == "INDIVIDUAL"
    ref = _text(rec, "REFERENCE_NUMBER")
    if not ref:
        raise SourceError("record without REFERENCE_NUMBER", file, _position(rec))
    ent = Entity(id=entity_id(source, ref), source=source, native_id=ref, kind=PERSON if is_person else ORGANIZATION)
    ent.authority = AUTHORITY

    # Names: the listed name from its parts, the original-script name, then the aliases.
    parts = {}
    for key, tag in (("first", "FIRST_NAME"), ("second", "SECOND_NAME"), ("third", "THIRD_NAME"),
                     ("fourth", "FOURTH_NAME")):
        if value := _text(rec, tag):
            parts[key] = value
    primary = " ".join(parts.values())
    if primary:
        ent.names.append(Name(primary, PRIMARY, STRONG, detect_script(primary), parts if is_person else {}))
    if original := _text(rec, "NAME_ORIGINAL_SCRIPT"):
        _add_name(ent.names, Name(original, AKA, STRONG, detect_script(original)))
        stats["original_script_names"] += 1
    for alias in rec.findall("INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"):
        text = _text(alias, "ALIAS_NAME")
        if not text:
            continue  # <ALIAS_NAME/> placeholder
        quality = _text(alias, "QUALITY").lower()
        kind = FKA if quality == "f.k.a." else AKA
        strength = WEAK if quality == "low" else STRONG
        _add_name(ent.names, Name(text, kind, strength, detect_script(text)))
        if dob := iso_date(_text(alias, "DATE_OF_BIRTH")):
            _add(ent.birth_dates, PartialDate(dob, DAY))
        pob = ", ".join(p for p in (_text(alias, "CITY_OF_BIRTH"), _text(alias, "COUNTRY_OF_BIRTH")) if p)
        _add(ent.birth_places, pob)
        if note := _text(alias, "NOTE"):
            ent.remarks.append(f"Alias {text}: {note}")
    if not ent.names:
        warnings.append(f"{ref}: record has no name")

    if regime := _text(rec, "UN_LIST_TYPE"):
        ent.programs.append(regime)
    listed = _text(rec, "LISTED_ON")
    ent.listed_on = iso_date(listed)
    if listed and not ent.listed_on:
        warnings.append(f"{ref}: LISTED_ON not a date: {listed!r}")
    ent.title = "; ".join(_values(rec, "TITLE")) or None
    gender = _text(rec, "GENDER").capitalize()
    ent.gender = gender if gender in ("Male", "Female") else None
    ent.nationalities = _values(rec, "NATIONALITY")

    for el in rec.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        if (pd := _birth_date(el, warnings, ref)) is not None:
            _add(ent.birth_dates, pd)
        elif note := _text(el, "NOTE"):
            ent.remarks.append(f"Date of birth: {note}")
    for el in rec.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = ", ".join(
            p for p in (_text(el, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE")) if p
        )
        _add(ent.birth_places, place)
    for el in rec.findall("INDIVIDUAL_DOCUMENT"):
        _add(ent.identifiers, _document(el, ent.remarks))
    for el in rec.findall("INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        _add(ent.addresses, _address(el))

    for designation in _values(rec, "DESIGNATION"):
        ent.remarks.append(f"Designation: {designation}")
    if comments := _text(rec, "COMMENTS1"):
        ent.remarks.append(comments)
    ent.raw = _raw(rec)
    return ent


def _syntax_position(err: etree.XMLSyntaxError) -> str | None:
    line = getattr(err, "lineno", None)
    return f"line {line}" if line else None


def parse(files: dict[str, SourceFile], source: str) -> ParseResult:
    if ROLE not in files:
        raise SourceError(f"{source} needs {ROLE}")
    f = files[ROLE]
    parser = safe_xml_parser()
    try:
        root = etree.fromstring(f.data, parser)
    except etree.XMLSyntaxError as e:
        raise SourceError(f"not well-formed XML: {e.msg}", f.name, _syntax_position(e)) from None
    except (etree.LxmlError, ValueError) as e:
        raise SourceError(f"cannot read XML: {e}", f.name) from None
    if root is None:
        raise SourceError("empty document", f.name, "line 1")
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:
        raise SourceError("DOCTYPE with an internal subset (entity declarations) is not allowed", f.name, "line 1")
    if root.tag != ROOT:
        raise SourceError(f"expected root <{ROOT}>, found <{root.tag}>", f.name, _position(root))

    warnings: list[str] = []
    stats: Counter = Counter()
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for rec in root.iter("INDIVIDUAL", "ENTITY"):
        ent = _record(rec, source, f.name, warnings, stats)
        if ent.native_id in seen:
            raise SourceError(
                f"duplicate REFERENCE_NUMBER {ent.native_id} (first at line {seen[ent.native_id]})",
                f.name,
                _position(rec),
            )
        seen[ent.native_id] = rec.sourceline or 0
        stats["individuals" if rec.tag == "INDIVIDUAL" else "entities"] += 1
        entities.append(ent)

    stats["records"] = len(entities)
    return ParseResult(
        entities=entities,
        published=(root.get("dateGenerated") or "").strip() or None,
        stats=dict(stats),
        warnings=warnings,
    )
