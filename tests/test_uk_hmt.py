"""UK HM Treasury ConList parser: Group ID grouping, cp1252 decoding, partial dates, free-text IDs, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _fuzz import fuzz
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.model import (
    AKA,
    DAY,
    FKA,
    MONTH,
    ORGANIZATION,
    PERSON,
    PRIMARY,
    VESSEL,
    YEAR,
    Entity,
    SourceError,
)
from sanctions.sources import SourceFile, get_source
from sanctions.sources import parse as parse_source
from sanctions.sources.uk_hmt import identifiers_from_text, parse, split_enumeration, uk_date

FOLDER = "current/uk-hmt-conlist-2018-04-13"


def _files(data: bytes, name: str = "conlist.csv") -> dict[str, SourceFile]:
    return {"conlist.csv": SourceFile(name, data)}


@pytest.fixture(scope="module")
def raw_bytes(data_dir: Path) -> bytes:
    return (data_dir / FOLDER / "sanctionsconlist.csv").read_bytes()


@pytest.fixture(scope="module")
def result(raw_bytes: bytes):
    return parse(_files(raw_bytes), "gb-hmt")


@pytest.fixture(scope="module")
def by_gid(result):
    return {e.native_id: e for e in result.entities}


def test_counts(result):
    assert result.published == "2018-04-13"
    assert result.stats["rows"] == 9487
    assert len(result.entities) == result.stats["entities"] == 2106
    ids = [e.id for e in result.entities]
    assert len(set(ids)) == 2106 and all(i.startswith("gb-hmt:") for i in ids)
    assert sum(len(e.raw["rows"]) for e in result.entities) == 9487
    kinds = [e.kind for e in result.entities]
    assert kinds.count(PERSON) + kinds.count(ORGANIZATION) + kinds.count(VESSEL) == 2106
    assert all(sum(n.kind == PRIMARY for n in e.names) == 1 for e in result.entities)
    assert all(Entity.from_dict(e.to_dict()).content_hash() == e.content_hash() for e in result.entities)


def test_registry_dispatch_with_mirror_role(raw_bytes: bytes):
    spec = get_source("gb-hmt")
    assert len(parse_source(spec, _files(raw_bytes, "sanctionsconlist.csv")).entities) == 2106


def test_windows_1252_decoded(raw_bytes: bytes, result):
    assert b"\x92" in raw_bytes  # the file really is cp1252 (curly apostrophe)
    text = json.dumps([e.to_dict() for e in result.entities], ensure_ascii=False)
    assert "\ufffd" not in text and "\x92" not in text
    assert "Democratic People\u2019s Republic of Korea" in {n for e in result.entities for n in e.nationalities}
    assert any("\u2018PK5\u2019" in r for e in result.entities for r in e.remarks)


def test_group_13349(by_gid):
    e = by_gid["13349"]
    assert e.id == "gb-hmt:13349" and e.kind == PERSON
    primary = e.names[0]
    assert primary.kind == PRIMARY and primary.text == "Nayef Salam Muhammad Ujaym AL-HABABI"
    assert primary.parts == {"first": "Nayef", "second": "Salam", "third": "Muhammad", "fourth": "Ujaym",
                             "last": "AL-HABABI"}
    texts = [n.text for n in e.names]
    assert "Sheikh Farooq AL-QAHTANI" in texts and len(texts) == len(set(texts)) == 8  # 16 rows, 8 names
    assert [(d.value, d.precision) for d in e.birth_dates] == [("1980", YEAR), ("1981", YEAR)]
    assert e.nationalities == ["Saudi Arabia", "Qatar"]
    assert [(i.type, i.number) for i in e.identifiers] == [("Passport", "592667")]
    assert e.programs == ["The ISIL (Da'esh) and Al-Qaida organisations"]
    assert e.listed_on == "2016-04-01"
    assert e.addresses[0].country == "Afghanistan (since 2009)"
    assert len(e.remarks) == 1 and e.remarks[0].startswith("UN Ref QDe.004")


def test_dates_with_placeholders(by_gid):
    assert [(d.value, d.precision) for d in by_gid["12830"].birth_dates] == [("1973-11", MONTH)]
    assert uk_date("00/00/1980").precision == YEAR and uk_date("00/05/1980").value == "1980-05"
    assert uk_date("18/09/1964").precision == DAY and uk_date("31/02/1964") is None
    assert uk_date("00/00/0000") is None and uk_date("circa 1960") is None


def test_vessel_and_fka(by_gid):
    ship = by_gid["13556"]  # " TONG SAN 2", Group Type Entity, "IMO: 8937675. MMSI: 445539000."
    assert ship.kind == VESSEL and ship.caption == "TONG SAN 2"
    assert ship.vessel == {"imo": "8937675", "mmsi": "445539000"}
    owner = by_gid["13340"]  # CHONG CHON GANG SHIPPING CO. LTD.: a company with a company IMO number
    assert owner.kind == ORGANIZATION
    assert ("LOGARCHEO AG", FKA) in [(n.text, n.kind) for n in by_gid["8283"].names]


def test_free_text_helpers():
    assert split_enumeration("1) Saudi Arabia 2) Qatar") == ["Saudi Arabia", "Qatar"]
    assert split_enumeration("(1) Germany (b) Algeria") == ["Germany", "Algeria"]
    assert split_enumeration("a) French, b) Tunisian") == ["French", "Tunisian"]
    assert split_enumeration("Indonesian (as at December 2003)") == ["Indonesian (as at December 2003)"]
    ids = identifiers_from_text("Jordanian passport numbers (1) K048787 (2) 486298", "Passport")
    assert [(i.number, i.note) for i in ids] == [("K048787", "Jordanian passport numbers: K048787"),
                                                 ("486298", "Jordanian passport numbers: 486298")]
    (egypt, yemen) = identifiers_from_text("(1) 6487 (Egypt). Issued 30 Jan 1986. (2) (Eqypt). Issued 1993. "
                                           "(3) 388181 (Yemen).", "Passport")
    assert (egypt.number, egypt.country, yemen.number, yemen.country) == ("6487", "Egypt", "388181", "Yemen")
    assert identifiers_from_text("D 000974 (Afghan)", "Passport")[0].number == "D 000974"
    assert identifiers_from_text("British passport no.210804241 (issued 27.07.2010)", "Passport")[0].number == \
        "210804241"
    assert identifiers_from_text("Uganda Passport.", "Passport") == []


def test_unparseable_id_kept_in_remarks(result):
    remarks = [r for e in result.entities for r in e.remarks]
    assert "Passport Details: Uganda Passport." in remarks


# -- inline files -------------------------------------------------------------------------------------------------
HEADER_2018 = ("Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,Nationality,"
               "Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,"
               "Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID")
HEADER_2022 = ("Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,"
               "Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,"
               "Passport Details,National Identification Number,National Identification Details,Position,"
               "Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,"
               "Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,"
               "UK Sanctions List Date Designated,Last Updated,Group ID")


def _row(header: str, **cells: str) -> str:
    cols = header.split(",")
    assert set(cells) <= {c.replace(" ", "_").replace("/", "_").replace("-", "_") for c in cols}
    return ",".join(f'"{cells.get(c.replace(" ", "_").replace("/", "_").replace("-", "_"), "")}"' for c in cols)


def test_inline_cp1252_without_prime_alias():
    lines = [
        "Last Updated,01/02/2018" + "," * 27,
        HEADER_2018,
        _row(HEADER_2018, Name_6="O\x92BRIEN", Name_1="Sean", Group_Type="Individual", Alias_Type="AKA",
             DOB="00/00/1970", Group_ID="1"),
        _row(HEADER_2018, Name_6="OBRIEN", Name_1="Shaun", Group_Type="Individual", Alias_Type="AKA",
             DOB="00/00/1970", Group_ID="1"),
    ]
    data = "\r\n".join(lines).encode("latin-1")  # \x92 stays the cp1252 byte
    result = parse(_files(data), "gb-hmt")
    (e,) = result.entities
    assert result.published == "2018-02-01"
    assert [(n.text, n.kind) for n in e.names] == [("Sean O\u2019BRIEN", PRIMARY), ("Shaun OBRIEN", AKA)]
    assert len(e.birth_dates) == 1


def test_inline_2022_layout_utf8():
    lines = [
        "Last Updated,03/06/2026",
        HEADER_2022,
        _row(HEADER_2022, Name_6="SEVERNAYA ZVEZDA", Name_Non_Latin_Script="Северная звезда",
             Group_Type="Ship", Alias_Type="Primary name", Regime="Russia", Listed_On="01/03/2022",
             Other_Information="IMO: 1234567", Group_ID="555"),
        _row(HEADER_2022, Name_6="NORTHERN STAR", Group_Type="Ship", Alias_Type="AKA", Alias_Quality="Low",
             Group_ID="555"),
        _row(HEADER_2022, Name_6="DOE", Name_1="John", Group_Type="Individual", Alias_Type="Primary name",
             Passport_Number="X1234567", Passport_Details="issued 2019", Group_ID="556"),
    ]
    result = parse(_files("\n".join(lines).encode("utf-8")), "gb-hmt")
    ship, doe = result.entities
    assert ship.kind == VESSEL and ship.vessel["imo"] == "1234567" and ship.listed_on == "2022-03-01"
    assert [(n.text, n.kind, n.script, n.strength) for n in ship.names] == [
        ("SEVERNAYA ZVEZDA", PRIMARY, "Latin", "strong"),
        ("Северная звезда", AKA, "Cyrillic", "strong"),
        ("NORTHERN STAR", AKA, "Latin", "weak"),
    ]
    assert [(i.type, i.number, i.note) for i in doe.identifiers] == [("Passport", "X1234567", "issued 2019")]


def _error(data: bytes) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(_files(data, "bad.csv"), "gb-hmt")
    assert info.value.file == "bad.csv"
    return info.value


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n"])
def test_empty_file(data):
    assert _error(data).position == "line 1"


def test_wrong_header():
    err = _error(b"Last Updated,13/04/2018\nName,Surname,Group ID\n")
    assert err.position == "line 2" and "Name 6" in err.reason


def test_wrong_column_count():
    good = _row(HEADER_2018, Name_6="X", Group_Type="Entity", Group_ID="9")
    data = "\n".join(["Last Updated,13/04/2018", HEADER_2018, good, good + ',""']).encode()
    assert _error(data).position == "line 4"


def test_undecodable_bytes():
    err = _error(b"Last Updated,13/04/2018\n" + HEADER_2018.encode() + b"\n\x81\x90")
    assert err.position == "line 3"


@settings(max_examples=fuzz(300), deadline=None)
@given(st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=400).map(lambda t: ("Last Updated,13/04/2018\n" + HEADER_2018 + "\n" + t).encode("utf-8")),
    st.lists(st.lists(st.text(max_size=10), min_size=29, max_size=29), max_size=4).map(
        lambda rows: "\n".join([HEADER_2018, *(",".join(f'"{c}"' for c in r) for r in rows)]).encode("cp1252",
                                                                                                 "replace")
    ),
))
def test_arbitrary_bytes_only_raise_source_error(data: bytes):
    try:
        result = parse(_files(data), "gb-hmt")
    except SourceError:
        return
    for e in result.entities:
        json.dumps(e.to_dict())
        assert Entity.from_dict(e.to_dict()).content_hash() == e.content_hash()
