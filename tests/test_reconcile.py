"""Reconcile announcements with the stored OFAC history: the seed article (Yonhap, 2022-01-12 DPRK action) and
press releases written for these tests in Treasury's style about other real changes of the archive. One store
for the module: the 308-capture history plus the current SDN files (their add.csv gives the addresses the
history captures lack)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from sanctions.cli import main
from sanctions.reconcile import reconcile
from sanctions.reconcile.extract import extract_claims
from sanctions.reconcile.report import render
from sanctions.store import Store

SEED_UIDS = ["27207", "27208", "27209", "27211", "27212", "34456", "34457", "34458"]

# Written for these tests (not a real release): the 2022-01-18 capture adds three Lebanese individuals and one
# Lebanese travel agency under SDGT.
HIZBALLAH = """Treasury Targets Lebanon-Based Money Movers for Hizballah

WASHINGTON - On Tuesday, the U.S. Department of the Treasury's Office of Foreign Assets Control (OFAC) designated \
three Lebanese individuals and one Lebanon-based company that raise and move funds for Hizballah, which is \
designated as a Specially Designated Global Terrorist.

The individuals sanctioned today are Adel Diab, Ali Mohamad Daoun and Jihad Salim Alamah. OFAC also designated \
Dar Al-Salam for Travel and Tourism, a travel agency in Lebanon that Daoun controls.

"Hizballah continues to exploit legitimate businesses to finance its terrorist activities," a senior Treasury \
official said.
"""

# Written for these tests: the capture of 2021-12-16 01:42Z adds eight parties under the new illicit-drugs order
# and adds that program to seventeen existing narcotics entries (a program added, not an addition).
PRECURSORS = """Treasury Sanctions Suppliers of Synthetic Drug Precursors Under New Executive Order

WASHINGTON - On Wednesday, the Treasury Department's Office of Foreign Assets Control (OFAC) designated four \
China-based companies and one Chinese national that supply precursor chemicals for fentanyl and other illicit \
drugs, as well as three criminal organizations in Mexico and Brazil, pursuant to Executive Order 14059.

OFAC also took action against established drug trafficking organizations already on the list, including the \
Sinaloa Cartel and Cartel de Jalisco Nueva Generacion, which are now also designated under the new order.

The companies include Hebei Atun Trading Co., Ltd. and Wuhan Yuancheng Gongchuang Technology Co., Ltd., which \
advertised fentanyl precursors online.
"""

# Written for these tests, with no names at all: the 2021-10-06 capture adds four Mexican individuals (SDNTK).
PORT = """Treasury Designates Drug Traffickers Operating Through a Pacific Port

WASHINGTON - The U.S. Department of the Treasury's Office of Foreign Assets Control (OFAC) on Wednesday designated \
four Mexican nationals based in Mexico who smuggle narcotics and launder proceeds through a Pacific port, pursuant \
to the Foreign Narcotics Kingpin Designation Act.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory, data_dir):
    path = tmp_path_factory.mktemp("reconcile") / "r.db"
    archive = data_dir / "ofac-sdn-history.tar.xz"
    assert main(["--db", str(path), "history", "import", str(archive), "--source", "us-ofac-sdn"]) == 0
    assert main(["--db", str(path), "sync", "--from", str(data_dir / "current"), "--sources", "us-ofac-sdn"]) == 0
    return path


@pytest.fixture(scope="module")
def seed_text(data_dir):
    return (data_dir.parent / "articles" / "yonhap-us-designates-six-north-koreans.txt").read_text()


def _run(capsys, argv, stdin: str | None = None) -> tuple[int, str]:
    capsys.readouterr()
    if stdin is not None:
        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            rc = main(argv)
        finally:
            sys.stdin = old
    else:
        rc = main(argv)
    return rc, capsys.readouterr().out


def _by_summary(claims: list[dict], text: str) -> dict:
    hits = [c for c in claims if text in c["summary"]]
    assert hits, f"no claim {text!r} in {[c['summary'] for c in claims]}"
    return hits[0]


