"""OFAC Remarks parsing: segment splitting, dates, one rule per field type, and robustness."""

from __future__ import annotations

import pytest
from _fuzz import fuzz
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.model import Entity, PartialDate
from sanctions.sources.ofac_remarks import apply_id_item, apply_remarks, parse_date, split_segments


def _e(kind: str = "person", title: str | None = None) -> Entity:
    return Entity(id="t:1", source="t", native_id="1", kind=kind, title=title)


def _parse(text: str, kind: str = "person", title: str | None = None) -> tuple[Entity, object]:
    e = _e(kind, title)
    return e, apply_remarks(e, text)


# -- splitting --------------------------------------------------------------------------------------------------


def test_split_segments():
    assert split_segments(None) == []
    assert split_segments("") == []
    assert split_segments("DOB 1966; POB Pyongyang, Korea, North.") == [
        "DOB 1966",
        "POB Pyongyang, Korea, North",
    ]
    # ";" inside parentheses does not split
    assert split_segments("Note (a; b); Gender Male.") == ["Note (a; b)", "Gender Male"]
    # a missing space after ";" still splits
    assert (
        split_segments("nationality possibly Palestinian;arrested 23 Apr 2002.")[1] == "arrested 23 Apr 2002"
    )
    # the closing full stop is kept when it ends an abbreviation
    assert split_segments("Linked To: X GROUP CO., LTD.") == ["Linked To: X GROUP CO., LTD."]
    assert split_segments("Linked To: PROMO RAIZ S.A.S.") == ["Linked To: PROMO RAIZ S.A.S."]
    assert split_segments("Website www.example.com.") == ["Website www.example.com"]


# -- dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 Jan 1966", PartialDate("1966-01-20", "day")),
        ("Jan 1966", PartialDate("1966-01", "month")),
        ("1966", PartialDate("1966", "year")),
        ("circa 1966", PartialDate("1966", "year", circa=True, text="circa 1966")),
        ("1966 to 1968", PartialDate("1966", "year", end="1968", text="1966 to 1968")),
        ("circa 1979-1982", PartialDate("1979", "year", circa=True, end="1982", text="circa 1979-1982")),
        (
            "01 Jan 1960 to 31 Dec 1962",
            PartialDate("1960", "year", end="1962", text="01 Jan 1960 to 31 Dec 1962"),
        ),
        (
            "01 Mar 1956 to 31 Mar 1956",
            PartialDate("1956-03-01", "day", end="1956-03-31", text="01 Mar 1956 to 31 Mar 1956"),
        ),
        ("Mar 1956 to Feb 1958", PartialDate("1956-03", "month", end="1958-02", text="Mar 1956 to Feb 1958")),
        ("circa 01 Jul 1962", PartialDate("1962-07-01", "day", circa=True, text="circa 01 Jul 1962")),
        ("1966-01-20", PartialDate("1966-01-20", "day")),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "unknown", "32 Jan 1966", "20 Foo 1966", "1968 to 1966", "13/01/1966"])
def test_parse_date_rejects(text):
    assert parse_date(text) is None


def test_partial_date_years():
    assert parse_date("circa 1966").years() == (1965, 1967)
    assert parse_date("1966 to 1968").years() == (1966, 1968)


# -- field rules ------------------------------------------------------------------------------------------------


def test_person_fields():
    e, st_ = _parse(
        "DOB 20 Jan 1966; alt. DOB 1967; POB Pyongyang, Korea, North; nationality Korea, North; "
        "citizen Russia; alt. citizen Kenya; Gender Female; a.k.a. 'KIM'; f.k.a. 'PAK, Il'; n.k.a. 'RI'."
    )
    assert [d.value for d in e.birth_dates] == ["1966-01-20", "1967"]
    assert e.birth_places == ["Pyongyang, Korea, North"]
    assert e.nationalities == ["Korea, North"]
    assert e.citizenships == ["Russia", "Kenya"]
    assert e.gender == "female"
    assert [(n.text, n.kind, n.strength) for n in e.names] == [
        ("KIM", "aka", "weak"),
        ("PAK, Il", "fka", "weak"),
        ("RI", "nka", "weak"),
    ]
    assert (st_.segments, st_.recognised) == (10, 10)
    assert e.remarks == []


def test_quotes_inside_aliases():
    e, _ = _parse("a.k.a. 'ABU 'ABD AL-'AZIZ'; a.k.a. ''FUPI''.")
    assert [n.text for n in e.names] == ["ABU 'ABD AL-'AZIZ", "'FUPI'"]


