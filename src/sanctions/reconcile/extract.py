"""Claims an announcement makes about a designation, read with rules and gazetteers (no model).

What is read, sentence by sentence (a *designation sentence* has a designation verb: designate, sanction,
target, took action ...):

- authorities: who acts (Treasury / OFAC, State, UN Security Council, Commerce, UK ...), the most specific
  authority named before the verb of a designation sentence;
- counts: "six North Korean individuals", "an additional North Korean individual based in Russia", "a Russian
  entity", "five ... individuals -- one based in Russia and four in China" (the breakdown becomes location
  claims under the count);
- named parties: capitalised spans with a legal form ("Parsek LLC"), and capitalised spans the lists know
  (checked later against the screening index; speakers and officials are skipped);
- motives / programs: the MOTIVES table of `vocab`;
- dates: weekdays ("Wednesday"), month-day ("on Jan. 12"), full dates, resolved against the publication date
  when given; a date in a designation sentence is the date of the action, others are context.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from rigour.territories import lookup_territory

from sanctions.reconcile import vocab

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"))}


@dataclass
class Claim:
    id: str
    type: str  # authority / count / location / named / motive / date
    quote: str  # the words of the text the claim rests on
    sentence: int  # 0 = headline
    authority: str | None = None  # authority key (vocab.AUTHORITIES)
    count: int | None = None
    kind: str | None = None  # person / organization / vessel / aircraft
    nationality: str | None = None  # ISO country code
    location: str | None = None  # ISO country code
    locations: list[str] = field(default_factory=list)  # "in Mexico and Brazil": any of these
    additional: bool = False  # "an additional ..." comes on top of an earlier claim
    parent: str | None = None  # location claims: the count claim they break down
    name: str | None = None
    motive: str | None = None
    programs: list[str] = field(default_factory=list)  # motive: program tag prefixes
    date: str | None = None  # ISO date when resolved
    date_text: str | None = None
    weekday: int | None = None  # 0 = Monday, when the text gives only a weekday
    month_day: tuple[int, int] | None = None
    role: str | None = None  # dates: action / context

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], False)}

    def places(self) -> list[str]:
        return self.locations or ([self.location] if self.location else [])

    def summary(self) -> str:
        if self.type == "authority":
            return f"designating authority: {authority_label(self.authority)}"
        if self.type == "count":
            what = _noun(self.kind, self.count or 0)
            nat = f" {country_name(self.nationality)}" if self.nationality else ""
            loc = f" based in {' or '.join(country_name(x) for x in self.places())}" if self.location else ""
            by = f" (by {authority_label(self.authority)})" if self.authority else ""
            more = "an additional " if self.additional and self.count == 1 else (
                f"{self.count} additional " if self.additional else f"{self.count} ")
            return f"{more}{what}{nat and ' of nationality' + nat}{loc}{by}"
        if self.type == "location":
            return f"{self.count} of them based in {country_name(self.location)}"
        if self.type == "named":
            extra = ", ".join(x for x in (self.kind, country_name(self.nationality) if self.nationality else None)
                              if x)
            return f"named party: {self.name}" + (f" ({extra})" if extra else "")
        if self.type == "motive":
            return f"motive / program: {self.motive}"
        if self.type == "date":
            if self.date:
                return f"action date: {self.date} ({self.date_text})"
            return f"action date: {self.date_text} (not resolved)"
        return self.quote


def _noun(kind: str | None, n: int) -> str:
    base = {"person": "individual", "organization": "entity", "vessel": "vessel", "aircraft": "aircraft"}.get(
        kind or "", "party")
    if n == 1 or base == "aircraft":
        return base
    return "entities" if base == "entity" else ("parties" if base == "party" else base + "s")


def authority_label(key: str | None) -> str:
    for k, label, _rx, _srcs in vocab.AUTHORITY_PATTERNS:
        if k == key:
            return label
    return key or "?"


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO code of a country name, official name, demonym or city ("Moscow" -> ru)."""
    if not text:
        return None
    t = text.strip().strip(".,;:()'\"")
    t = re.sub(r"^(?:N\.|No\.)\s*", "North ", t)
    t = re.sub(r"^(?:S\.|So\.)\s*", "South ", t)
    terr = lookup_territory(t)
    if terr is None and t.endswith("s") and len(t) > 4:  # plural demonym: "Russians", "North Koreans"
        terr = lookup_territory(t[:-1])
    if terr is None:
        return None
    code = terr.code.split("-")[0]
    return code


@lru_cache(maxsize=1024)
def country_name(code: str | None) -> str:
    if not code:
        return ""
    terr = lookup_territory(code)
    return terr.name if terr is not None else code


