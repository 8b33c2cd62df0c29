"""UN Security Council consolidated.xml parser: real published versions plus hostile inline inputs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from _fuzz import fuzz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.model import (
    AKA,
    DAY,
    FKA,
    MONTH,
    ORGANIZATION,
    PERSON,
    PRIMARY,
    WEAK,
    YEAR,
    Entity,
    SourceError,
)
from sanctions.sources import SourceFile, get_source
from sanctions.sources import parse as parse_source
from sanctions.sources.un_xml import detect_script, parse

# (folder, individuals, entities, non-empty NAME_ORIGINAL_SCRIPT, dateGenerated) as in MANIFEST.md
VERSIONS = [
    ("current/un-sc-2026-02-27", 730, 273, 378, "2026-02-27T00:00:09.554Z"),
    ("older/un-sc-2018-10-29", 703, 390, 411, "2018-10-29T19:09:49.856-04:00"),
    ("older/un-sc-2020-12-01", 712, 294, 407, "2020-12-01T19:08:54.997-05:00"),
    ("older/un-sc-2024-09-26", 682, 193, 380, "2024-09-26T00:00:07.514Z"),
    ("older/un-sc-2025-11-20", 727, 273, 379, "2025-11-20T23:00:09.067Z"),
]


def _files(data: bytes, name: str = "test.xml") -> dict[str, SourceFile]:
    return {"consolidated.xml": SourceFile(name, data)}


def _load(data_dir: Path, folder: str):
    path = data_dir / folder / "consolidated.xml"
    return parse(_files(path.read_bytes(), str(path)), "un-sc")


@pytest.fixture(scope="module")
def current(data_dir: Path):
    return _load(data_dir, VERSIONS[0][0])


@pytest.fixture(scope="module")
def by_ref(current):
    return {e.native_id: e for e in current.entities}


# -- real files ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("folder", "individuals", "entities", "original", "generated"), VERSIONS)
def test_counts_match_manifest(data_dir: Path, folder, individuals, entities, original, generated):
    result = _load(data_dir, folder)
    kinds = [e.kind for e in result.entities]
    assert kinds.count(PERSON) == individuals
    assert kinds.count(ORGANIZATION) == entities
    assert len(result.entities) == individuals + entities == result.stats["records"]
    assert result.stats["original_script_names"] == original
    assert result.published == generated
    ids = [e.id for e in result.entities]
    assert len(set(ids)) == len(ids)
    assert all(e.id == f"un-sc:{e.native_id}" and e.native_id == e.native_id.strip() for e in result.entities)
    assert all(e.names and e.names[0].kind == PRIMARY for e in result.entities)


def test_current_parses_fast_and_serialises(data_dir: Path):
    path = data_dir / VERSIONS[0][0] / "consolidated.xml"
    data = path.read_bytes()
    assert len(data) > 2_000_000
    start = time.perf_counter()
    result = parse(_files(data), "un-sc")
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"2 MB UN file took {elapsed:.2f}s"
    for e in result.entities:
        json.dumps(e.to_dict())  # raw and every field are plain JSON data
        assert e.content_hash() == Entity.from_dict(e.to_dict()).content_hash()


def test_registry_dispatch(data_dir: Path):
    path = data_dir / VERSIONS[0][0] / "consolidated.xml"
    result = parse_source(get_source("un-sc"), _files(path.read_bytes()))
    assert len(result.entities) == 1003


def test_dprk_individual_kpi_033(by_ref):
    e = by_ref["KPi.033"]
    assert e.id == "un-sc:KPi.033" and e.kind == PERSON
    primary = e.names[0]
    assert primary.text == "RI WON HO" and primary.parts == {"first": "RI", "second": "WON HO"}
    assert e.programs == ["DPRK"] and e.authority == "UN Security Council"
    assert e.listed_on == "2016-11-30"
    assert [(d.value, d.precision) for d in e.birth_dates] == [("1964-07-17", DAY)]
    assert e.nationalities == ["Democratic People's Republic of Korea"]
    assert [(i.type, i.number) for i in e.identifiers] == [("Passport", "381310014")]  # " 381310014" stripped
    assert "Designation: DPRK Ministry of State Security Official" in e.remarks
    assert e.raw["REFERENCE_NUMBER"] == "KPi.033" and e.raw["DATAID"] == "6908555"


def test_reference_number_with_trailing_space(by_ref, current):
    e = by_ref["KPe.023"]
    assert e.raw["REFERENCE_NUMBER"] == "KPe.023 " and e.id == "un-sc:KPe.023"


def test_original_script_names(data_dir: Path, by_ref):
    # No UN file in the data set carries Hangul (DPRK names are romanised only); Korean script detection is
    # covered by test_detect_script. Real scripts present: Arabic, Cyrillic, Han (aliases), Ethiopic (2018).
    saddam = [n for n in by_ref["IQi.001"].names if n.script != "Latin"]
    assert [(n.text, n.kind, n.script) for n in saddam] == [("صدام حسين التكريتي", AKA, "Arabic")]
    assert any(n.script == "Cyrillic" for n in by_ref["QDi.290"].names)
    assert ("朝鲜联合机械贸易会社", "Han") in [(n.text, n.script) for n in by_ref["KPe.016"].names]
    older = {e.native_id: e for e in _load(data_dir, "older/un-sc-2018-10-29").entities}
    assert ("阿不都·哈克", "Han") in [(n.text, n.script) for n in older["QDi.268"].names]
    assert any(n.script == "Ethiopic" for n in older["LYi.022"].names)


def test_detect_script():
    assert detect_script("리원호") == "Hangul"
    assert detect_script("RI WON HO") == "Latin"
    assert detect_script("صدام حسين") == "Arabic"
    assert detect_script("Умаров Доку") == "Cyrillic"
    assert detect_script("金铁三") == "Han"
    assert detect_script("ፍትዊ ዓብዱረዛቕ (Tigrinya)") == "Ethiopic"  # more Ethiopic letters than Latin
    assert detect_script("123 -") == "Latin"


def test_birth_date_forms(by_ref):
    exact_year = by_ref["CDi.001"].birth_dates
    assert [(d.value, d.precision, d.circa) for d in exact_year] == [("1971", YEAR, False)]
    approx = by_ref["YEi.002"].birth_dates
    assert any(d.value == "1985" and d.precision == YEAR and d.circa and d.end is None for d in approx)
    assert any(d.value == "1984" and d.end == "1986" and not d.circa for d in approx)  # BETWEEN 1984 and 1986
    between_approx = by_ref["TAi.146"].birth_dates
    assert any(d.value == "1970" and d.end == "1973" and d.circa for d in between_approx)
    note_only = by_ref["CDi.004"].birth_dates  # <NOTE>Nov. 1973 </NOTE> without DATE/YEAR
    assert [(d.value, d.precision, d.text) for d in note_only] == [("1973-11", MONTH, "Nov. 1973")]
    assert ("1977-08", "1977-09") in [(d.value, d.end) for d in by_ref["QDi.306"].birth_dates]
    assert "Date of birth: 24/06/1402 (Hijri Calendar)" in by_ref["QDi.291"].remarks


def test_aliases_quality_and_placeholders(by_ref):
    assert [n.text for n in by_ref["CDi.001"].names] == ["ERIC BADEGE"]  # <ALIAS_NAME/> placeholder skipped
    names = {n.text: n for n in by_ref["CDi.003"].names}
    assert names["Rumuli"].strength == WEAK and names["Victor Rumuri"].strength == "strong"
    assert ("JANNAT OSHIKLARI", FKA) in [(n.text, n.kind) for n in by_ref["QDe.168"].names]


def test_document_number_only_in_note(by_ref):
    (doc,) = [i for i in by_ref["QDi.057"].identifiers if i.number == "347834"]
    assert doc.type == "Passport" and doc.note.startswith("Libyan passport number 347834")
    assert any(r.startswith("Passport: issued in 1993") for r in by_ref["QDi.318"].remarks)  # no number at all


def test_free_text_fields(by_ref):
    e = by_ref["CDi.002"]
    assert e.gender == "Male"
    assert e.addresses[0].city == "Kinshasa" and e.addresses[0].note == "as of June 2016"
    comments = e.remarks[-1]
    assert "\n" not in comments and "Since 2010, Kakolele" in comments and "  " not in comments
    assert "Designation: FARDC General" in e.remarks
    assert "\n" in e.raw["COMMENTS1"]  # raw keeps the publisher's text
    gaston = by_ref["CDi.003"]
    assert "Musanze District, Northern Province, Rwanda" in gaston.birth_places


# -- hostile and broken input -------------------------------------------------------------------------------------
MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME> KIM </FIRST_NAME><SECOND_NAME>CHOL  SU</SECOND_NAME>
      <REFERENCE_NUMBER>KPi.999 </REFERENCE_NUMBER><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <NAME_ORIGINAL_SCRIPT>김철수</NAME_ORIGINAL_SCRIPT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
""".encode()


