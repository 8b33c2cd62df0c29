"""BIS Denied Persons List (dpl.txt) parser: grouping, ids, typo dates, kind heuristic, broken input."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from _fuzz import fuzz
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.model import AKA, ORGANIZATION, PERSON, PRIMARY, Entity, SourceError
from sanctions.sources import SourceFile, get_source
from sanctions.sources import parse as parse_source
from sanctions.sources.bis_dpl import HEADER, guess_kind, native_id, parse

# (folder, data rows, exact duplicate rows, distinct normalised names = entities, implausible dates)
VERSIONS = [
    ("current/bis-dpl-2023-11-30", 665, 2, 545, 3),
    ("older/bis-dpl-2022-09-07", 581, 2, 459, 3),
    ("older/bis-dpl-2019-06-29", 546, 3, 415, 1),
]


def _files(data: bytes, name: str = "dpl.txt") -> dict[str, SourceFile]:
    return {"dpl.txt": SourceFile(name, data)}


def _load(data_dir: Path, folder: str):
    return parse(_files((data_dir / folder / "dpl.txt").read_bytes()), "us-bis-dpl")


@pytest.fixture(scope="module")
def current(data_dir: Path):
    return _load(data_dir, VERSIONS[0][0])


@pytest.fixture(scope="module")
def by_name(current):
    return {e.caption: e for e in current.entities}


@pytest.mark.parametrize(("folder", "rows", "duplicates", "entities", "bad_dates"), VERSIONS)
def test_counts(data_dir: Path, folder, rows, duplicates, entities, bad_dates):
    result = _load(data_dir, folder)
    assert result.stats["rows"] == rows
    assert result.stats["duplicate_rows"] == duplicates
    assert result.stats["bad_dates"] == bad_dates
    assert len(result.entities) == result.stats["entities"] == entities
    # Every distinct row lands in exactly one entity: the entity count is the number of distinct names.
    assert sum(len(e.raw["rows"]) for e in result.entities) == rows - duplicates
    ids = [e.id for e in result.entities]
    assert len(set(ids)) == len(ids)
    assert all(Entity.from_dict(e.to_dict()).content_hash() == e.content_hash() for e in result.entities)


def test_current_grouping_explained(current):
    # 665 rows - 2 exact duplicates = 663 rows over 545 names: 460 names on one row, 85 on 2-4 rows.
    per_entity = Counter(len(e.raw["rows"]) for e in current.entities)
    assert per_entity == {1: 460, 2: 63, 3: 11, 4: 11}
    assert current.published is None and current.stats["latest_update"] == "2023-11-28"


def test_registry_dispatch(data_dir: Path):
    data = (data_dir / VERSIONS[0][0] / "dpl.txt").read_bytes()
    assert len(parse_source(get_source("us-bis-dpl"), _files(data)).entities) == 545


def test_leading_space_rows_grouped_and_id_stable(data_dir: Path, by_name):
    ash = by_name["I. ASH"]  # rows " I. ASH" (line 2) and "I. ASH" (lines 248-249)
    assert len(ash.raw["rows"]) == 3 and len(ash.addresses) == 3
    assert ash.native_id == hashlib.sha1(b"I. ASH").hexdigest()[:12] == native_id(" i.  ash ")
    assert ash.id == f"us-bis-dpl:{ash.native_id}"
    assert ash.listed_on == "2002-03-04"  # earliest Effective_Date (03/04/2002 vs 06/19/2003)
    older = {e.caption: e.id for e in _load(data_dir, VERSIONS[2][0]).entities}
    assert older["I. ASH"] == ash.id  # same party, same id, five years apart


def test_fields(by_name):
    e = by_name["PJSC AEROFLOT"]
    assert e.kind == ORGANIZATION and e.programs == ["DPL"] and e.authority == "US Commerce BIS"
    assert e.listed_on == "2023-09-23"
    assert e.addresses[0].city == "MOSCOW" and e.addresses[0].country == "RU"
    assert any("expires 2024-09-25" in n for n in e.sanctions_notes)
    for entity in by_name.values():
        json.dumps(entity.to_dict())


def test_typo_date_kept_raw(by_name):
    garcia = by_name["JOSE ERNESTO GARCIA"]
    assert [r["Last_Update"] for r in garcia.raw["rows"]] == ["3033-09-30"]
    assert garcia.listed_on == "2022-09-26"


def test_alias_markers_split(by_name):
    sun = by_name["FUYI SUN"]
    assert [(n.text, n.kind) for n in sun.names] == [("FUYI SUN", PRIMARY), ("FRANK SUN", AKA)]
    assert sun.raw["rows"][0]["Name"] == "FUYI SUN A/K/A FRANK SUN"
    assert [n.text for n in by_name["SIBERIAN AIRLINES"].names] == ["SIBERIAN AIRLINES", "S7 AIRLINES"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("PJSC AEROFLOT", ORGANIZATION),
        ("ARROWTRONIC, LLC", ORGANIZATION),
        ("MAHAN AIRWAYS", ORGANIZATION),
        ("GLOBE TRADE", ORGANIZATION),
        ("SUNTRONIC F.Z.E.", ORGANIZATION),
        ("SYNAPTIX.NET", ORGANIZATION),
        ("KIM SONG II", PERSON),  # "II" is a generational suffix, not a legal form
        ("EDWIN NAVARRO MAKASIAR II", PERSON),
        ("AARON ABRAHAM VILLA", PERSON),
        ("ABEL HERNANDEZ, JR.", PERSON),
        ("I. ASH", PERSON),
    ],
)
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def test_kind_split_on_current(current):
    kinds = Counter(e.kind for e in current.entities)
    assert kinds[ORGANIZATION] == current.stats["organizations"] and 90 <= kinds[ORGANIZATION] <= 120


# -- broken input -------------------------------------------------------------------------------------------------
HEADER_LINE = "\t".join(f'"{h}"' for h in HEADER)
ROW = '"ACME TRADING LLC"\t"1 MAIN ST"\t"TOWN"\t"TX"\t"US"\t"75000"\t"02/30/2020"\t""\t"Y"\t"2020-01-01"\t"ADDED"\t"85 F.R. 1"'


def _error(data: bytes) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(_files(data, "bad.txt"), "us-bis-dpl")
    assert info.value.file == "bad.txt"
    return info.value


def test_inline_minimal_with_impossible_date():
    result = parse(_files(f"{HEADER_LINE}\n{ROW}\n{ROW}\n".encode()), "us-bis-dpl")
    (e,) = result.entities
    assert e.kind == ORGANIZATION and e.listed_on is None  # 02/30/2020 does not exist
    assert {k: result.stats[k] for k in ("rows", "duplicate_rows", "bad_dates")} == {
        "rows": 2, "duplicate_rows": 1, "bad_dates": 1
    }


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_file(data):
    assert _error(data).position == "line 1"


def test_missing_header():
    assert _error(f"{ROW}\n".encode()).position == "line 1"


def test_wrong_column_count():
    short = ROW.rsplit("\t", 1)[0]
    assert _error(f"{HEADER_LINE}\n{ROW}\n{short}\n".encode()).position == "line 3"


def test_bad_quoting():
    err = _error(f'{HEADER_LINE}\n"ACME" X"\t"\n'.encode())
    assert err.position.startswith("line ")


@settings(max_examples=fuzz(300), deadline=None)
@given(st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: (HEADER_LINE + "\n" + t).encode("utf-8")),
    st.lists(st.lists(st.text(max_size=12), min_size=11, max_size=13), max_size=5).map(
        lambda rows: "\n".join([HEADER_LINE, *("\t".join(f'"{c}"' for c in r) for r in rows)]).encode("utf-8")
    ),
))
def test_arbitrary_bytes_only_raise_source_error(data: bytes):
    try:
        result = parse(_files(data), "us-bis-dpl")
    except SourceError:
        return
    for e in result.entities:
        json.dumps(e.to_dict())
        assert Entity.from_dict(e.to_dict()).content_hash() == e.content_hash()
