"""Screening as the service does it, shared by the JSON API and the HTML pages: argument checks that end in a
400 with a clear message, the view to answer from (pinned per request), and the yente query-by-example mapping
(FollowTheMoney schema and properties in, FtM-shaped scored entities out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import HTTPException

from sanctions.api.live import Current
from sanctions.model import AIRCRAFT, ORGANIZATION, PERSON, PRIMARY, VESSEL, WEAK, Entity
from sanctions.screen import Match
from sanctions.sources import SOURCES
from sanctions.store.times import parse_when

DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DOB_PREFIX = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass
class Hit:
    match: Match
    entity: Entity | None
    is_match: bool


def check_sources(sources: list[str] | None) -> list[str] | None:
    if not sources:
        return None
    out = []
    for s in sources:
        for part in s.split(","):
            part = part.strip()
            if not part:
                continue
            if part not in SOURCES:
                raise HTTPException(400, detail=f"unknown source {part!r}; known: {', '.join(sorted(SOURCES))}")
            out.append(part)
    return sorted(set(out)) or None


def parse_date(name: str, value: str, end_of_day: bool = False) -> datetime:
    """A date parameter, or a 400 that names it."""
    try:
        return parse_when(value, end_of_day=end_of_day)
    except (ValueError, OverflowError) as exc:
        msg = str(exc) if "not a date" in str(exc) else f"not a date: {value!r} ({exc})"
        raise HTTPException(400, detail=f"{name}: {msg}") from None


def check_as_of(as_of: str | None) -> str | None:
    if not as_of:
        return None
    parse_date("as_of", as_of, end_of_day=True)
    return as_of


def check_dob(dob: str | None) -> str | None:
    if not dob:
        return None
    dob = dob.strip()
    if not DOB.match(dob):
        raise HTTPException(400, detail=f"birth date {dob!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return dob


def screen(
    cur: Current,
    name: str,
    kind: str | None = None,
    dob: str | None = None,
    nationality: str | None = None,
    country: str | None = None,
    identifiers: tuple[str, ...] = (),
    sources: list[str] | None = None,
    limit: int = 10,
    threshold: float | None = None,
    cutoff: float = 0.5,
    names: list[str] | None = None,
) -> tuple[list[Hit], float]:
    """Screen one query (several names: best score per entity) against one pinned view (`cur`, which the
    caller reads once per request, so that every query of a batch sees the same lists)."""
    screener = cur.screener
    th = screener.settings.threshold if threshold is None else threshold
    cut = min(th, cutoff)
    best: dict[str, Match] = {}
    for n in names or [name]:
        for m in screener.screen(n, kind=kind, birth_date=dob, nationality=nationality, country=country,
                                 identifiers=identifiers, sources=sources, limit=limit, threshold=cut):
            prev = best.get(m.entity_id)
            if prev is None or m.score > prev.score:
                best[m.entity_id] = m
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity_id))[:limit]
    return [Hit(m, cur.by_id.get(m.entity_id), m.score >= th) for m in ranked], th


# -- yente ----------------------------------------------------------------------------------------------------------
SCHEMA_KIND = {
    "Person": PERSON,
    "Organization": ORGANIZATION,
    "Company": ORGANIZATION,
    "PublicBody": ORGANIZATION,
    "Vessel": VESSEL,
    "Airplane": AIRCRAFT,
    "LegalEntity": None,
    "Thing": None,
}
KIND_SCHEMA = {PERSON: "Person", ORGANIZATION: "Organization", VESSEL: "Vessel", AIRCRAFT: "Airplane"}
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "motherName", "lastName")
ID_PROPS = ("idNumber", "passportNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode", "imoNumber",
            "mmsi", "leiCode", "swiftBic", "vatCode", "callSign")
MAX_NAMES = 10


def _values(props: dict[str, Any], key: str) -> list[str]:
    value = props.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for v in items:
        if isinstance(v, (dict, list)) or v is None:
            raise ValueError(f"property {key!r}: values must be strings")
        text = str(v).strip()
        if text:
            out.append(text[:500])
    return out


def example_query(schema: str, props: dict[str, Any]) -> dict[str, Any]:
    """A yente example -> screen() arguments. Raises ValueError with a message for the client."""
    if schema not in SCHEMA_KIND:
        raise ValueError(f"unsupported schema {schema!r}; use one of {', '.join(SCHEMA_KIND)}")
    names = _values(props, "name") + _values(props, "alias")
    parts = [" ".join(_values(props, p)) for p in NAME_PARTS]
    composed = " ".join(p for p in parts if p)
    if composed:
        names.append(composed)
    names = list(dict.fromkeys(names))[:MAX_NAMES]
    if not names:
        raise ValueError("the example has no name (name, alias, or firstName/lastName ...)")
    dobs = _values(props, "birthDate") + _values(props, "incorporationDate")
    found = [m.group(0) for m in (DOB_PREFIX.match(d) for d in dobs) if m]
    dob = found[0] if found else None
    nat = (_values(props, "nationality") + _values(props, "citizenship"))[:1]
    country = (_values(props, "country") + _values(props, "jurisdiction") + _values(props, "flag"))[:1]
    ids = tuple(v for p in ID_PROPS for v in _values(props, p))[:20]
    return {
        "names": names,
        "name": names[0],
        "kind": SCHEMA_KIND[schema],
        "dob": dob,
        "nationality": nat[0] if nat else None,
        "country": country[0] if country else None,
        "identifiers": ids,
    }


def ftm_properties(e: Entity) -> dict[str, list[str]]:
    """The entity's fields under FollowTheMoney property names (what yente clients read)."""
    props: dict[str, list[str]] = {}

    def add(key: str, values) -> None:
        vals = [v for v in dict.fromkeys(values) if v]
        if vals:
            props[key] = vals

    add("name", [n.text for n in e.names if n.kind == PRIMARY])
    add("alias", [n.text for n in e.names if n.kind != PRIMARY and n.strength != WEAK])
    add("weakAlias", [n.text for n in e.names if n.kind != PRIMARY and n.strength == WEAK])
    add("birthDate", [d.value for d in e.birth_dates])
    add("birthPlace", e.birth_places)
    add("nationality", e.nationalities)
    add("citizenship", e.citizenships)
    add("country", e.countries)
    add("gender", [e.gender] if e.gender else [])
    add("title", [e.title] if e.title else [])
    add("idNumber", [i.number for i in e.identifiers])
    add("address", [a.text() for a in e.addresses])
    add("program", e.programs)
    add("authority", [e.authority] if e.authority else [])
    add("listingDate", [e.listed_on] if e.listed_on else [])
    add("email", e.emails)
    add("website", e.websites)
    add("phone", e.phones)
    add("notes", e.remarks)
    add("topics", ["sanction"])
    if e.vessel:
        add("imoNumber", [e.vessel.get("imo", "")])
        add("mmsi", [e.vessel.get("mmsi", "")])
        add("flag", [e.vessel.get("flag", "")])
        add("callSign", [e.vessel.get("call_sign", "")])
        add("type", [e.vessel.get("type", "")])
    return props
