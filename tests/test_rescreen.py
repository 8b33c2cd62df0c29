"""rescreen --since: the inverse lookup (customers indexed, new designations as queries) confirmed by the forward
scorer gives exactly the alerts a full re-screen gives on the changed entities."""

from __future__ import annotations

import csv
import random

import pytest

from sanctions.batch import synth
from sanctions.batch.rescreen import changed_entities
from sanctions.cli import main
from sanctions.evaluate import load_un
from sanctions.screen import Screener
from sanctions.store import Store

AS_OF = "2022-01-12"


@pytest.fixture(scope="module")
def db(tmp_path_factory, data_dir) -> str:
    path = str(tmp_path_factory.mktemp("rescreen") / "hist.db")
    assert main(["--db", path, "history", "import", str(data_dir / "ofac-sdn-history.tar.xz"),
                 "--source", "us-ofac-sdn"]) == 0
    return path


def _write_customers(path, names: list[str]):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name"])
        for i, n in enumerate(names):
            w.writerow([f"K{i}", n])
    return path


def _rescreen(db: str, customers, out) -> list[tuple]:
    """`sanctions rescreen` since 2022-01-11 as of AS_OF: its alerts as (query id, entity id, score)."""
    assert main(["--db", db, "rescreen", str(customers), "--since", "2022-01-11", "--as-of", AS_OF,
                 "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        return [(r["query_id"], r["entity_id"], float(r["score"])) for r in csv.DictReader(fh)]


def _changed_view(db: str, eval_dir) -> tuple[list[str], Screener, list, list[str]]:
    """The ids changed since 2022-01-11, the screener as of AS_OF, those entities, and the negative names."""
    ids, _ = changed_entities(Store(db, readonly=True), "2022-01-11", AS_OF)
    screener = Screener.from_store(Store(db, readonly=True), as_of=AS_OF)
    changed = [e for e in screener.index.entities if e.id in set(ids)]
    return ids, screener, changed, synth.negatives(eval_dir / "D_negatives.tsv")


def _full_screen(screener: Screener, names: list[str], wanted: set[str]) -> list[tuple]:
    """What a full re-screen alerts on the changed entities, in input order."""
    return [(f"K{i}", m.entity_id, m.score) for i, n in enumerate(names) for m in screener.screen(n)
            if m.entity_id in wanted]


def test_rescreen_equals_full_screen_on_changed(db, eval_dir, tmp_path, capsys):
    store = Store(db, readonly=True)
    ids, snaps = changed_entities(store, "2022-01-11", AS_OF)
    assert snaps and ids, "the 2022-01-12 update should carry changes"
    screener = Screener.from_store(store, as_of=AS_OF)
    changed = [e for e in screener.index.entities if e.id in set(ids)]
    older = random.Random(3).sample([e for e in screener.index.entities if e.id not in set(ids)], 150)
    rng = random.Random(11)
    neg = synth.negatives(eval_dir / "D_negatives.tsv")
    names = rng.sample(neg, 2500)
    for e in changed:
        for n in e.names:
            names += [synth.perturb(n.text, rng), n.text]
    names += [synth.perturb(e.names[0].text, rng) for e in older if e.names]
    rng.shuffle(names)
    customers = _write_customers(tmp_path / "customers.csv", names)
    out = tmp_path / "new.csv"
    got = _rescreen(db, customers, out)
    full = _full_screen(screener, names, set(ids))
    assert len(full) >= len(changed), "the perturbed new designations should alert"
    assert got == full
    # a second run on the same file reads the customer index kept beside the store, and answers the same
    assert "customer index built" in capsys.readouterr().err
    out2 = tmp_path / "new2.csv"
    _rescreen(db, customers, out2)
    assert "customer index read" in capsys.readouterr().err
    assert out2.read_bytes() == out.read_bytes()
    # an edited customer file is a new key: built again
    with open(customers, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["K-extra", "Someone Else Entirely"])
    _rescreen(db, customers, tmp_path / "new3.csv")
    assert "customer index built" in capsys.readouterr().err


RR = {"kim": "Gim", "song": "Seong", "choe": "Choi", "myong": "Myeong", "hyon": "Hyeon", "kwang": "Gwang",
      "chol": "Cheol", "jong": "Jeong", "sok": "Seok", "ryol": "Ryeol", "yong": "Yeong", "pyon": "Byeon"}


def _revised_romanisation(name: str) -> str:
    """A McCune-Reischauer-style listed name ("KIM, Kwang Chol") written in Revised Romanisation with the given
    names run together ("Gim GwangCheol"), as a bank's customer record may have it."""
    surname, _, given = name.partition(",")
    parts = [RR.get(t.lower(), t.capitalize()) for t in given.replace("-", " ").split()]
    return f"{RR.get(surname.strip().lower(), surname.strip().capitalize())} {''.join(parts)}"


def test_rescreen_equals_full_screen_on_romanisation_variants(db, eval_dir, tmp_path):
    """Revised-Romanisation variants of the new designations, among many customers sharing their surnames:
    rescreen gives exactly the alerts the full screen gives on the changed entities."""
    ids, screener, changed, negatives = _changed_view(db, eval_dir)
    rng = random.Random(5)
    names = rng.sample(negatives, 500)
    # common surnames among the customers make those keys weigh little, as in a real book
    surnames = sorted({n.partition(",")[0].strip().title() for e in changed for n in (x.text for x in e.names)
                       if "," in n})
    names += [f"{rng.choice(surnames)} {rng.choice(negatives).split()[-1]}" for _ in range(600)]
    for e in changed:
        for n in e.names:
            names += [n.text] * 3 + [_revised_romanisation(n.text)]
    customers = _write_customers(tmp_path / "customers.csv", names)
    got = _rescreen(db, customers, tmp_path / "new.csv")
    full = _full_screen(screener, names, set(ids))
    variants = {f"K{i}" for i, n in enumerate(names) if n in {_revised_romanisation(x.text) for e in changed
                                                               for x in e.names}}
    assert {q for q, _e, _s in full} & variants, "some romanisation variants should alert"
    assert got == full


def test_inverse_lookup_keeps_every_customer_sharing_a_key():
    """Regression: the inverse lookup once kept only customers whose key overlap came within 35 % of the best
    one's (the forward screen's candidate cut), so on a 1M-row file 107 of the 190 alerts a full re-screen gives
    were never confirmed (romanisation variants such as a run-together given name, sharing few exact keys). The
    confirmation decides; the lookup must not."""
    from sanctions.batch.rescreen import CustomerIndex
    from sanctions.model import PERSON, Entity, Name

    strong = [f"KIM Kwang Chol {x}" for x in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf",
                                             "Hotel", "India", "Juliet", "Kilo", "Lima", "Mike", "November")]
    weak = "Kim Minjun"  # shares only the surname key
    rows = [(i, n, PERSON, None, None, None, f"K{i}", ()) for i, n in enumerate([*strong, weak, "Nobody Else"])]
    cidx = CustomerIndex(rows)
    designation = Entity(id="x:1", source="x", native_id="1", kind=PERSON, names=[Name("KIM, Kwang Chol")])
    found = {cidx.groups[g][0] for g in cidx.candidates(designation)}
    assert weak in found and set(strong) <= found and "Nobody Else" not in found


def _write_customers_with_facts(path, rows: list[tuple[str, str, str, str]]):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "type", "birth_date", "nationality"])
        for i, (n, kind, dob, nat) in enumerate(rows):
            w.writerow([f"K{i}", n, kind, dob, nat])
    return path


