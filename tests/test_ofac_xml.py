"""OFAC XML export reader on the real consolidated.xml files, plus inline fixtures for edge cases and attacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _fuzz import fuzz
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.model import SourceError
from sanctions.sources import SourceFile
from sanctions.sources.ofac import parse as ofac_parse
from sanctions.sources.ofac_xml import parse_xml

CONS = "us-ofac-cons"
NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


@pytest.fixture(scope="module", params=["ofac-cons-xml-2024-05-06", "ofac-cons-xml-2025-03-28"])
def cons_xml(request, data_dir: Path):
    p = data_dir / "older" / request.param / "consolidated.xml"
    return request.param, ofac_parse({"consolidated.xml": SourceFile(str(p), p.read_bytes())}, CONS)


def _by_id(result):
    return {e.id: e for e in result.entities}


def test_counts_and_published(cons_xml):
    folder, r = cons_xml
    assert len(r.entities) == 443
    assert r.stats["record_count"] == 443
    assert r.warnings == []
    assert (
        r.published
        == {"ofac-cons-xml-2024-05-06": "2024-05-06", "ofac-cons-xml-2025-03-28": "2025-03-28"}[folder]
    )
    assert len({e.id for e in r.entities}) == 443
    rem = r.stats["remarks"]
    assert rem["recognised"] / rem["segments"] > 0.9


def test_person_entry(cons_xml):
    _, r = cons_xml
    e = _by_id(r)["us-ofac-cons:9639"]
    assert e.kind == "person"
    assert e.caption == "HANIYA, Ismail Abdul Salah"
    assert e.names[0].parts == {"last": "HANIYA", "first": "Ismail Abdul Salah"}
    assert e.programs == ["NS-PLC"]
    assert [(n.text, n.kind, n.strength) for n in e.names[1:]] == [
        ("HANIYA, Ismail", "aka", "strong"),
        ("HANIYYA, Ismaeel", "aka", "strong"),
    ]
    assert [(d.value, d.precision) for d in e.birth_dates] == [("1962", "year")]
    assert e.birth_places == ["Shati"]
    assert e.authority == "US Treasury OFAC"
    json.dumps(e.to_dict())


def test_entity_ids_and_notes(cons_xml):
    _, r = cons_xml
    orgs = [e for e in r.entities if e.kind == "organization"]
    assert len(orgs) > 350
    tax = [i for e in orgs for i in e.identifiers if i.type == "Tax ID No."]
    assert len(tax) > 200 and sum(1 for i in tax if i.country == "Russia") > 50  # idCountry is optional
    # non-identifier idList items are routed like the CSV remarks
    assert not any(
        i.type in ("Gender", "Website", "Secondary sanctions risk:", "Target Type")
        for e in orgs
        for i in e.identifiers
    )
    assert sum(1 for e in orgs if e.websites) > 100
    assert (
        sum(1 for e in orgs if any(n.startswith("Secondary sanctions risk") for n in e.sanctions_notes)) > 200
    )
    weak = [n for e in r.entities for n in e.names if n.strength == "weak"]
    assert len(weak) >= 60
    fka = [n for e in r.entities for n in e.names if n.kind == "fka"]
    assert len(fka) >= 140
    # "(Linked To: HAMAS)" remarks become links
    assert sum(1 for e in r.entities for lk in e.links if lk.target == "HAMAS") >= 1


def test_xml_and_csv_agree(data_dir: Path, current_dir: Path):
    """The 2025-03-28 XML and the 2025-12-19 CSV of the same list: same ids, mostly same facts."""
    from sanctions.sources.ofac_csv import parse as csv_parse

    x = ofac_parse(
        {
            "consolidated.xml": SourceFile(
                "x", (data_dir / "older/ofac-cons-xml-2025-03-28/consolidated.xml").read_bytes()
            )
        },
        CONS,
    )
    d = current_dir / "ofac-cons-2025-12-19"
    c = csv_parse({p.name: SourceFile(p.name, p.read_bytes()) for p in d.glob("*.csv")}, CONS)
    xs, cs = _by_id(x), _by_id(c)
    common = xs.keys() & cs.keys()
    assert len(common) > 400
    same_names = sum(1 for k in common if {n.text for n in xs[k].names} == {n.text for n in cs[k].names})
    same_ids = sum(
        1
        for k in common
        if {(i.type, i.number) for i in xs[k].identifiers} == {(i.type, i.number) for i in cs[k].identifiers}
    )
    assert same_names > 0.9 * len(common)
    assert same_ids > 0.8 * len(common)


# -- inline fixtures --------------------------------------------------------------------------------------------


def _doc(entries: str, count: int | None = 1, date: str = "05/06/2024", prolog: str = "") -> bytes:
    info = f"<Publish_Date>{date}</Publish_Date>"
    if count is not None:
        info += f"<Record_Count>{count}</Record_Count>"
    return (
        f'<?xml version="1.0" standalone="yes"?>{prolog}\n<sdnList xmlns="{NS}">\n'
        f"<publshInformation>{info}</publshInformation>\n{entries}</sdnList>"
    ).encode()


VESSEL = """<sdnEntry>
  <uid>15036</uid><lastName>ADRIAN DARYA 1</lastName><sdnType>Vessel</sdnType>
  <programList><program>SDGT</program><program>IRGC</program></programList>
  <idList>
    <id><uid>1</uid><idType>Vessel Registration Identification</idType><idNumber>IMO 9116412</idNumber></id>
    <id><uid>2</uid><idType>MMSI</idType><idNumber>422901000</idNumber></id>
    <id><uid>3</uid><idType>Passport</idType><idNumber>X1</idNumber><idCountry>Iran</idCountry>
        <issueDate>01 Jan 2001</issueDate><expirationDate>01 Jan 2011</expirationDate></id>
  </idList>
  <akaList><aka><uid>9</uid><type>f.k.a.</type><category>weak</category><lastName>GRACE 1</lastName></aka></akaList>
  <vesselInfo><callSign>9HA5146</callSign><vesselType>Crude Oil Tanker</vesselType><vesselFlag>Iran</vesselFlag>
    <vesselOwner>IRAN OIL</vesselOwner><tonnage>300000</tonnage><grossRegisteredTonnage>150000</grossRegisteredTonnage>
  </vesselInfo>
  <remarks>Linked To: NATIONAL IRANIAN OIL COMPANY.</remarks>
