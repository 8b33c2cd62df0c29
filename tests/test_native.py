"""The compiled matcher modules (sanctions._native): built here, detected when stale, and giving exactly the
answers of their Python sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import sanctions
from sanctions import _native
from sanctions.cli import main
from sanctions.evaluate import read_tsv

SRC = Path(sanctions.__file__).resolve().parent.parent


@pytest.mark.skipif(os.environ.get(_native.PURE_ENV, "") not in ("", "0"), reason="sources forced")
def test_this_checkout_runs_the_compiled_matcher():
    # scripts/setup builds them: a benchmark of this checkout measures the compiled matcher
    assert sanctions.MATCHER_BUILD == "compiled"
    assert _native.status(SRC) == "compiled"
    from sanctions.match import features

    assert Path(features.__file__).suffix != ".py"


def test_status_follows_the_sources(tmp_path):
    for m in _native.COMPILED:
        src = _native.source_path(SRC, m)
        dst = _native.source_path(tmp_path, m)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    assert _native.status(tmp_path) == "source"
    for m in _native.COMPILED:  # stand-ins for the built extensions: status() reads names, not contents
        base = tmp_path.joinpath(*m.split("."))
        base.with_name(base.name + EXTENSION_SUFFIXES[0]).write_bytes(b"")
    assert _native.status(tmp_path) == "stale"  # no manifest
    manifest = {m: _native.source_digest(_native.source_path(tmp_path, m)) for m in _native.COMPILED}
    (tmp_path / "sanctions" / _native.MANIFEST).write_text(json.dumps(manifest))
    assert _native.status(tmp_path) == "compiled"
    edited = _native.source_path(tmp_path, "sanctions.match.features")
    edited.write_text(edited.read_text() + "\n# edited\n")
    assert _native.status(tmp_path) == "stale"
    edited.unlink()  # installed without its sources: nothing to fall back to, the extensions are used
    assert _native.status(tmp_path) == "compiled"


def test_stale_extensions_give_way_to_the_sources():
    code = (
        "import sys; from sanctions import _native; from pathlib import Path;"
        "_native.status = lambda root: 'stale';"  # as if a source had been edited since the build
        "mode = _native.use_sources_if_stale(); import sanctions.match.features as f, sanctions.screen as s;"
        "print(mode, f.__file__, s.__file__)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    mode, *files = r.stdout.split()
    assert mode == "source" and all(f.endswith(".py") for f in files)
    assert "older sources" in r.stderr


def test_compiled_and_source_answers_are_identical(tmp_path, current_dir, eval_dir):
    db = tmp_path / "s.db"
    assert main(["--db", str(db), "sync", "--from", str(current_dir)]) == 0
    queries = []
    for f in sorted(eval_dir.glob("*.tsv")):
        rows = [r.get("query") or r.get("name") for r in read_tsv(f)]
        queries += [q for q in rows if q][::25]
    stdin = "".join(json.dumps({"id": str(i), "name": q}) + "\n" for i, q in enumerate(queries))
    outputs = []
    for pure in ("0", "1"):
        env = dict(os.environ, SANCTIONS_PURE_PYTHON=pure, SANCTIONS_INDEX_CACHE="0")
        cmd = [sys.executable, "-m", "sanctions", "--db", str(db), "screen", "-", "--threshold", "0.5"]
        outputs.append(subprocess.run(cmd, input=stdin, env=env, capture_output=True, text=True, check=True).stdout)
    assert len(outputs[0].splitlines()) == len(queries) > 300
    assert sum('"entity_id"' in line for line in outputs[0].splitlines()) > 100
    assert outputs[0] == outputs[1]