# -- extraction (no store) ------------------------------------------------------------------------------------------
def test_seed_claims_extracted(seed_text):
    claims, context = extract_claims(seed_text, "2022-01-13")
    counts = {(c.count, c.kind, c.nationality, c.location, c.authority, c.additional)
              for c in claims if c.type == "count"}
    assert (6, "person", "kp", None, "us", False) in counts
    assert (5, "person", "kp", None, "treasury", False) in counts
    assert (1, "person", "kp", "ru", "state", True) in counts  # "an additional North Korean individual based in"
    assert (1, "person", "ru", None, "state", False) in counts  # "one Russian national"
    assert (1, "organization", "ru", None, "state", False) in counts  # "a Russian entity"
    breakdown = {(c.count, c.location) for c in claims if c.type == "location"}
    assert breakdown == {(1, "ru"), (4, "cn")}
    assert {c.authority for c in claims if c.type == "authority"} == {"us", "treasury", "state"}
    named = [c for c in claims if c.type == "named" and c.role == "legal-form"]
    assert [c.name for c in named] == ["Parsek LLC"]
    assert named[0].kind == "organization" and named[0].nationality == "ru"
    assert {c.motive for c in claims if c.type == "motive"} >= {
        "weapons of mass destruction / proliferation", "ballistic missiles"}
    action = [c for c in claims if c.type == "date"]
    assert [(c.date_text, c.date) for c in action] == [("Wednesday", "2022-01-12")]
    assert ("Tuesday", "2022-01-11") in {(c.date_text, c.date) for c in context}
    # speakers and officials are not named parties
    assert not any(c.type == "named" and "Price" in (c.name or "") for c in claims)


def test_dates_unresolved_without_publication(seed_text):
    claims, _ = extract_claims(seed_text)
    (d,) = [c for c in claims if c.type == "date"]
    assert d.date is None and d.weekday == 2


# -- the seed article -----------------------------------------------------------------------------------------------
def test_seed_without_date_picks_2022_01_12(db, capsys, data_dir):
    article = data_dir.parent / "articles" / "yonhap-us-designates-six-north-koreans.txt"
    rc, out = _run(capsys, ["--db", str(db), "reconcile", str(article), "--json"])
    assert rc == 0
    result = json.loads(out)
    change = result["change"]
    assert change["published"] == "2022-01-12T18:51:57Z"
    assert sorted(e["native_id"] for e in result["entries"]) == SEED_UIDS
    assert result["other_entries"] == []
    claims = result["claims"]
    six = _by_summary(claims, "6 individuals of nationality North Korea")
    assert six["status"] == "confirmed" and len(six["entity_ids"]) == 6
    five = _by_summary(claims, "5 individuals of nationality North Korea (by US Treasury")
    assert five["status"] == "confirmed"
    russia = _by_summary(claims, "1 of them based in Russia")
    china = _by_summary(claims, "4 of them based in China")
    assert russia["status"] == china["status"] == "confirmed"
    assert russia["parent"] == china["parent"] == five["id"]
    assert "addresses" in china["fields"] and "the 2022-01-12T18:51:57Z capture has none" in china["evidence"]
    assert {i.split(":")[1] for i in china["entity_ids"]} == {"27207", "27208", "27211", "27212"}
    extra = _by_summary(claims, "an additional individual of nationality North Korea based in Russia")
    assert extra["status"] == "confirmed" and "2 needed" in extra["evidence"]
    assert _by_summary(claims, "1 individual of nationality Russia")["entity_ids"] == ["us-ofac-sdn:34457"]
    parsek = _by_summary(claims, "named party: Parsek LLC")
    assert parsek["status"] == "confirmed" and parsek["entity_ids"] == ["us-ofac-sdn:34458"]
    assert _by_summary(claims, "1 entity of nationality Russia")["status"] == "confirmed"
    assert _by_summary(claims, "motive / program: ballistic missiles")["status"] == "confirmed"
    date = _by_summary(claims, "action date")
    assert date["status"] == "not verifiable" and "Wednesday" in date["evidence"]
    assert not [c for c in claims if c["status"] == "contradicted"]