def test_identifiers_with_country_and_notes():
    e, st_ = _parse(
        "Passport 836210034 (Korea, North) issued 26 Apr 2016 expires 26 Apr 2021; "
        "alt. Passport C00168817 issued 08 Dec 2005 expires 25 May 2015; Tax ID No. AABA 670850 Y; "
        "National ID No. 216040 (Yemen); Cedula No. 6068015 (Colombia); SWIFT/BIC HAVIGB2L; "
        "D-U-N-S Number 542957624; Registration Number HRA 738077 (Stuttgart) (Germany); "
        "Identification Number AO 2879097 (Italy) expires 30 Oct 2012; "
        "Unified Social Credit Code (USCC) 9113100033607322XK (China); "
        "Digital Currency Address - XBT 1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo; "
        "Some Registry Office Number 12-345 (Peru)."
    )
    got = [(i.type, i.number, i.country, i.note) for i in e.identifiers]
    assert got == [
        ("Passport", "836210034", "Korea, North", "issued 26 Apr 2016 expires 26 Apr 2021"),
        ("Passport", "C00168817", None, "issued 08 Dec 2005 expires 25 May 2015"),
        ("Tax ID No.", "AABA 670850 Y", None, None),
        ("National ID No.", "216040", "Yemen", None),
        ("Cedula No.", "6068015", "Colombia", None),
        ("SWIFT/BIC", "HAVIGB2L", None, None),
        ("D-U-N-S Number", "542957624", None, None),
        ("Registration Number", "HRA 738077 (Stuttgart)", "Germany", None),
        ("Identification Number", "AO 2879097", "Italy", "expires 30 Oct 2012"),
        ("Unified Social Credit Code (USCC)", "9113100033607322XK", "China", None),
        ("Digital Currency Address - XBT", "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo", None, None),
        ("Some Registry Office Number", "12-345", "Peru", None),
    ]
    assert st_.recognised == st_.segments


def test_contacts_and_links():
    e, _ = _parse(
        "Email Address info@example.com; alt. Email Address x@y.org; Website www.example.com; "
        "http://www.example.org (website); Phone Number 982188526300; Telephone: (357)(22660766); "
        "Fax (98)(21)(22224537); Linked To: HIZBALLAH; wife of Saddam Hussein al-Tikriti; Member ETA."
    )
    assert e.emails == ["info@example.com", "x@y.org"]
    assert e.websites == ["www.example.com", "http://www.example.org"]
    assert e.phones == ["982188526300", "(357)(22660766)", "(98)(21)(22224537)"]
    assert [(lk.target, lk.relation) for lk in e.links] == [
        ("HIZBALLAH", "linked_to"),
        ("Saddam Hussein al-Tikriti", "wife"),
        ("ETA", "member_of"),
    ]


def test_vessel_fields():
    e, st_ = _parse(
        "Vessel Registration Identification IMO 9187629; MMSI 572469210; Vessel Flag Iran; "
        "Other Vessel Flag Tanzania; Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; "
        "Vessel Year of Build 1999; Other Vessel Call Sign 9HA1234; Vessel Type Crude Oil Tanker; "
        "Linked To: NATIONAL IRANIAN TANKER COMPANY.",
        kind="vessel",
    )
    assert e.vessel == {
        "imo": "9187629",
        "mmsi": "572469210",
        "flag": "Iran",
        "other_flags": "Tanzania",
        "former_flags": "Malta; Tuvalu",
        "year_built": "1999",
        "other_call_signs": "9HA1234",
        "type": "Crude Oil Tanker",
    }
    assert {(i.type, i.number) for i in e.identifiers} == {("IMO", "9187629"), ("MMSI", "572469210")}
    assert {"Iran", "Tanzania", "Malta", "Tuvalu"} <= set(e.countries)
    assert st_.recognised == st_.segments == 10


def test_aircraft_fields():
    e, st_ = _parse(
        "Aircraft Construction Number (also called L/N or S/N or F/N) 8401; "
        "Aircraft Manufacturer's Serial Number (MSN) 1023409321; Aircraft Model IL76-TD; "
        "Aircraft Operator YAS AIR; Aircraft Tail Number EP-MMH; Aircraft Manufacture Date 01 Jan 1992; "
        "Aircraft Mode S Transponder Code 151B3A; Previous Aircraft Tail Number 2-WGLP.",
        kind="aircraft",
    )
    assert e.aircraft == {
        "construction_number": "8401",
        "msn": "1023409321",
        "model": "IL76-TD",
        "operator": "YAS AIR",
        "tail_number": "EP-MMH",
        "manufacture_date": "01 Jan 1992",
        "mode_s": "151B3A",
        "previous_tail_numbers": "2-WGLP",
    }
    assert ("Aircraft Tail Number", "EP-MMH") in {(i.type, i.number) for i in e.identifiers}
    assert st_.recognised == st_.segments == 8