</sdnEntry>
"""


def test_vessel_fixture():
    r = parse_xml(_doc(VESSEL), "us-ofac-sdn", "sdn.xml")
    (e,) = r.entities
    assert e.id == "us-ofac-sdn:15036" and e.kind == "vessel" and e.caption == "ADRIAN DARYA 1"
    assert e.programs == ["SDGT", "IRGC"]
    assert e.vessel == {
        "call_sign": "9HA5146",
        "type": "Crude Oil Tanker",
        "flag": "Iran",
        "owner": "IRAN OIL",
        "tonnage": "300000",
        "grt": "150000",
        "imo": "9116412",
        "mmsi": "422901000",
    }
    ids = [(i.type, i.number, i.country, i.note) for i in e.identifiers]
    assert ("IMO", "9116412", None, None) in ids and ("MMSI", "422901000", None, None) in ids
    assert ("Passport", "X1", "Iran", "issued 01 Jan 2001 expires 01 Jan 2011") in ids
    assert [(n.text, n.kind, n.strength) for n in e.names[1:]] == [("GRACE 1", "fka", "weak")]
    assert e.links[0].target == "NATIONAL IRANIAN OIL COMPANY"
    assert e.raw["vesselInfo"]["callSign"] == "9HA5146"
    assert r.published == "2024-05-06"


def test_record_count_mismatch_warns():
    r = parse_xml(_doc(VESSEL, count=2), CONS, "consolidated.xml")
    assert len(r.entities) == 1
    assert any("Record_Count 2" in w for w in r.warnings)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<sdnList><sdnEntry><uid>1</uid>", "malformed XML"),
        (b"uid,name\r\n1,x\r\n", "malformed XML"),
        (b"<html><body>502 Bad Gateway</body></html>", "expected <sdnList>"),
        (_doc(VESSEL + VESSEL, count=2), "duplicate uid 15036"),
        (_doc("<sdnEntry><uid>x1</uid><lastName>A</lastName></sdnEntry>"), "numeric uid"),
        (
            _doc("<sdnEntry><uid>1</uid><lastName>A</lastName><sdnType>Spaceship</sdnType></sdnEntry>"),
            "sdnType",
        ),
        (_doc("<sdnEntry><uid>1</uid><sdnType>Entity</sdnType></sdnEntry>"), "no name"),
    ],
)
def test_errors(data, reason):
    with pytest.raises(SourceError) as exc:
        parse_xml(data, CONS, "consolidated.xml")
    assert reason in exc.value.reason
    assert exc.value.file == "consolidated.xml"


def test_error_positions():
    with pytest.raises(SourceError) as exc:
        parse_xml(b"<sdnList>\n<sdnEntry>\n<uid>1</uid>\n</sdnList>", CONS, "c.xml")
    assert exc.value.position == "line 4"
    with pytest.raises(SourceError) as exc:
        parse_xml(
            _doc(VESSEL + VESSEL.replace("<uid>15036</uid><lastName>", "<uid>15036</uid>\n<lastName>"), 2),
            CONS,
        )
    assert exc.value.position.startswith("line ") and "<sdnEntry>" in exc.value.position


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE sdnList [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sdnList><sdnEntry><uid>1</uid><lastName>&lol9;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sdnList><sdnEntry><uid>1</uid><lastName>&xxe;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_entities_never_expanded(data):
    with pytest.raises(SourceError) as exc:
        parse_xml(data, CONS, "evil.xml")
    assert exc.value.file == "evil.xml"
    assert "lol" not in exc.value.one_line() and "root:" not in exc.value.one_line()


def test_dispatch_prefers_xml():
    files = {
        "sdn.xml": SourceFile("sdn.xml", _doc(VESSEL)),
        "sdn.csv": SourceFile("sdn.csv", b"not looked at"),
    }
    r = ofac_parse(files, "us-ofac-sdn")
    assert [e.id for e in r.entities] == ["us-ofac-sdn:15036"]
    assert any("sdn.csv" in w for w in r.warnings)


@settings(max_examples=fuzz(200), deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(
            lambda t: _doc(f"<sdnEntry><uid>1</uid><lastName>{t}</lastName></sdnEntry>")
        ),
        st.lists(
            st.sampled_from(
                [
                    "<sdnEntry>",
                    "</sdnEntry>",
                    "<uid>1</uid>",
                    "<lastName>A</lastName>",
                    "<idList>",
                    "</idList>",
                    "<id><idType>Passport</idType><idNumber>1</idNumber></id>",
                    "&amp;",
                    "<remarks>DOB 1966; a.k.a. 'X'.</remarks>",
                    "<sdnType>Vessel</sdnType>",
                ]
            ),
            max_size=12,
        ).map(lambda parts: _doc("".join(parts), count=None)),
    )
)
def test_arbitrary_input_only_raises_source_error(data):
    try:
        r = parse_xml(data, CONS, "fuzz.xml")
    except SourceError:
        return
    for e in r.entities:
        json.dumps(e.to_dict())