def test_seed_with_published_resolves_wednesday(db, capsys, seed_text):
    rc, out = _run(capsys, ["--db", str(db), "reconcile", "-", "--published", "2022-01-13", "--json"], seed_text)
    assert rc == 0
    result = json.loads(out)
    assert result["change"]["published"] == "2022-01-12T18:51:57Z"
    date = _by_summary(result["claims"], "action date")
    assert date["date"] == "2022-01-12" and date["status"] == "confirmed"
    assert sorted(e["native_id"] for e in result["entries"]) == SEED_UIDS


def test_seed_human_report(db, capsys, data_dir):
    article = data_dir.parent / "articles" / "yonhap-us-designates-six-north-koreans.txt"
    rc, out = _run(capsys, ["--db", str(db), "reconcile", str(article), "--published", "2022-01-13"])
    assert rc == 0
    assert "Picked change: us-ofac-sdn version published 2022-01-12T18:51:57Z" in out
    assert "Entries of this change the text refers to (8 of 8)" in out
    assert "PARSEK LLC" in out and "confirmed" in out


# -- press releases written for the tests ---------------------------------------------------------------------------
def test_hizballah_release_without_date(db):
    with Store(db, readonly=True) as store:
        r = reconcile(store, HIZBALLAH)
    best = r.best
    assert best.candidate.snapshot.published.startswith("2022-01-18")
    assert sorted(i.split(":")[1] for i in best.referred) == ["34436", "34437", "34438", "34439"]
    status = {v.claim.summary(): v.status for v in best.verdicts}
    assert status["3 individuals of nationality Lebanon (by US Treasury (OFAC))"] == "confirmed"
    assert status["motive / program: terrorism"] == "confirmed"
    named = {v.claim.name: v for v in best.verdicts if v.claim.type == "named"}
    assert set(named) == {"Adel Diab", "Ali Mohamad Daoun", "Jihad Salim Alamah", "Dar Al-Salam for Travel and Tourism"}
    assert all(v.status == "confirmed" for v in named.values())
    assert best.score > r.ranked[1].score + 5
    text = render(r)
    assert "DAR AL SALAM FOR TRAVEL & TOURISM" in text


def test_program_added_to_existing_entries(db):
    with Store(db, readonly=True) as store:
        r = reconcile(store, PRECURSORS, published="2021-12-15")
    best = r.best
    assert best.candidate.snapshot.published == "2021-12-16T01:42:52Z"
    verdicts = {v.claim.summary(): v for v in best.verdicts}
    cartel = verdicts["named party: Sinaloa Cartel"]
    assert cartel.status == "confirmed"
    (entry,) = [e for e in best.candidate.entries if e.id == cartel.entity_ids[0]]
    assert entry.change == "program added" and any(p.startswith("ILLICIT-DRUGS") for p in entry.programs_added)
    assert verdicts["4 entities based in China (by US Treasury (OFAC))"].status == "confirmed"
    assert verdicts["action date: 2021-12-15 (Wednesday)"].status == "confirmed"
    assert verdicts["motive / program: narcotics trafficking"].status == "confirmed"
    names = {v.claim.name for v in best.verdicts if v.claim.type == "named" and v.status == "confirmed"}
    assert {"Hebei Atun Trading Co. Ltd.", "Wuhan Yuancheng Gongchuang Technology Co. Ltd."} <= names


def test_counts_only_with_date(db):
    with Store(db, readonly=True) as store:
        r = reconcile(store, PORT, published="2021-10-07")
    best = r.best
    assert best.candidate.snapshot.published.startswith("2021-10-06")
    assert sorted(i.split(":")[1] for i in best.referred) == ["32331", "32332", "32335", "32674"]


def test_contradicted_count(db):
    """The same release with a wrong count: the change is still found by its names, the count is contradicted."""
    with Store(db, readonly=True) as store:
        r = reconcile(store, HIZBALLAH.replace("three Lebanese individuals", "five Lebanese individuals"))
    best = r.best
    assert best.candidate.snapshot.published.startswith("2022-01-18")
    (count,) = [v for v in best.verdicts if v.claim.type == "count" and v.claim.kind == "person"]
    assert count.status == "contradicted" and "the text says 5" in count.evidence


def test_bad_input(db, capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    assert main(["--db", str(db), "reconcile", str(empty)]) == 2
    assert main(["--db", str(db), "reconcile", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