def test_rescreen_equals_full_screen_with_facts_and_types(db, eval_dir, tmp_path):
    """Customers with a type, birth date and nationality: a name just below the threshold that agreeing facts
    lift must still be confirmed (the bound adds the most facts can add), and disagreeing facts must not alert;
    rescreen equals the full screen."""
    ids, screener, changed, negatives = _changed_view(db, eval_dir)
    rng = random.Random(17)
    rows = [(n, rng.choice(["", "person", "organization"]), "", "") for n in rng.sample(negatives, 400)]
    for e in changed:
        dob = e.birth_dates[0].value if e.birth_dates else ""
        nat = e.nationalities[0] if e.nationalities else ""
        for n in e.names:
            for _ in range(3):
                variant = synth.perturb(synth.perturb(n.text, rng), rng)  # often just below the threshold
                rows.append((variant, e.kind, dob, nat))
                rows.append((variant, "", "1901-01-01", "Chile"))  # same name, facts that disagree
    rng.shuffle(rows)
    customers = _write_customers_with_facts(tmp_path / "customers.csv", rows)
    got = _rescreen(db, customers, tmp_path / "new.csv")
    full = [(f"K{i}", m.entity_id, m.score) for i, (n, kind, dob, nat) in enumerate(rows)
            for m in screener.screen(n, kind=kind or None, birth_date=dob or None, nationality=nat or None)
            if m.entity_id in set(ids)]
    assert len(full) >= len(changed)
    assert got == full


