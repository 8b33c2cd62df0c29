"""Shared fixtures: the real list files live outside the repo (env SANCTIONS_TEST_DATA, default ../shared/data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    return Path(os.environ.get("SANCTIONS_TEST_DATA", REPO.parent / "shared" / "data")).resolve()


def eval_root() -> Path:
    return Path(os.environ.get("SANCTIONS_TEST_EVAL", data_root().parent / "eval" / "dev")).resolve()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    root = data_root()
    if not (root / "MANIFEST.md").exists():
        pytest.fail(f"test data not found at {root} (set SANCTIONS_TEST_DATA)")
    return root


@pytest.fixture(scope="session")
def current_dir(data_dir: Path) -> Path:
    return data_dir / "current"


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    return eval_root()


def archive_head(archive: Path, out: Path, captures: int) -> Path:
    """The first `captures` CSV captures of a history archive, re-packed at test time (never stored in the repo).
    The output's suffix picks the compression (.tar, .tar.gz)."""
    import io
    import tarfile

    mode = "w:gz" if out.name.endswith(".gz") else "w"
    with tarfile.open(archive, "r|xz") as src, tarfile.open(out, mode) as dst:
        n = 0
        for m in src:
            if m.isfile() and m.name.endswith(".csv") and "index" not in m.name:
                dst.addfile(m, io.BytesIO(src.extractfile(m).read()))
                n += 1
                if n == captures:
                    break
    return out
