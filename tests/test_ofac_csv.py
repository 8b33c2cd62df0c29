"""OFAC legacy CSV reader on the real files, plus hand-made byte fixtures for malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _fuzz import fuzz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.model import WEAK, SourceError
from sanctions.sources import SourceFile, get_source
from sanctions.sources import parse as parse_spec
from sanctions.sources.ofac import parse as ofac_parse
from sanctions.sources.ofac_csv import parse, parse_primary_record, parse_sdn_rows, split_records

SDN = "us-ofac-sdn"
CONS = "us-ofac-cons"


def _load(*paths: Path) -> dict[str, SourceFile]:
    return {p.name.lower(): SourceFile(str(p), p.read_bytes()) for p in paths}


@pytest.fixture(scope="module")
def sdn_2024_bytes(current_dir: Path) -> bytes:
    return (current_dir / "ofac-sdn-2024-05-03" / "sdn.csv").read_bytes()


@pytest.fixture(scope="module")
def sdn_2024(sdn_2024_bytes):
    """The 2024-05-03 sdn.csv alone."""
    return parse_sdn_rows(sdn_2024_bytes, SDN)


@pytest.fixture(scope="module")
def sdn_2024_aux_2025(current_dir: Path):
    """The 2024-05-03 sdn.csv with the 2025-12-24 aux files (mismatched dates, as mirrors have them)."""
    aux = current_dir / "ofac-sdn-aux-2025-12-24"
    files = _load(
        current_dir / "ofac-sdn-2024-05-03" / "sdn.csv",
        aux / "add.csv",
        aux / "alt.csv",
        aux / "sdn_comments.csv",
    )
    return ofac_parse(files, SDN)


@pytest.fixture(scope="module")
def sdn_2021(data_dir: Path):
    d = data_dir / "older" / "ofac-sdn-2021-07-07"
    return parse(_load(d / "sdn.csv", d / "add.csv", d / "alt.csv", d / "sdn_comments.csv"), SDN)


@pytest.fixture(scope="module")
def cons_2025(current_dir: Path):
    d = current_dir / "ofac-cons-2025-12-19"
    return parse(
        _load(*(d / n for n in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"))), CONS
    )


def _by_id(result):
    return {e.id: e for e in result.entities}


# -- real files -------------------------------------------------------------------------------------------------


def test_counts(sdn_2024, sdn_2024_aux_2025, cons_2025, sdn_2021):
    assert len(sdn_2024.entities) == 14965
    assert len(sdn_2024_aux_2025.entities) == 14965
    assert sdn_2024.stats["records"] == 14965
    assert len(cons_2025.entities) == 442
    assert len(sdn_2021.entities) == 8976
    assert len({e.id for e in sdn_2024.entities}) == 14965


def test_choe_myong_hyon(sdn_2024_aux_2025):
    e = _by_id(sdn_2024_aux_2025)["us-ofac-sdn:27209"]
    assert e.native_id == "27209"
    assert e.source == SDN
    assert e.kind == "person"
    assert e.caption == "CHOE, Myong Hyon"
    assert e.names[0].parts == {"last": "CHOE", "first": "Myong Hyon"}
    assert e.programs == ["NPWMD"]
    assert e.authority == "US Treasury OFAC"
    assert [(d.value, d.precision, d.circa) for d in e.birth_dates] == [("1966-01-20", "day", False)]
    assert e.nationalities == ["Korea, North"]
    assert e.gender == "male"
    alt = [n for n in e.names if n.text == "CH'OE, Myo'ng-hyo'n"]
    assert alt and alt[0].kind == "aka" and alt[0].strength == "strong"
    assert [(a.city, a.country) for a in e.addresses] == [("Vladivostok", "Russia")]
    passports = [i for i in e.identifiers if i.type == "Passport"]
    assert len(passports) == 1
    p = passports[0]
    assert (p.number, p.country) == ("836210034", "Korea, North")
    assert "issued 26 Apr 2016" in p.note and "expires 26 Apr 2021" in p.note
    assert [(lk.target, lk.relation) for lk in e.links] == [
        ("SECOND ACADEMY OF NATURAL SCIENCES", "linked_to")
    ]
    assert any(n.startswith("Secondary sanctions risk: North Korea") for n in e.sanctions_notes)
    assert e.remarks == []
    # raw keeps the record as read plus its aux rows, strings only
    assert e.raw["SDN_Name"] == "CHOE, Myong Hyon"
    assert e.raw["alt"][0]["alt_name"] == "CH'OE, Myo'ng-hyo'n"
    assert e.raw["add"][0]["City/State/Province/Postal Code"] == "Vladivostok"
    json.dumps(e.to_dict())
    assert e.content_hash() == type(e).from_dict(e.to_dict()).content_hash()


def test_parsek_identifiers(sdn_2024):
    e = _by_id(sdn_2024)["us-ofac-sdn:34458"]
    assert e.caption == "PARSEK LLC"
    assert e.kind == "organization"
    ids = {(i.type, i.number, i.country) for i in e.identifiers}
    assert ("Tax ID No.", "7714789249", "Russia") in ids
    assert ("Company Number", "62817585", "Russia") in ids
    assert ("Registration Number", "1097746565366", "Russia") in ids


def test_orphans_counted_not_invented(sdn_2024_aux_2025, sdn_2024_bytes):
    r = sdn_2024_aux_2025
    orphans = r.stats["orphans"]
    assert set(orphans) == {"add.csv", "alt.csv", "sdn_comments.csv"}
    assert orphans["add.csv"] > 1000 and orphans["alt.csv"] > 1000 and orphans["sdn_comments.csv"] > 0
    assert any("add.csv" in w and "absent" in w for w in r.warnings)
    primary_ids = {ent for _, ent, _ in split_records(sdn_2024_bytes)}
    assert {e.native_id for e in r.entities} == primary_ids
    # 56682 is only in the 2025 add.csv
    assert "us-ofac-sdn:56682" not in _by_id(r)


def test_consistent_set_has_no_orphans(cons_2025, sdn_2021):
    assert cons_2025.stats["orphans"] == {"cons_add.csv": 0, "cons_alt.csv": 0, "cons_comments.csv": 0}
    assert sdn_2021.stats["orphans"] == {"add.csv": 0, "alt.csv": 0, "sdn_comments.csv": 0}
    assert not any("absent" in w for w in cons_2025.warnings)


def test_remark_coverage(sdn_2024):
    rem = sdn_2024.stats["remarks"]
    assert rem["segments"] > 60000
    assert rem["recognised"] / rem["segments"] >= 0.99


def test_weak_aliases_flagged(sdn_2024):
    e = _by_id(sdn_2024)["us-ofac-sdn:306"]  # BANCO NACIONAL DE CUBA, remarks "a.k.a. 'BNC'."
    bnc = [n for n in e.names if n.text == "BNC"]
    assert bnc and bnc[0].strength == WEAK and bnc[0].kind == "aka"
    hizb = _by_id(sdn_2024)["us-ofac-sdn:4697"]
    assert {"SDGT", "SYRIA", "FTO"} <= set(hizb.programs)
    assert sum(1 for n in hizb.names if n.strength == WEAK) >= 8


def test_comments_concatenated(sdn_2021):
    e = _by_id(sdn_2021)["us-ofac-sdn:12300"]
    targets = [lk.target for lk in e.links]
    # the Remarks field is cut at 1000 chars mid-name ("PROMO RAI") and continues in sdn_comments.csv ("Z S.A.S.")
    assert "PROMO RAIZ S.A.S." in targets
    assert "RED MUNDIAL INMOBILIARIA, S.A. DE C.V." in targets
    assert "R D I S.A." in targets
    assert not any("PROMO RAI" in r for r in e.remarks)
    assert e.raw["comments"][0]["Remarks_Extended"].startswith("Z S.A.S.")


def test_stale_comments_not_glued(sdn_2024_aux_2025):
    # ent 34682's 2024 Remarks is complete (947 chars); the 2025 comments row must not be glued onto it
    e = _by_id(sdn_2024_aux_2025)["us-ofac-sdn:34682"]
    assert not any("67328 (Russia)" in r for r in e.remarks)
    assert any("34682" in w and "comments" in w for w in sdn_2024_aux_2025.warnings)


def test_vessel_and_aircraft(sdn_2024):
    vessels = [e for e in sdn_2024.entities if e.kind == "vessel"]
    aircraft = [e for e in sdn_2024.entities if e.kind == "aircraft"]
    assert len(vessels) > 500 and len(aircraft) > 200
    with_imo = [e for e in vessels if e.vessel.get("imo")]
    assert len(with_imo) > 0.8 * len(vessels)
    assert all(
        any(i.type == "IMO" and i.number == e.vessel["imo"].split("; ")[0] for i in e.identifiers)
        for e in with_imo
    )
    assert sum(1 for e in vessels if e.vessel.get("flag")) > 0.5 * len(vessels)
    assert sum(1 for e in aircraft if e.aircraft.get("msn") or e.aircraft.get("model")) > 0.8 * len(aircraft)


def test_cons_set(cons_2025):
    e = _by_id(cons_2025)
    assert all(x.source == CONS and x.id.startswith("us-ofac-cons:") for x in cons_2025.entities)
    # cons_comments continuation: 17014's Remarks ends "Registration Numbe" + "r 1027700342890 (Russia)"
    ids = {(i.type, i.number) for i in e["us-ofac-cons:17014"].identifiers}
    assert ("Registration Number", "1027700342890") in ids


def test_registry_dispatch(current_dir):
    d = current_dir / "ofac-cons-2025-12-19"
    files = _load(d / "cons_prim.csv")
    r = parse_spec(get_source(CONS), files)
    assert len(r.entities) == 442
    assert "orphans" not in r.stats  # no aux files given


def test_split_records_and_single_record_parse(sdn_2024_bytes, sdn_2024):
    recs = list(split_records(sdn_2024_bytes, "sdn.csv"))
    assert len(recs) == 14965
    assert recs[0][0] == 1 and recs[0][1] == "36"
    assert all(not raw.endswith((b"\r", b"\x1a")) for _, _, raw in recs[-3:])
    full = _by_id(sdn_2024)
    for line, ent, raw in recs[::997]:
        one = parse_primary_record(raw, SDN, "sdn.csv", line)
        assert one.to_dict() == full[f"{SDN}:{ent}"].to_dict()
    line, ent, raw = next(r for r in recs if r[1] == "27209")
    assert parse_primary_record(raw, SDN, line_no=line).caption == "CHOE, Myong Hyon"


# -- malformed input --------------------------------------------------------------------------------------------

ROW = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
ROW2 = b'306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'BNC\'."\r\n'


def _one(data: bytes, aux: dict[str, bytes] | None = None):
    files = {"sdn.csv": SourceFile("sdn.csv", data)}
    files.update({role: SourceFile(role, b) for role, b in (aux or {}).items()})
    return parse(files, SDN)


def test_minimal_fixture_and_nulls():
    r = _one(ROW + ROW2 + b"\x1a")
    e = _by_id(r)
    assert e["us-ofac-sdn:36"].kind == "organization"
    assert e["us-ofac-sdn:36"].title is None and e["us-ofac-sdn:36"].vessel == {}
    assert e["us-ofac-sdn:36"].raw == {
        "ent_num": "36",
        "SDN_Name": "AEROCARIBBEAN AIRLINES",
        "Program": "CUBA",
    }
    assert [n.strength for n in e["us-ofac-sdn:306"].names] == ["strong", "weak"]
    # no trailing 0x1A and LF-only line ends are accepted too
    assert len(_one((ROW + ROW2).replace(b"\r\n", b"\n")).entities) == 2


@pytest.mark.parametrize(
    ("data", "reason", "position"),
    [
        (b"", "empty", None),
        (b"\x1a", "no records", None),
        (b"\r\n\r\n\x1a", "no records", None),
        (ROW + b'37,"TOO FEW",-0- \r\n', "expected 12 columns", "line 2"),
        (ROW + ROW.replace(b",-0- \r\n", b",-0- ,-0- \r\n"), "expected 12 columns", "line 2"),
        (ROW + ROW2 + ROW, "duplicate ent_num 36", "line 3"),
        (
            ROW + b'X7,"NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
            "non-numeric ent_num",
            "line 2",
        ),
        (ROW + b'37,"TRUNCATED NAM', "unterminated quoted field", "line 2"),
        (
            ROW + b'37,"BAD "Q" UOTE",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
            "malformed CSV",
            "line 2",
        ),
        (ROW + b'37,"TRUNC\r\n' + ROW2, "unterminated quoted field", "line 2"),
        (b'<?xml version="1.0"?><sdnList/>', "looks like XML", "line 1"),
        (b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", "looks like XML/HTML", "line 1"),
        (
            ROW + b'37,"CAF\xc9",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
            "undecodable byte 0xc9",
            "line 2",
        ),
        (ROW.replace(b'-0- ,"CUBA"', b'"spaceship","CUBA"'), "unknown SDN_Type", "line 1"),
    ],
)
def test_errors(data, reason, position):
    with pytest.raises(SourceError) as exc:
        _one(data)
    assert reason in exc.value.reason
    assert exc.value.file == "sdn.csv"
    assert exc.value.position == position


def test_aux_errors_name_the_aux_file():
    with pytest.raises(SourceError) as exc:
        _one(ROW, {"add.csv": b'36,1,"street"\r\n'})
    assert exc.value.file == "add.csv" and exc.value.position == "line 1" and "6 columns" in exc.value.reason
    # an aux file with no records is fine (warning), a 0-byte download is not
    assert _one(ROW, {"alt.csv": b"\x1a"}).warnings
    with pytest.raises(SourceError):
        _one(ROW, {"alt.csv": b""})


def test_utf8_is_accepted():
    r = _one(ROW.replace(b"AEROCARIBBEAN", "AÉRO".encode()))
    assert r.entities[0].caption.startswith("AÉRO")


def test_split_records_errors():
    with pytest.raises(SourceError):
        list(split_records(b"", "sdn.csv"))
    with pytest.raises(SourceError) as exc:
        list(split_records(ROW + b'"x",1\r\n', "sdn.csv"))
    assert exc.value.position == "line 2"
    with pytest.raises(SourceError):
        parse_primary_record(b'36,"A"', SDN)


@settings(max_examples=fuzz(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_source_error(data):
    for files in (
        {"sdn.csv": SourceFile("sdn.csv", data)},
        {"sdn.csv": SourceFile("s", ROW), "add.csv": SourceFile("a", data)},
    ):
        try:
            parse(files, SDN)
        except SourceError:
            pass
    try:
        for line, _ent, raw in split_records(data):
            parse_primary_record(raw, SDN, line_no=line)
    except SourceError:
        pass


_field = st.one_of(
    st.just("-0- "),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30).map(
        lambda s: '"' + s.replace('"', '""') + '"'
    ),
)


@settings(max_examples=fuzz(200), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 99999), st.lists(_field, min_size=10, max_size=13)), max_size=8))
def test_csv_shaped_input_only_raises_source_error(rows):
    data = b"".join((f"{n}," + ",".join(fs) + "\r\n").encode() for n, fs in rows) + b"\x1a"
    try:
        r = parse({"sdn.csv": SourceFile("sdn.csv", data)}, SDN)
    except SourceError:
        return
    for e in r.entities:
        json.dumps(e.to_dict())