def test_customer_index_prepares_names_as_the_forward_screen():
    """The customer index hands the re-screen each name as `Query.make` would prepare it (as a person, and
    with legal forms taken out), so reusing its forms changes no score."""
    from sanctions.batch.rescreen import CustomerIndex
    from sanctions.match.features import Query

    names = ["OOO Parsek", "ООО Парсек", "Dr. Ali bin Hassan al-Tikriti", "CH'OE, Myo'ng-hyo'n",
             "Acme Trading Co., Ltd.", "S.A. de C.V. Grupo Uno", "M/V Ocean Star 7", "金正恩", "Mr J. Smith Jr",
             "ZARIF, Abdul", "Rashid Abdul TORVANI"]
    kinds = [None, "person", "organization", "vessel"]
    rows = [(i, n, k, None, None, None, f"K{i}", ()) for i, (n, k) in
            enumerate((n, k) for n in names for k in kinds)]
    cidx = CustomerIndex(rows)
    assert len(cidx.groups) == len(rows)
    for g, (name, kind, _members) in enumerate(cidx.groups):
        ref = Query.make(name, kind)
        got = cidx.query(g)
        assert (got.prepared, got.prepared_org) == (ref.prepared, ref.prepared_org), (name, kind)
        assert got.alternates == ref.alternates, (name, kind)  # SURNAME, ABDUL and Given ABDUL SURNAME read both ways


def test_inverse_lookup_finds_a_name_read_two_ways():
    """A customer ZARIF, Abdul is read both as ABDUL ZARIF and as ZARIF with a bare ABDUL (`readings`); the
    designation ZARIF, Abul matches only the second, and the inverse lookup and its confirmation must find it as
    the forward screen does."""
    from sanctions.batch.rescreen import CustomerIndex
    from sanctions.model import PERSON, Entity, Name

    rows = [(i, n, PERSON, None, None, None, f"K{i}", ()) for i, n in enumerate(["ZARIF, Abdul", "Nobody Else"])]
    cidx = CustomerIndex(rows)
    designation = Entity(id="x:1", source="x", native_id="1", kind=PERSON, names=[Name("ZARIF, Abul")])
    screener = Screener.from_entities([designation])
    assert [m.entity_id for m in screener.screen("ZARIF, Abdul", kind="person")] == ["x:1"]
    found = cidx.candidates(designation)
    assert [cidx.groups[g][0] for g in found] == ["ZARIF, Abdul"]
    (g,) = found
    assert screener.best_name_score(cidx.query(g), screener.index.names) >= screener.settings.threshold


def test_rescreen_watch_follows_a_sync_from_another_process(data_dir, eval_dir, tmp_path):
    """`rescreen --watch` keeps the customer file and its index in memory; when another process syncs a new list
    version into the store, it re-screens only what that version changed, and writes exactly what a one-off
    `rescreen --since <the previous snapshot>` writes."""
    import shutil
    import subprocess
    import sys
    import time

    old = tmp_path / "old" / "un-sc-2025-11-20"
    old.mkdir(parents=True)
    shutil.copy(data_dir / "older" / "un-sc-2025-11-20" / "consolidated.xml", old)
    db = str(tmp_path / "watch.db")
    assert main(["--db", db, "sync", "--from", str(tmp_path / "old")]) == 0
    first = Store(db, readonly=True).latest_snapshot("un-sc").id
    new_un = load_un(data_dir)  # the version the sync will bring
    rng = random.Random(23)
    names = rng.sample(synth.negatives(eval_dir / "D_negatives.tsv"), 300)
    names += [n for e in new_un if e.names for n in (e.names[0].text, synth.perturb(e.names[0].text, rng))]
    customers = _write_customers(tmp_path / "customers.csv", names)
    out = tmp_path / "alerts.csv"
    proc = subprocess.Popen([sys.executable, "-m", "sanctions", "--db", db, "rescreen", str(customers), "--since",
                             str(first), "--watch", "--interval", "0.3", "--max-updates", "1", "--out", str(out)],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 120
        while "watching" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "rescreen --watch exited early"
        assert main(["--db", db, "sync", "--from", str(data_dir / "current"), "--sources", "un-sc"]) == 0
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    second = Store(db, readonly=True).latest_snapshot("un-sc").id
    assert second != first
    watched = tmp_path / f"alerts.{second}.csv"
    assert watched.is_file(), list(tmp_path.iterdir())
    reference = tmp_path / "reference.csv"
    assert main(["--db", db, "rescreen", str(customers), "--since", str(first), "--out", str(reference)]) == 0
    with open(reference, newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) > 0, "the new UN version should bring alerts"
    assert watched.read_bytes() == reference.read_bytes()
