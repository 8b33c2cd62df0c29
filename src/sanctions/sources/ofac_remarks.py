"""OFAC "Remarks" field -> structured entity fields.

OFAC's legacy CSV carries most of a designation's particulars (dates of birth, passports, tax IDs, weak
aliases, vessel and aircraft data, secondary-sanctions notes ...) in one semi-structured Remarks field:
segments separated by ";" and closed by a full stop, each segment "<label> <value>" with an optional
"alt. " prefix for additional values. The XML export has the same field types as structured elements
(idList/idType holds the same labels), so this module is shared by both OFAC readers.

Every segment either matches a rule that stands for a real field type and lands in a proper `Entity` field,
or is kept verbatim in `entity.remarks` and counted as unrecognised (`RemarkStats`), so that coverage can be
measured and new OFAC field types noticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sanctions.model import (
    AKA,
    DAY,
    FKA,
    MONTH,
    NKA,
    WEAK,
    YEAR,
    Entity,
    Identifier,
    Link,
    Name,
    PartialDate,
)

__all__ = [
    "RemarkStats",
    "apply_remarks",
    "apply_segment",
    "apply_id_item",
    "parse_date",
    "split_segments",
]


@dataclass
class RemarkStats:
    """Counts of remark segments seen / turned into fields (summed over entities by the readers)."""

    segments: int = 0
    recognised: int = 0
    unrecognised: list[str] = field(default_factory=list)

    def add(self, other: RemarkStats) -> None:
        self.segments += other.segments
        self.recognised += other.recognised
        self.unrecognised.extend(other.unrecognised)

    def as_dict(self) -> dict[str, int]:
        return {"segments": self.segments, "recognised": self.recognised}


# -- segments ---------------------------------------------------------------------------------------------------


# OFAC does not double the closing full stop after an abbreviation ("Linked To: X CO., LTD."): keep it then.
_ABBREV_END = re.compile(
    r"(?:\b(?:co|ltd|inc|corp|cia|ltda|jr|sr|bros|pvt|est|st|dr|mr|no|int|intl|dept|assn|mfg)"
    r"|(?:^|[\s,(])(?:[A-Za-z]\.)+[A-Za-z]|(?:^|[\s,(])[A-Z])\.$",
    re.I,
)


def split_segments(text: str | None) -> list[str]:
    """Split a Remarks value into segments on ";" outside parentheses; drop the closing full stop."""
    if not text:
        return []
    text = text.strip()
    if text.endswith(".") and not _ABBREV_END.search(text[-12:]):
        text = text[:-1]
    if not text:
        return []
    out: list[str] = []
    buf: str | None = None
    for part in text.split(";"):
        if buf is not None:
            buf += ";" + part
            if buf.count("(") <= buf.count(")"):
                out.append(buf.strip())
                buf = None
        elif part.count("(") > part.count(")"):
            buf = part
        else:
            out.append(part.strip())
    if buf is not None:
        out.append(buf.strip())
    return [s for s in out if s]


# -- dates ------------------------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_DATE_ONE = re.compile(
    r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})$|^(\d{4})$|^(\d{4})-(\d{2})(?:-(\d{2}))?$"
)


def _one_date(text: str) -> tuple[str, str] | None:
    """ "20 Jan 1966" / "Jan 1966" / "1966" / "1966-01-20" -> (iso prefix, precision)."""
    m = _DATE_ONE.match(text.strip())
    if not m:
        return None
    if m.group(4):
        return m.group(4), YEAR
    if m.group(5):
        month = int(m.group(6))
        if not 1 <= month <= 12:
            return None
        if m.group(7):
            day = int(m.group(7))
            if not 1 <= day <= 31:
                return None
            return f"{m.group(5)}-{month:02d}-{day:02d}", DAY
        return f"{m.group(5)}-{month:02d}", MONTH
    month = _MONTHS.get(m.group(2).lower())
    if month is None:
        return None
    year = m.group(3)
    if m.group(1):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            return None
        return f"{year}-{month:02d}-{day:02d}", DAY
    return f"{year}-{month:02d}", MONTH


_RANGE_SEP = re.compile(r"\s+to\s+|\s*-\s*(?=\d{4}$)")


def parse_date(text: str | None) -> PartialDate | None:
    """Parse an OFAC date as written in DOB remarks or XML dateOfBirth: exact, month, year, circa, range.

    "01 Jan 1960 to 31 Dec 1962" is a range of whole years and becomes value="1960", end="1962", precision
    year. Returns None when the text is not a date.
    """
    if not text:
        return None
    raw = text.strip()
    t = raw
    circa = False
    low = t.lower()
    for prefix in ("circa ", "approximately ", "approx. ", "about "):
        if low.startswith(prefix):
            circa = True
            t = t[len(prefix) :]
            break
    parts = _RANGE_SEP.split(t, maxsplit=1)
    if len(parts) == 2:
        lo, hi = _one_date(parts[0]), _one_date(parts[1])
        if lo is None or hi is None or hi[0] < lo[0]:
            return None
        if lo[0].endswith("-01-01") and hi[0].endswith("-12-31"):
            return PartialDate(lo[0][:4], YEAR, circa, hi[0][:4], raw)
        if lo[1] == hi[1] == DAY and lo[0] == hi[0]:
            return PartialDate(lo[0], DAY, circa, None, None if not circa else raw)
        return PartialDate(lo[0], lo[1], circa, hi[0], raw)
    one = _one_date(t)
    if one is None:
        return None
    return PartialDate(one[0], one[1], circa, None, raw if circa else None)


# -- helpers ----------------------------------------------------------------------------------------------------


def _add(lst: list, value) -> None:
    if value and value not in lst:
        lst.append(value)


def _add_id(entity: Entity, ident: Identifier) -> None:
    for old in entity.identifiers:
        if old.type == ident.type and old.number == ident.number and old.country == ident.country:
            if ident.note and not old.note:
                old.note = ident.note
            return
    entity.identifiers.append(ident)


def _add_multi(d: dict[str, str], key: str, value: str) -> None:
    """Store in a vessel/aircraft dict; a second different value is appended with "; "."""
    value = value.strip()
    if not value:
        return
    old = d.get(key)
    if not old:
        d[key] = value
    elif value not in old.split("; "):
        d[key] = f"{old}; {value}"


_ID_REST = re.compile(
    r"^(?P<num>.+?)"
    r"(?:\s*\((?P<country>[A-Za-z][^()]*)\))?"
    r"(?P<note>(?:\s*,?\s*(?:issued|expires|expired|expiring|expiration|valid|Issue Date|Expir|Date of Issue)\b.*)?)$",
    re.S,
)


def _split_id(rest: str) -> tuple[str, str | None, str | None]:
    """ "836210034 (Korea, North) issued 26 Apr 2016 expires 26 Apr 2021" -> number, country, note."""
    m = _ID_REST.match(rest.strip())
    if not m:  # pragma: no cover - the pattern matches any non-empty text
        return rest.strip(), None, None
    num = m.group("num").strip().rstrip(",").strip()
    if num.startswith("(") and num.endswith(")") and num.count("(") == 1:
        num = num[1:-1].strip()
    note = m.group("note").strip().lstrip(",").strip() or None
    return num, m.group("country"), note


# -- rule handlers ----------------------------------------------------------------------------------------------
# A handler gets (entity, match, segment) and returns True when it stored the value.

Handler = Callable[[Entity, "re.Match[str]", str], bool]

_ALIAS_KIND = {"a": AKA, "f": FKA, "n": NKA, "d": AKA}  # d.b.a. = doing business as


def _h_alias(e: Entity, m: re.Match[str], seg: str) -> bool:
    kind = _ALIAS_KIND[m.group(1).lower()]
    text = m.group(2).strip()
    if not text:
        return False
    for n in e.names:
        if n.text == text:
            return True  # already listed (e.g. as a strong alias from alt.csv)
    e.names.append(Name(text=text, kind=kind, strength=WEAK))
    return True


def _h_dob(e: Entity, m: re.Match[str], seg: str) -> bool:
    d = parse_date(m.group(1))
    if d is None:
        return False
    if d not in e.birth_dates:
        e.birth_dates.append(d)
    return True


def _h_list(attr: str) -> Handler:
    def handler(e: Entity, m: re.Match[str], seg: str) -> bool:
        value = m.group(1).strip()
        if not value:
            return False
        _add(getattr(e, attr), value)
        return True

    return handler


def _h_gender(e: Entity, m: re.Match[str], seg: str) -> bool:
    value = m.group(1).strip().lower()
    if value not in ("male", "female"):
        return False
    e.gender = value
    return True


def _h_link(relation: str | None = None) -> Handler:
    def handler(e: Entity, m: re.Match[str], seg: str) -> bool:
        target = m.group(m.lastindex or 1).strip()
        if not target:
            return False
        rel = relation or m.group(1).lower()
        link = Link(target=target, relation=rel)
        if link not in e.links:
            e.links.append(link)
        return True

    return handler


def _h_note(e: Entity, m: re.Match[str], seg: str) -> bool:
    _add(e.sanctions_notes, seg)
    return True


def _h_program(e: Entity, m: re.Match[str], seg: str) -> bool:
    for p in m.group(1).split("] ["):
        _add(e.programs, p.strip())
    return True


def _h_identifier(id_type: str | None = None) -> Handler:
    def handler(e: Entity, m: re.Match[str], seg: str) -> bool:
        label = id_type or m.group("label").strip().rstrip(":").strip()
        num, country, note = _split_id(m.group("rest"))
        if not num:
            return False
        _add_id(e, Identifier(type=label, number=num, country=country, note=note))
        return True

    return handler


def _h_digital_currency(e: Entity, m: re.Match[str], seg: str) -> bool:
    _add_id(e, Identifier(type=f"Digital Currency Address - {m.group(1)}", number=m.group(2).strip()))
    return True


def _h_imo(e: Entity, m: re.Match[str], seg: str) -> bool:
    num = m.group(1).strip().strip("()").strip()
    if not num:
        return False
    _add_id(e, Identifier(type="IMO", number=num))
    if e.kind == "vessel":
        _add_multi(e.vessel, "imo", num)
    return True


def _h_company_imo(e: Entity, m: re.Match[str], seg: str) -> bool:
    _add_id(e, Identifier(type="IMO Company Number", number=m.group(1).strip()))
    return True


def _h_mmsi(e: Entity, m: re.Match[str], seg: str) -> bool:
    num = m.group(1).strip()
    _add_id(e, Identifier(type="MMSI", number=num))
    _add_multi(e.vessel, "mmsi", num)
    return True


def _h_vessel(key: str, country: bool = False, ident: str | None = None) -> Handler:
    def handler(e: Entity, m: re.Match[str], seg: str) -> bool:
        value = m.group(1).strip()
        if not value:
            return False
        _add_multi(e.vessel, key, value)
        if country:
            _add(e.countries, value)
        if ident:
            _add_id(e, Identifier(type=ident, number=value))
        return True

    return handler


def _h_aircraft(key: str, ident: str | None = None) -> Handler:
    def handler(e: Entity, m: re.Match[str], seg: str) -> bool:
        value = m.group(1).strip()
        if not value:
            return False
        _add_multi(e.aircraft, key, value)
        if ident:
            _add_id(e, Identifier(type=ident, number=value))
        return True

    return handler


def _h_phone(e: Entity, m: re.Match[str], seg: str) -> bool:
    value = m.group(1).strip().lstrip(":").strip()
    if not any(c.isdigit() for c in value):
        return False
    _add(e.phones, value)
    return True


def _h_country(e: Entity, m: re.Match[str], seg: str) -> bool:
    _add(e.countries, m.group(1).strip())
    return True


def _h_title(e: Entity, m: re.Match[str], seg: str) -> bool:
    if not e.title:
        e.title = seg
    elif seg not in [t.strip() for t in e.title.split(";")] and seg not in e.title:
        e.title = f"{e.title}; {seg}"
    return True


# -- rules ------------------------------------------------------------------------------------------------------
# Identifier labels OFAC uses in Remarks (and as XML idType). Longest first so that "National ID No." wins
# over "National ID". Anything else shaped "<... No./Number/ID/#/Code/...> <value with a digit>" is caught by
# the generic identifier rule further down.
_ID_LABELS = [
    "Passport",
    "Diplomatic Passport",
    "Passport No.",
    "Passport Booklet",
    "British National Overseas Passport",
    "Stateless Person Passport",
    "Stateless Person ID Card",
    "National ID No.",
    "National Foreign ID Number",
    "Personal ID Card",
    "Tax ID No.",
    "Registration Number",
    "Registration ID",
    "Business Registration Number",
    "Business Registration Document #",
    "Business Number",
    "Company Number",
    "UK Company Number",
    "Commercial Registry Number",
    "Government Gazette Number",
    "Identification Number",
    "Cedula No.",
    "C.U.R.P.",
    "C.U.R.P. #",
    "R.F.C.",
    "R.F.C. #",
    "RFC",
    "NIT #",
    "RUC #",
    "RIF #",
    "D.N.I.",
    "C.U.I.",
    "C.U.I.T.",
    "C.U.I.P.",
    "C.I.F.",
    "C.I.N.",
    "N.I.E.",
    "N.I.F.",
    "I.F.E.",
    "C.R. No.",
    "SWIFT/BIC",
    "D-U-N-S Number",
    "Legal Entity Number",
    "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)",
    "V.A.T. Number",
    "Folio Mercantil No.",
    "Matricula Mercantil No",
    "Trade License No.",
    "License",
    "Economic Register Number (CBLS)",
    "Chamber of Commerce Number",
    "Istanbul Chamber of Comm. No.",
    "Dubai Chamber of Commerce Membership No.",
    "Central Registration System Number",
    "Birth Certificate Number",
    "Driver's License No.",
    "Electoral Registry No.",
    "Credencial electoral",
    "BIK (RU)",
    "Enterprise Number",
    "Italian Fiscal Code",
    "Public Registration Number",
    "Cartilla de Servicio Militar Nacional",
    "US FEIN",
    "SSN",
    "Residency Number",
    "Chinese Commercial Code",
    "Permit Number",
    "Registered Charity No.",
    "Branch Unit Number",
    "Certificate of Incorporation Number",
    "Turkish Identification Number",
    "Numero de Identidad",
    "LE Number",
    "Citizen's Card Number",
    "Kenyan ID No.",
    "Travel Document Number",
    "RTN",
    "VisaNumberID",
    "SRE Permit No.",
    "File Number",
    "ISIN",
    "Refugee ID Card",
    "Romanian C.R.",
    "Tazkira National ID Card",
    "Immigration No.",
    "Seafarer's Identification Document",
    "Pilot License Number",
    "Military Registration Number",
    "MSB Registration Number",
    "Serial No.",
    "Equity Ticker",
    "Issuer Name",
    "Fiscal Code",
    "Bosnian Personal ID No.",
    "Moroccan Personal ID No.",
    "CNP (Personal Numerical Code)",
    "Romanian Permanent Resident CAN",
    "Romanian Tax Registration",
    "Paraguayan tax identification number",
    "Numero Unico de Identificacao Tributaria (NUIT)",
    "Afghan Money Service Provider License Number",
    "UAE Identification",
    "Registration Certificate Number (Dubai)",
    "Trademark number",
    "Tourism License No.",
    "Public Security and Immigration No.",
    "UN/LOCODE",
    "MICEX Code",
    "Organization Code",
    "Russian State Individual Business Registration Number Pattern (OGRNIP)",
]
_ID_LABELS = sorted(set(_ID_LABELS), key=len, reverse=True)
_ID_KNOWN = re.compile(
    r"^(?P<label>" + "|".join(re.escape(x) for x in _ID_LABELS) + r"):?\s+(?P<rest>\S.*)$", re.S
)
# Generic document number: a label ending in a document word, then a value that holds a digit.
_ID_GENERIC = re.compile(
    r"^(?P<label>[A-Z][^;:\d]{0,80}?(?:\bNo\.?|\bNumber|\bNumero|#|\bID|\bId|\bCode|\bCard|\bCertificate|"
    r"\bLicen[cs]e|\bPassport|\bDocument|\bRegistration|\bPermit|\bIdentification|\bRegistry|"
    r"\b(?:[A-Z]\.){2,}))\s*:?\s+(?P<rest>[^\s]*\d.*)$",
    re.S,
)

_SANCTION_NOTE_PREFIXES = (
    "Secondary sanctions risk",
    "Transactions Prohibited For Persons Owned or Controlled",
    "Additional Sanctions Information",
    "Executive Order",
    "CAATSA",
    "IFCA Determination",
    "For more information",
    "Listing Date (",
    "Effective Date (",
    "Purchase/Sales For Divestment Date",
    "Organization Established Date",
    "Organization Type",
    "Target Type",
    "ICTY indictee",
    "named in UNSCR",
    "Subject to Directive",
    "Russian Harmful Foreign Activities Sanctions",
    "Reference Number",
    "PEESA Information",
    "This designation refers to",
)
_NOTE_RE = re.compile(r"^(?:" + "|".join(re.escape(p) for p in _SANCTION_NOTE_PREFIXES) + r")", re.I)

# Scope notes on where the designation applies ("all offices worldwide").
_SCOPE_RE = re.compile(r"^(?:and )?all (?:other )?(?:offices|branches|locations)\b", re.I)

_FAMILY = (
    r"wife|husband|spouse|widow|son|daughter|brother|sister|half-brother|half-sister|father|mother|"
    r"son-in-law|daughter-in-law|brother-in-law|sister-in-law|father-in-law|mother-in-law|nephew|niece|"
    r"cousin|uncle|aunt|grandson|granddaughter|stepson|stepdaughter"
)

# Position / rank / honorific vocabulary: OFAC repeats the Title column in Remarks and writes positions
# there for older entries ("Minister of Defense", "Brigadier General", "Member of the State Duma ...").
_POSITION_RE = re.compile(
    r"\b(?:Minister|Ministry|Member|President|Vice|Director|Chairman|Chairwoman|Chairperson|Chair|Commander|"
    r"Head|Chief|Secretary|Deputy|General|Colonel|Officer|Representative|Official|Employee|Leader|Governor|"
    r"Ambassador|Advis[eo]r|Manager|Judge|Prosecutor|Magistrate|Rector|Mayor|Founder|Co-founder|Owner|"
    r"Shareholder|Executive|Lieutenant|Major|Captain|Admiral|Brigadier|Sergeant|Senator|"
    r"Spokes(?:man|person|woman)|Editor|Emir|Amir|Commissioner|Inspector|Attorney|Associate|Coordinator|"
    r"Financier|Facilitator|Operative|Agent|Envoy|Consul|Diplomat|Premier|Chancellor|King|Prince|Princess|"
    r"Sheikh|Shaykh|Shaikh|Haji|Hajji|Maulana|Maulawi|Maulavi|Mawlawi|Mullah|Mulla|Mufti|Imam|Ustad|Qari|"
    r"Hojjatoleslam|Ayatollah|Sayyid|Doctor|Professor|Engineer|Justice|Speaker|"
    r"Assistant|Aide|Partner|Superintendent|Administrator|Controller|Treasurer|Auditor|Board|Council|"
    r"Parliament|Duma|Assembly|Congress|Staff|Army|Forces|Guard|Police|Military|Intelligence|Party|"
    r"Brigade|Regiment|Division|Battalion)\b|\b(?:Lt|Col|Gen|Dr|Eng|Maj|Capt)\.",
    re.I,
)

# (first word, pattern, handler); the first word dispatch keeps the per-segment cost to a handful of regexes.
_RULES: list[tuple[tuple[str, ...], re.Pattern[str], Handler]] = [
    (
        ("a.k.a.", "f.k.a.", "n.k.a.", "d.b.a."),
        re.compile(r"^([afnd])\.[kb]\.a\.,?\s*'(.*)'$", re.S | re.I),
        _h_alias,
    ),
    (("DOB",), re.compile(r"^DOB:?\s+(.+)$", re.S), _h_dob),
    (("POB",), re.compile(r"^POB:?\s+(.+)$", re.S), _h_list("birth_places")),
    (
        ("nationality", "Nationality"),
        re.compile(r"^[Nn]ationality:?\s+(?:possibly\s+)?(?!of Registration)(.+)$", re.S),
        _h_list("nationalities"),
    ),
    (("Nationality",), re.compile(r"^Nationality of Registration\s+(.+)$", re.S), _h_country),
    (
        ("citizen", "Citizen", "citizenship", "Citizenship"),
        re.compile(r"^[Cc]itizen(?:ship)?:?\s+(.+)$", re.S),
        _h_list("citizenships"),
    ),
    (("Gender",), re.compile(r"^Gender:?\s+(\S+)$", re.S), _h_gender),
    (("Linked",), re.compile(r"^Linked To:?\s*(.+)$", re.S), _h_link("linked_to")),
    (
        ("Email", "EMAIL", "E-mail"),
        re.compile(r"^(?:Email|EMAIL|E-mail)(?: Address)?:?\s*(\S+@\S+)$", re.S),
        _h_list("emails"),
    ),
    (("Website", "Web"), re.compile(r"^Web(?:site| site)?:?\s+(\S+)$", re.S), _h_list("websites")),
    (("Registration",), re.compile(r"^Registration Country\s+(.+)$", re.S), _h_country),
    (
        ("Phone", "PHONE", "Telephone", "Tel.", "Fax", "FAX", "TELEX", "Telex", "Alt.", "Phone:"),
        re.compile(
            r"^(?:Alt\.\s+)?(?:Phone|PHONE|Telephone|Tel\.|Fax|FAX|TELEX|Telex)(?:\s+(?:Number|No\.))?:?\s*(.+)$",
            re.S,
        ),
        _h_phone,
    ),
    (("Digital",), re.compile(r"^Digital Currency Address\s*-\s*(\S+)\s+(\S.*)$", re.S), _h_digital_currency),
    (("Vessel",), re.compile(r"^Vessel Registration Identification\s+(?:IMO\s+)?(\S.*)$", re.S), _h_imo),
    (("Identification",), re.compile(r"^Identification Number IMO\s+(\S.*)$", re.S), _h_imo),
    (
        ("International",),
        re.compile(r"^International Maritime Organization(?: \(IMO\))? No\.?\s+(\S.*)$", re.S),
        _h_imo,
    ),
    (("IMO",), re.compile(r"^IMO:?\s+(\S.*)$", re.S), _h_imo),
    (("Company",), re.compile(r"^Company Number IMO\s+(\S.*)$", re.S), _h_company_imo),
    (("MMSI",), re.compile(r"^MMSI:?\s+(\S.*)$", re.S), _h_mmsi),
    (("Vessel",), re.compile(r"^Vessel Flag\s+(.+)$", re.S), _h_vessel("flag", country=True)),
    (("Other",), re.compile(r"^Other Vessel Flag\s+(.+)$", re.S), _h_vessel("other_flags", country=True)),
    (("Former",), re.compile(r"^Former Vessel Flag\s+(.+)$", re.S), _h_vessel("former_flags", country=True)),
    (("Vessel",), re.compile(r"^Vessel Year of Build\s+(.+)$", re.S), _h_vessel("year_built")),
    (("Vessel",), re.compile(r"^Vessel Type\s+(.+)$", re.S), _h_vessel("type")),
    (("Other",), re.compile(r"^Other Vessel Type\s+(.+)$", re.S), _h_vessel("other_types")),
    (("Vessel",), re.compile(r"^Vessel Call Sign\s+(.+)$", re.S), _h_vessel("call_sign")),
    (("Other",), re.compile(r"^Other Vessel Call Sign\s+(.+)$", re.S), _h_vessel("other_call_signs")),
    (("Vessel",), re.compile(r"^Vessel (?:Owner|Manager|Operator)\s+(.+)$", re.S), _h_vessel("owner")),
    (
        ("Aircraft",),
        re.compile(r"^Aircraft Construction Number(?: \([^)]*\))?\s+(.+)$", re.S),
        _h_aircraft("construction_number", ident="Aircraft Construction Number"),
    ),
    (
        ("Aircraft",),
        re.compile(r"^Aircraft Manufacturer's Serial Number(?: \(MSN\))?\s+(.+)$", re.S),
        _h_aircraft("msn", ident="Aircraft MSN"),
    ),
    (("Aircraft",), re.compile(r"^Aircraft Model\s+(.+)$", re.S), _h_aircraft("model")),
    (
        ("Aircraft",),
        re.compile(r"^Aircraft Serial Identification\s+(.+)$", re.S),
        _h_aircraft("serial_number", ident="Aircraft Serial Identification"),
    ),
    (("Aircraft",), re.compile(r"^Aircraft Operator\s+(.+)$", re.S), _h_aircraft("operator")),
    (
        ("Aircraft",),
        re.compile(r"^Aircraft Tail Number\s+(.+)$", re.S),
        _h_aircraft("tail_number", ident="Aircraft Tail Number"),
    ),
    (("Aircraft",), re.compile(r"^Aircraft Manufacture Date\s+(.+)$", re.S), _h_aircraft("manufacture_date")),
    (
        ("Aircraft",),
        re.compile(r"^Aircraft Mode S Transponder Code\s+(.+)$", re.S),
        _h_aircraft("mode_s", ident="Aircraft Mode S Transponder Code"),
    ),
    (
        ("Previous",),
        re.compile(r"^Previous Aircraft Tail Number\s+(.+)$", re.S),
        _h_aircraft("previous_tail_numbers", ident="Aircraft Tail Number"),
    ),
    (
        ("Member", "member"),
        re.compile(r"^[Mm]ember(?: of)?\s+([A-Z]{2,}[A-Z0-9-]*)$", re.S),
        _h_link("member_of"),
    ),
    (("[",), re.compile(r"^\[([^\[\]]+(?:\] \[[^\[\]]+)*)\]$", re.S), _h_program),
]
_DISPATCH: dict[str, list[tuple[re.Pattern[str], Handler]]] = {}
for _words, _pat, _handler in _RULES:
    for _w in _words:
        _DISPATCH.setdefault(_w, []).append((_pat, _handler))

# A bare web address or e-mail address, optionally followed by "(website)" / "(email)".
_URL_RE = re.compile(r"^((?:https?://|www\.)[^\s;]+?)\.?(?:\s*\(website\))?$", re.I)
_EMAIL_RE = re.compile(r"^([\w.+-]+@[\w-]+(?:\.[\w-]+)+)\.?(?:\s*\(e-?mail\))?\.?$", re.I)
_FAMILY_RE = re.compile(r"^(?:(?:his|her)\s+)?(" + _FAMILY + r")\s+of\s+(.+)$", re.I | re.S)
_h_family = _h_link()
_h_id_generic = _h_identifier()
_h_websites = _h_list("websites")
_h_emails = _h_list("emails")


def _first_word(seg: str) -> str:
    if seg.startswith("["):
        return "["
    i = seg.find(" ")
    word = seg if i < 0 else seg[:i]
    j = word.find(":")
    return word[:j] if j > 0 else word


# Segments whose first word says nothing: tried in this order after the first-word dispatch.
_FALLBACK = (
    (_NOTE_RE, _h_note),
    (_SCOPE_RE, _h_note),
    (_FAMILY_RE, _h_family),
    (_URL_RE, _h_websites),
    (_EMAIL_RE, _h_emails),
    (_ID_GENERIC, _h_id_generic),
)


def _classify(seg: str, title_parts: frozenset[str]) -> tuple[Handler, re.Match[str]] | None:
    for pat, handler in _DISPATCH.get(_first_word(seg), ()):
        m = pat.match(seg)
        if m:
            return handler, m
    m = _ID_KNOWN.match(seg)
    if m:
        return _h_id_generic, m
    if seg in title_parts:
        return _h_title, _EMPTY_MATCH
    for pat, handler in _FALLBACK:
        m = pat.match(seg)
        if m:
            return handler, m
    if len(seg) <= 200 and seg[0].isalpha() and _POSITION_RE.search(seg):
        return _h_title, _EMPTY_MATCH
    return None


_EMPTY_MATCH = re.match("", "")


def apply_segment(entity: Entity, seg: str, title_parts: frozenset[str] = frozenset()) -> bool:
    """Store one remark segment in `entity`. Returns False (and stores nothing) when no rule applies."""
    body = seg
    if body.startswith(("alt. ", "Alt. ")) and not body.startswith(("Alt. Fax", "Alt. Telephone")):
        body = body[5:].lstrip()
    if len(body) > 2 and body[0] == "(" and body[-1] == ")" and body.count("(") == 1:
        body = body[1:-1].strip()
    if not body:
        return False
    found = _classify(body, title_parts)
    if found is None:
        return False
    handler, m = found
    if handler is _h_note:
        return _h_note(entity, m, seg)  # keep "alt." in notes: it is part of the wording
    return handler(entity, m, body)


def apply_remarks(entity: Entity, text: str | None) -> RemarkStats:
    """Parse a Remarks value into `entity`; unrecognised segments are appended to `entity.remarks`."""
    stats = RemarkStats()
    segs = split_segments(text)
    if not segs:
        return stats
    title_parts = frozenset(t.strip() for t in entity.title.split(";")) if entity.title else frozenset()
    for seg in segs:
        stats.segments += 1
        try:
            ok = apply_segment(entity, seg, title_parts)
        except (ValueError, IndexError, re.error):  # pragma: no cover - defensive: never fail a whole list
            ok = False
        if ok:
            stats.recognised += 1
        else:
            stats.unrecognised.append(seg)
            _add(entity.remarks, seg)
    return stats


def apply_id_item(
    entity: Entity,
    id_type: str,
    number: str,
    country: str | None = None,
    issued: str | None = None,
    expires: str | None = None,
) -> None:
    """Store one XML idList item. Document numbers become `Identifier`s built from the structured fields;
    the other field types OFAC files under idList (Gender, Website, Email Address, Secondary sanctions risk,
    vessel and aircraft data, ...) go through the same rules as the CSV Remarks segments."""
    id_type = (id_type or "").strip()
    number = (number or "").strip()
    seg = f"{id_type} {number}".strip()
    found = _classify(seg, frozenset()) if seg else None
    if found is not None:
        handler, m = found
        if handler is not _h_id_generic and handler is not _h_title:
            handler(entity, m, seg)
            return
    note = " ".join(
        p for p in (f"issued {issued}" if issued else "", f"expires {expires}" if expires else "") if p
    )
    label = id_type.rstrip(":").strip() or "Identifier"
    if number:
        _add_id(entity, Identifier(type=label, number=number, country=country or None, note=note or None))