def test_sanctions_notes_title_and_programs():
    e, st_ = _parse(
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886; "
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea "
        "Sanctions Regulations section 510.214; Additional Sanctions Information - Subject to Secondary "
        "Sanctions; Executive Order 13846 information: BLOCKING PROPERTY. Sec. 5(a)(i); CAATSA - RUSSIA; "
        "Organization Established Date 1969; Organization Type: Passenger air transport; "
        "Target Type Government Entity; alt. Executive Order 13662 Directive Determination - Subject to "
        "Directive 4; all offices worldwide; Minister of Defense; Head of X; [RUSSIA-EO14024].",
        kind="organization",
        title="Head of X",
    )
    assert len(e.sanctions_notes) == 10
    assert e.sanctions_notes[-2].startswith("alt. Executive Order 13662")
    assert e.title == "Head of X; Minister of Defense"
    assert e.programs == ["RUSSIA-EO14024"]
    assert st_.recognised == st_.segments == 13


def test_unrecognised_segments_kept_and_counted():
    e, st_ = _parse("DOB 1966; arrested 23 Apr 2002; zzz qqq.")
    assert (st_.segments, st_.recognised) == (3, 1)
    assert st_.unrecognised == ["arrested 23 Apr 2002", "zzz qqq"]
    assert e.remarks == ["arrested 23 Apr 2002", "zzz qqq"]
    # a date that is not a date is not silently dropped
    e, st_ = _parse("DOB sometime in the sixties.")
    assert st_.recognised == 0 and e.remarks == ["DOB sometime in the sixties"] and e.birth_dates == []


def test_no_duplicates():
    e, _ = _parse(
        "Passport 1 (Iran); Passport 1 (Iran); a.k.a. 'X'; a.k.a. 'X'; nationality Iran; nationality Iran."
    )
    assert len(e.identifiers) == 1 and len(e.names) == 1 and e.nationalities == ["Iran"]


def test_xml_id_items():
    e = _e("organization")
    apply_id_item(e, "Tax ID No.", "7702070139", "Russia")
    apply_id_item(e, "Passport", "A1", "Iran", issued="01 Jan 2001", expires="01 Jan 2011")
    apply_id_item(e, "Gender", "Male")
    apply_id_item(e, "Website", "www.example.com")
    apply_id_item(e, "Email Address", "a@b.cc")
    apply_id_item(e, "Secondary sanctions risk:", "section 1(b) of Executive Order 13224")
    apply_id_item(e, "Executive Order 13662 Directive Determination -", "Subject to Directive 1")
    apply_id_item(e, "Vessel Registration Identification", "IMO 9187629")
    apply_id_item(e, "Nationality of Registration", "Panama")
    apply_id_item(e, "Some New Kind Of Id", "XYZ")
    assert [(i.type, i.number, i.country, i.note) for i in e.identifiers] == [
        ("Tax ID No.", "7702070139", "Russia", None),
        ("Passport", "A1", "Iran", "issued 01 Jan 2001 expires 01 Jan 2011"),
        ("IMO", "9187629", None, None),
        ("Some New Kind Of Id", "XYZ", None, None),
    ]
    assert e.gender == "male" and e.websites == ["www.example.com"] and e.emails == ["a@b.cc"]
    assert e.sanctions_notes == [
        "Secondary sanctions risk: section 1(b) of Executive Order 13224",
        "Executive Order 13662 Directive Determination - Subject to Directive 1",
    ]
    assert e.countries == ["Panama"]


# -- robustness -------------------------------------------------------------------------------------------------


@settings(max_examples=fuzz(400), deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text):
    e = _e()
    stats = apply_remarks(e, text)
    assert stats.recognised + len(stats.unrecognised) == stats.segments
    e.to_dict()


_words = st.sampled_from(
    [
        "DOB",
        "alt.",
        "POB",
        "a.k.a.",
        "'",
        "(",
        ")",
        ";",
        "Passport",
        "circa",
        "to",
        "1966",
        "Jan",
        "32",
        "-",
        "Linked To:",
        "IMO",
        "MMSI",
        "Vessel Flag",
        "Gender",
        ".",
        " ",
        "Digital Currency Address -",
        "XBT",
        ",",
    ]
)


@settings(max_examples=fuzz(400), deadline=None)
@given(
    st.lists(_words, max_size=30).map("".join),
    st.sampled_from(["person", "organization", "vessel", "aircraft"]),
)
def test_remark_shaped_text_never_raises(text, kind):
    e = _e(kind)
    apply_remarks(e, text)
    apply_id_item(e, text, text, text, text, text)
    parse_date(text)
