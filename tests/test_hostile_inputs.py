"""Hostile and malformed inputs through `sanctions load` / `history import`: a clear one-line error naming
the file (and position), a non-zero exit, and the store exactly as before. Inputs are built at test time."""

from __future__ import annotations

import io
import lzma
import tarfile

import pytest

from sanctions.cli import main
from sanctions.store import Store


@pytest.fixture()
def db(tmp_path, current_dir):
    path = tmp_path / "s.db"
    assert main(["--db", str(path), "load", str(current_dir / "un-sc-2026-02-27" / "consolidated.xml"),
                 "--source", "un-sc"]) == 0
    return path


@pytest.fixture(scope="module")
def sdn_lines(current_dir):
    return (current_dir / "ofac-sdn-2024-05-03" / "sdn.csv").read_bytes().split(b"\r\n")


def _state(db):
    with Store(db) as s:
        return [s.db.execute(f"SELECT COUNT(*), MAX(rowid) FROM {t}").fetchone() for t in
                ("snapshot", "entity_version", "change")]


def _refused(db, capsys, args, *expect):
    before = _state(db)
    assert main(["--db", str(db), *args]) != 0
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("sanctions: error: ")
    for e in expect:
        assert e in err, err
    assert _state(db) == before


def test_stray_control_bytes(db, tmp_path, sdn_lines, capsys):
    f = tmp_path / "sdn.csv"
    bad = sdn_lines[5][:20] + b"\x00\x07" + sdn_lines[5][20:]
    f.write_bytes(b"\r\n".join(sdn_lines[:5] + [bad] + sdn_lines[6:]))
    _refused(db, capsys, ["load", str(f), "--source", "us-ofac-sdn"], str(f), "line 6")


def test_50mb_single_field(db, tmp_path, sdn_lines, capsys):
    f = tmp_path / "sdn.csv"
    big = b'99999999,"' + b"A" * (50 * 1024 * 1024) + b'",-0- ,"SDGT"' + b",-0- " * 8
    f.write_bytes(b"\r\n".join(sdn_lines[:3] + [big] + sdn_lines[3:]))
    _refused(db, capsys, ["load", str(f), "--source", "us-ofac-sdn"], str(f), "line 4")


def test_millions_of_columns(db, tmp_path, sdn_lines, capsys):
    f = tmp_path / "sdn.csv"
    f.write_bytes(b"\r\n".join(sdn_lines[:3] + [b"1," + b"x," * 3_000_000 + b"x"] + sdn_lines[3:]))
    _refused(db, capsys, ["load", str(f), "--source", "us-ofac-sdn"], str(f), "line 4")


def test_utf8_bom_is_tolerated(db, tmp_path, current_dir):
    f = tmp_path / "sdn.csv"
    f.write_bytes(b"\xef\xbb\xbf" + (current_dir / "ofac-sdn-2024-05-03" / "sdn.csv").read_bytes())
    assert main(["--db", str(db), "load", str(f), "--source", "us-ofac-sdn", "--published", "2024-05-03"]) == 0
    with Store(db) as s:
        assert s.latest_snapshot("us-ofac-sdn").entity_count == 14965


def test_xml_external_entity_and_bomb(db, tmp_path, capsys):
    xxe = tmp_path / "consolidated.xml"
    xxe.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&e;</FIRST_NAME>"
                    b"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>")
    _refused(db, capsys, ["load", str(xxe), "--source", "un-sc"], str(xxe))
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = tmp_path / "b" / "consolidated.xml"
    bomb.parent.mkdir()
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">{lol}]>'
                    "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&l9;</FIRST_NAME>"
                    "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>")
    _refused(db, capsys, ["load", str(bomb), "--source", "un-sc"], str(bomb))


def test_tar_absolute_member_path(db, tmp_path, capsys):
    bad = tmp_path / "abs.tar"
    with tarfile.open(bad, "w") as t:
        info = tarfile.TarInfo("/etc/sdn-2022-01-01T0000Z.csv")
        info.size = 3
        t.addfile(info, io.BytesIO(b"1,2"))
    _refused(db, capsys, ["history", "import", str(bad), "--source", "us-ofac-sdn"], "unsafe member path")


def test_xz_bomb_is_bounded(db, tmp_path, capsys):
    # A member whose header declares 1 TB: refused from the header, before anything is decompressed.
    bomb = tmp_path / "bomb.tar.xz"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo("sdn-2022-01-01T0000Z.csv")
        info.size = 1 << 40
        t.addfile(info)  # header only: the body is missing, as in a crafted bomb
    bomb.write_bytes(lzma.compress(buf.getvalue()))
    _refused(db, capsys, ["history", "import", str(bomb), "--source", "us-ofac-sdn"], "exceeds the limit")


def test_truncated_archive(db, tmp_path, data_dir, capsys):
    cut = tmp_path / "cut.tar.xz"
    cut.write_bytes((data_dir / "ofac-sdn-history.tar.xz").read_bytes()[:1000])
    _refused(db, capsys, ["history", "import", str(cut), "--source", "us-ofac-sdn"], str(cut))


def test_not_an_archive(db, tmp_path, capsys):
    f = tmp_path / "x.tar.gz"
    f.write_bytes(b"this is not an archive at all")
    _refused(db, capsys, ["history", "import", str(f), "--source", "us-ofac-sdn"], str(f))
