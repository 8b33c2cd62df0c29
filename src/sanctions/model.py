"""One entity model for every list.

Every parser in `sanctions.sources` turns a publisher's file into `Entity` objects; the store, the matcher, the
API and the exports only ever see this model. Entities are plain data: dataclasses that round-trip through
`to_dict()` / `Entity.from_dict()` and hash canonically (`content_hash`), which is how the store decides whether
an entity changed between two published versions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

# Entity kinds (the type of the listed party).
PERSON = "person"
ORGANIZATION = "organization"
VESSEL = "vessel"
AIRCRAFT = "aircraft"
KINDS = (PERSON, ORGANIZATION, VESSEL, AIRCRAFT)

# Name kinds: the listed (primary) name, and alias kinds as OFAC names them (also used for UN/UK aliases).
PRIMARY = "primary"
AKA = "aka"
FKA = "fka"
NKA = "nka"
NAME_KINDS = (PRIMARY, AKA, FKA, NKA)

# Alias strength. OFAC calls a.k.a.s quoted in the remarks "weak" (low-quality) aliases; the UN "Low" quality.
STRONG = "strong"
WEAK = "weak"

# Date precision for birth dates and other partial dates.
DAY = "day"
MONTH = "month"
YEAR = "year"


@dataclass
class Name:
    """One name of an entity: the listed name or an alias."""

    text: str
    kind: str = PRIMARY  # primary / aka / fka / nka
    strength: str = STRONG  # strong / weak
    script: str = "Latin"  # Unicode script of the text (Latin, Cyrillic, Arabic, Hangul, Han, ...)
    # Name parts when the publisher gives them (UN FIRST_NAME.., UK Name 1..6): {"first": .., "last": ..}
    parts: dict[str, str] = field(default_factory=dict)


@dataclass
class PartialDate:
    """A date the publisher may give only in part: exact day, month, year, circa, or a range of years."""

    value: str  # ISO prefix: "1966-01-20", "1966-01" or "1966"
    precision: str = DAY  # day / month / year
    circa: bool = False  # "circa 1966", UN APPROXIMATELY
    end: str | None = None  # upper bound of a range ("1966 to 1968": value=1966, end=1968)
    text: str | None = None  # the publisher's wording when it was not a plain date

    def years(self) -> tuple[int, int]:
        """Inclusive year span this date allows (used by the matcher)."""
        lo = int(self.value[:4])
        hi = int(self.end[:4]) if self.end else lo
        if self.circa:
            lo, hi = lo - 1, hi + 1
        return lo, hi


@dataclass
class Identifier:
    """A document or registry number: passport, national ID, tax ID, IMO, MMSI, registration number ..."""

    type: str  # e.g. "Passport", "National ID No.", "Tax ID No.", "IMO", "MMSI"
    number: str
    country: str | None = None
    note: str | None = None  # issue/expiry dates, issuing authority, free text


@dataclass
class Address:
    street: str | None = None
    city: str | None = None  # city, state/province and postal code as the publisher joins them
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    note: str | None = None

    def text(self) -> str:
        return ", ".join(p for p in (self.street, self.city, self.region, self.postal_code, self.country) if p)


@dataclass
class Link:
    """A relation to another party ("Linked To: X" in OFAC remarks)."""

    target: str  # the other party's name as written by the publisher, or an entity id when known
    relation: str = "linked_to"


@dataclass
class Entity:
    """One listed party in one published version of one list."""

    id: str  # "<source>:<native id>", e.g. "us-ofac-sdn:27209", "un-sc:KPi.033"
    source: str  # e.g. "us-ofac-sdn"
    native_id: str
    kind: str  # person / organization / vessel / aircraft
    names: list[Name] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    authority: str | None = None  # e.g. "US Treasury OFAC", "UN Security Council"
    listed_on: str | None = None  # ISO date when the publisher gives it
    title: str | None = None
    gender: str | None = None
    birth_dates: list[PartialDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # other country links (residence, jurisdiction, flag ...)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    # Vessel / aircraft particulars: {"imo": .., "mmsi": .., "flag": .., "call_sign": .., "type": .., "tonnage": ..}
    vessel: dict[str, str] = field(default_factory=dict)
    aircraft: dict[str, str] = field(default_factory=dict)
    sanctions_notes: list[str] = field(default_factory=list)  # secondary sanctions, EO information, legal basis
    remarks: list[str] = field(default_factory=list)  # free text the parser did not turn into fields
    raw: dict[str, Any] = field(default_factory=dict)  # the publisher's record, as read

    # -- names ---------------------------------------------------------------------------------------------------
    @property
    def caption(self) -> str:
        for n in self.names:
            if n.kind == PRIMARY:
                return n.text
        return self.names[0].text if self.names else self.native_id

    # -- serialisation -------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        d = dict(data)
        d["names"] = [Name(**n) for n in d.get("names", [])]
        d["birth_dates"] = [PartialDate(**b) for b in d.get("birth_dates", [])]
        d["identifiers"] = [Identifier(**i) for i in d.get("identifiers", [])]
        d["addresses"] = [Address(**a) for a in d.get("addresses", [])]
        d["links"] = [Link(**x) for x in d.get("links", [])]
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Dataclasses to plain dicts, dropping empty values so that the serialised form is compact and adding an
    empty field changes no hash. (dataclasses.asdict deep-copies every value: ten times slower.)"""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "__dataclass_fields__"):
        items = value.items() if isinstance(value, dict) else vars(value).items()
        out = {}
        for k, v in items:
            if v is None or v is False or v == "" or (isinstance(v, (list, dict)) and not v):
                continue
            out[k] = _plain(v)
        return out
    return value


def entity_id(source: str, native_id: str) -> str:
    return f"{source}:{native_id}"


class SourceError(Exception):
    """A publisher file could not be read. Carries the file and the position (line or XML element)."""

    def __init__(self, reason: str, file: str | None = None, position: str | None = None):
        self.reason = reason
        self.file = file
        self.position = position
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.file or "<input>"
        if self.position:
            where += f":{self.position}"
        return f"{where}: {self.reason}"