def test_minimal_inline_document():
    result = parse(_files(MINIMAL), "un-sc")
    (e,) = result.entities
    assert e.id == "un-sc:KPi.999"
    assert [(n.text, n.kind, n.script) for n in e.names] == [("KIM CHOL SU", PRIMARY, "Latin"), ("김철수", AKA, "Hangul")]
    assert e.names[0].parts == {"first": "KIM", "second": "CHOL SU"}
    assert result.published == "2026-01-01T00:00:00Z"


def _error(data: bytes) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(_files(data, "bad.xml"), "un-sc")
    assert info.value.file == "bad.xml"
    return info.value


def test_truncated_real_file_reports_line(data_dir: Path):
    data = (data_dir / VERSIONS[0][0] / "consolidated.xml").read_bytes()
    err = _error(data[: len(data) // 2])
    assert err.position and err.position.startswith("line ")
    assert int(err.position.split()[1]) > 1000


@pytest.mark.parametrize("data", [b"", b"   \n", b"not xml at all", b"\x00\xff\xfe", b"<CONSOLIDATED_LIST>"])
def test_not_xml(data):
    assert _error(data).position is None or _error(data).position.startswith("line")


def test_wrong_root():
    err = _error(b'<?xml version="1.0"?>\n<sdnList><sdnEntry/></sdnList>')
    assert err.position == "element <sdnList> line 2"


def test_duplicate_reference_number():
    twice = MINIMAL.replace(b"<ENTITIES/>", b"<ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME>"
                            b"<REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER></ENTITY></ENTITIES>")
    err = _error(twice)
    assert "KPi.999" in err.reason and err.position.startswith("element <ENTITY> line")


def test_missing_reference_number():
    err = _error(MINIMAL.replace(b"<REFERENCE_NUMBER>KPi.999 </REFERENCE_NUMBER>", b""))
    assert err.position.startswith("element <INDIVIDUAL> line")


def test_xxe_is_not_resolved():
    payload = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
               b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&e;</FIRST_NAME>"
               b"<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>")
    err = _error(payload)
    assert "root:" not in str(err) and "DOCTYPE" in err.reason


def test_billion_laughs_does_not_expand():
    decls = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10)
    )
    payload = b'<?xml version="1.0"?><!DOCTYPE lolz [' + decls + b"]><CONSOLIDATED_LIST>&lol9;</CONSOLIDATED_LIST>"
    start = time.perf_counter()
    _error(payload)
    assert time.perf_counter() - start < 1.0


@settings(max_examples=fuzz(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.tuples(st.integers(0, len(MINIMAL)), st.binary(max_size=20)).map(
        lambda p: MINIMAL[: p[0]] + p[1] + MINIMAL[p[0]:]
    ),
))
def test_arbitrary_bytes_only_raise_source_error(data: bytes):
    try:
        result = parse(_files(data), "un-sc")
    except SourceError:
        return
    for e in result.entities:
        json.dumps(e.to_dict())
        assert Entity.from_dict(e.to_dict()).content_hash() == e.content_hash()