# -- sentences ----------------------------------------------------------------------------------------------------
_ABBREV = re.compile(r"\b(?:U\.S|U\.N|U\.K|N|S|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Co|Corp|Inc|Ltd|"
                     r"No|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Jr|Sr|L\.L\.C|S\.A|E\.O|[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """The headline (first line, when it has no final period) as sentence 0, then the body's sentences."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    body_start = 0
    for i, ln in enumerate(lines):
        if ln:
            if not ln.endswith((".", '"', "”")):
                out.append(ln)
                body_start = i + 1
            break
    if not out:
        out.append("")
    for para in "\n".join(lines[body_start:]).split("\n\n"):
        para = " ".join(para.split())
        if not para or re.match(r"^(?:Source|Photo|Related|You may also like)\b", para):
            continue
        start = 0
        for m in re.finditer(r"[.!?][\"”’)]?\s+(?=[\"“A-Z(])", para):
            head = para[start:m.start() + 1]
            if _ABBREV.search(head):
                continue
            out.append(para[start:m.end()].strip())
            start = m.end()
        if para[start:].strip():
            out.append(para[start:].strip())
    return out


# -- extraction ---------------------------------------------------------------------------------------------------
_NUM = "|".join(sorted((re.escape(w) for w in vocab.NUMBER_WORDS), key=len, reverse=True))
_KIND = "|".join(sorted((re.escape(n) for n in vocab.KIND_OF_NOUN), key=len, reverse=True))
COUNT_RX = re.compile(
    rf"\b(?P<num>\d+|{_NUM})\b(?P<addl>\s+(?:additional|more|further|other))?"
    rf"(?P<mid>(?:\s+(?!(?:and|or|for|to|who|that|which|by|with|in|of the|on)\b)[\w.'’()-]+){{0,8}}?)"
    rf"\s+(?-i:(?P<kind>{_KIND}))\b",
    re.I,
)
DEMONYM_COUNT_RX = re.compile(
    rf"\b(?P<num>\d+|{_NUM})\b(?P<addl>\s+(?:additional|more|further|other))?"
    r"\s+(?P<dem>(?:[A-Z][\w.]*\s+){0,2}[A-Z]\w+(?:ans|ese|is|ans))\b"
)
PLACE = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3}"
BREAKDOWN_RX = re.compile(
    rf"\b(?P<num>\d+|{_NUM})\s+(?:(?:is|are|was|were)\s+)?(?:(?:based|located|residing|living)\s+)?in\s+"
    rf"(?P<place>{PLACE})"
)
BASED_IN_RX = re.compile(
    rf"^\s*,?\s*(?:(?:who|that|which)\s+(?:is|are|was|were)\s+)?(?:(?:based|located|residing|living|operating)\s+)?"
    rf"in\s+(?P<place>{PLACE}(?:\s*(?:,|and|or)\s+{PLACE})*)"
)
X_BASED_RX = re.compile(r"\b(?P<place>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)-based\b")
NAME_TOKEN = r"(?:[A-Z][\w'’.&-]*|al-[A-Z][\w'’-]*|el-[A-Z][\w'’-]*)"
PARTICLE = r"(?:al|bin|bint|ibn|de|del|della|da|dos|do|di|du|la|le|van|von|der|y|of|for|and|&|the|e)"
SPAN_RX = re.compile(rf"{NAME_TOKEN}(?:\s+(?:{PARTICLE}\s+){{0,2}}{NAME_TOKEN}){{0,14}}")
LEGAL_RX = re.compile(rf"(?:^|\s)(?:{vocab.LEGAL_FORMS})$")
DATE_RX = re.compile(
    r"\b(?:(?P<rel>last|this|next)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})\b"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
    r"|\b(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})\b"
)


def _num(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return vocab.NUMBER_WORDS.get(w)


def _authority_of(sentence: str) -> str | None:
    """The most specific authority named before the designation verb (or anywhere, when none is before)."""
    verb = vocab.DESIGNATION_VERB.search(sentence)
    cut = verb.start() if verb else len(sentence)
    found: list[tuple[int, str]] = []
    for key, _label, rx, _srcs in vocab.AUTHORITY_PATTERNS:
        for m in rx.finditer(sentence):
            found.append((m.start(), key))
    before = [f for f in found if f[0] < cut] or found
    if not before:
        return None
    specific = [f for f in before if f[1] not in vocab.GENERIC_AUTHORITIES]
    return min(specific or before)[1]


def _mid_facts(mid: str) -> tuple[str | None, str | None]:
    """Nationality and place from the words between a number and its noun."""
    location = None
    for m in X_BASED_RX.finditer(mid):
        location = country_code(m.group("place")) or location
    mid = X_BASED_RX.sub(" ", mid)
    alternates = re.findall(r"\(([^)]*)\)", mid)
    words = [w for w in re.sub(r"\([^)]*\)", " ", mid).split() if w.lower().strip(",") not in vocab.FILLER_WORDS
             or w[:1].isupper()]
    phrase = " ".join(words).strip(" ,")
    nationality = None
    for cand in [phrase, *alternates]:
        nationality = country_code(cand) if cand else None
        if nationality:
            break
    if nationality is None:  # longest sub-span that names a country
        toks = phrase.split()
        for n in range(len(toks), 0, -1):
            for i in range(len(toks) - n + 1):
                c = country_code(" ".join(toks[i:i + n]))
                if c:
                    nationality = c
                    break
            if nationality:
                break
    return nationality, location


class _Ids:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"c{self.n}"


def extract_claims(text: str, published: str | None = None) -> tuple[list[Claim], list[Claim]]:
    """(claims, context dates). Context dates are date expressions outside designation sentences."""
    sents = sentences(text)
    pub = date.fromisoformat(published[:10]) if published else None
    new_id = _Ids()
    claims: list[Claim] = []
    context: list[Claim] = []
    seen_counts: dict[tuple, Claim] = {}
    seen_auth: set[str] = set()
    seen_motive: set[str] = set()
    named_spans: dict[str, Claim] = {}
    for si, sent in enumerate(sents):
        designation = bool(vocab.DESIGNATION_VERB.search(sent))
        authority = _authority_of(sent) if designation else None
        if designation and authority and authority not in seen_auth:
            seen_auth.add(authority)
            claims.append(Claim(new_id(), "authority", sent, si, authority=authority))
        # dates
        for d in _dates(sent, si, pub):
            d.role = "action" if designation else "context"
            if designation:
                d.id = new_id()
                claims.append(d)
            else:
                context.append(d)
        named_here = [] if designation else _name_spans(sent)
        for span, start, _end in named_here:
            _add_named(named_spans, span, start, si, None, [])
        if not designation:
            continue
        # counts
        count_spans: list[tuple[int, int, Claim]] = []
        for m in list(COUNT_RX.finditer(sent)) + list(DEMONYM_COUNT_RX.finditer(sent)):
            if any(s <= m.start() < e for s, e, _ in count_spans):
                continue
            n = _num(m.group("num"))
            if n is None or n > 500:
                continue
            before = sent[max(0, m.start() - 12):m.start()].lower()
            if re.search(r"\b(?:of|one of|among)\s*$", before):
                continue
            if "dem" in m.groupdict() and m.groupdict().get("dem"):
                nat, loc, kind = country_code(m.group("dem")), None, "person"
                if nat is None:
                    continue
            else:
                kind = vocab.KIND_OF_NOUN[m.group("kind").lower()]
                nat, loc = _mid_facts(m.group("mid") or "")
            word = m.group("num").lower()
            additional = bool(m.group("addl")) or word == "another"
            rest = sent[m.end():]
            based = BASED_IN_RX.match(rest)
            places: list[str] = []
            if based:
                parts = re.split(r"\s*(?:,|\band\b|\bor\b)\s+", based.group("place"))
                places = [c for c in (country_code(x) for x in parts) if c]
                if places and len(places) == len(parts):
                    loc = places[0]
                else:
                    based, places = None, []
            claim = Claim("", "count", m.group(0).strip(), si, authority=authority, count=n, kind=kind,
                          nationality=nat, location=loc, additional=additional,
                          locations=places if len(places) > 1 else [])
            key = (n, kind, nat, tuple(claim.places()), authority, additional)
            if key in seen_counts:
                count_spans.append((m.start(), m.end(), seen_counts[key]))
                continue
            claim.id = new_id()
            seen_counts[key] = claim
            claims.append(claim)
            count_spans.append((m.start(), m.end(), claim))
            # a breakdown right after the noun: "-- one based in Russia and four in China --"
            aside = re.match(r"^\s*(?:--|—|–|:|\(|,)\s*(?P<body>[^()—–;]*?)(?:--|—|–|\)|;|$)", rest)
            if aside and not based:
                for b in BREAKDOWN_RX.finditer(aside.group("body")):
                    bn, place = _num(b.group("num")), country_code(b.group("place"))
                    if bn is None or place is None:
                        continue
                    claims.append(Claim(new_id(), "location", b.group(0), si, authority=authority, count=bn,
                                        kind=kind, nationality=nat, location=place, parent=claim.id))
        # motives
        for motive, rx, tags in vocab.MOTIVE_PATTERNS:
            m = rx.search(sent)
            if m and motive not in seen_motive:
                seen_motive.add(motive)
                claims.append(Claim(new_id(), "motive", m.group(0), si, motive=motive, programs=list(tags)))
        # named parties
        for span, start, _end in _name_spans(sent):
            _add_named(named_spans, span, start, si, authority, count_spans)
    # named spans: legal-form names are claims; other spans only when the lists know them (explain.py decides)
    named = list(named_spans.values())
    ids = {}
    for c in named:
        c.id = new_id()
        ids[c.name] = c.id
    for c in named:  # a split part points at the whole span it came from
        if c.parent in ids:
            c.parent = ids[c.parent]
    return claims + named, context


def _add_named(named: dict[str, Claim], span: str, start: int, si: int, authority: str | None,
               count_spans: list[tuple[int, int, Claim]]) -> None:
    """A named-party claim for a span, and for each part of it when it joins names with "and" / "&"."""
    pieces = [(span, start, None)]
    if re.search(r"\s(?:and|&)\s", span):
        off = 0
        for part in re.split(r"\s+(?:and|&)\s+", span):
            at = span.index(part, off)
            off = at + len(part)
            if len(part.split()) >= 2 or LEGAL_RX.search(part):
                pieces.append((part, start + at, span))
    for text, at, parent in pieces:
        key = text.lower()
        if key in named:
            continue
        legal = bool(LEGAL_RX.search(text))
        c = Claim("", "named", text, si, name=text, authority=authority, parent=parent)
        c.kind = "organization" if legal else None
        for _s, e, cc in count_spans:  # "a Russian entity -- Parsek LLC"
            if 0 <= at - e <= 6:
                c.kind = cc.kind
                c.nationality = cc.nationality
        c.role = "legal-form" if legal else "candidate"
        named[key] = c


def _name_spans(sent: str) -> list[tuple[str, int, int]]:
    out = []
    # "Co., Ltd." / "Foo, Inc.": drop the comma (same length, so positions hold)
    plain = re.sub(r",(\s+(?:Ltd|Inc|LLC|L\.L\.C|S\.A|Limited|GmbH|Co)\b)", r" \1", sent)
    for m in SPAN_RX.finditer(plain):
        span, start = " ".join(m.group(0).split()), m.start()
        toks = span.split()
        while toks and toks[0].lower() in vocab.STOP_NAME_WORDS | {"the"}:  # "The State Department ..."
            start += len(toks[0]) + 1
            toks = toks[1:]
        while toks and toks[-1].lower().strip(".,") in {"of", "for", "and", "&", "the", "al", "de"}:
            toks = toks[:-1]
        if not toks:
            continue
        span = " ".join(toks).rstrip(",;:")
        if span.endswith(".") and not LEGAL_RX.search(span):
            span = span.rstrip(".")
        words = [re.sub(r"['’]s$", "", t.lower().strip(".,'’()")) for t in span.split()]
        if all(w in vocab.STOP_NAME_WORDS or re.fullmatch(PARTICLE, w) for w in words):
            continue
        if country_code(span):
            continue
        informative = [w for w in words if w not in vocab.STOP_NAME_WORDS and not re.fullmatch(PARTICLE, w)
                       and not country_code(w)]
        legal = bool(LEGAL_RX.search(span))
        if not informative or (len(span.split()) < 2 and not legal):
            continue
        if vocab.ROLE_WORDS.search(sent[:start]) or vocab.SPEAKER_AFTER.match(sent[start + len(span):]):
            continue
        out.append((span, start, start + len(span)))
    return out


def _dates(sent: str, si: int, pub: date | None) -> list[Claim]:
    out = []
    for m in DATE_RX.finditer(sent):
        c = Claim("", "date", m.group(0), si, date_text=m.group(0))
        if m.group("wd"):
            wd = WEEKDAYS.index(m.group("wd").lower())
            c.weekday = wd
            if pub is not None:
                back = (pub.weekday() - wd) % 7
                if m.group("rel") == "last":
                    back = back or 7
                    back += 7 if back < 2 else 0  # "last Wednesday" said on a Thursday: a week before
                c.date = (pub - timedelta(days=back)).isoformat()
        elif m.group("mon"):
            mon = MONTHS[m.group("mon")[:3].lower()]
            day = int(m.group("day"))
            if not 1 <= day <= 31:
                continue
            c.month_day = (mon, day)
            year = int(m.group("year")) if m.group("year") else (pub.year if pub else None)
            if year is not None:
                try:
                    d = date(year, mon, day)
                except ValueError:
                    continue
                if pub is not None and not m.group("year") and d > pub + timedelta(days=1):
                    d = d.replace(year=d.year - 1)
                c.date = d.isoformat()
        else:
            c.date = m.group("iso")
        out.append(c)
    return out
