"""The matcher's hot modules compiled to C (Cython, pure-Python mode), with the Python sources as the truth.

`setup.py` compiles the modules in `COMPILED` from their unchanged `.py` files (about 25 % off a query's time) and
records the sha256 of each source it compiled in `_native.json`. Python prefers an extension module to a source
file of the same name, so an edited source would be shadowed by its stale compiled form: `use_sources_if_stale()`
(run when `sanctions` is imported) then imports every listed module from its source instead, all or none, and says
so on stderr once. `SANCTIONS_PURE_PYTHON=1` forces the sources (and skips compiling at build time).
Standard library only: `setup.py` loads this file before anything is installed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

# bottom-up; the names are the files under src/
COMPILED = (
    "sanctions.match.korean",
    "sanctions.match.normalize",
    "sanctions.match.features",
    "sanctions.match.index",
    "sanctions.screen",
)
MANIFEST = "_native.json"  # in the sanctions package: {module: sha256 of the source it was compiled from}
PURE_ENV = "SANCTIONS_PURE_PYTHON"


def source_path(root: Path, module: str) -> Path:
    """The source file of `module` under `root`, the directory that holds the `sanctions` package."""
    return root.joinpath(*module.split(".")).with_suffix(".py")


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _has_extension(root: Path, module: str) -> bool:
    base = root.joinpath(*module.split("."))
    return any(base.with_name(base.name + suffix).exists() for suffix in EXTENSION_SUFFIXES)


def status(root: Path) -> str:
    """"compiled" (every module's extension is there and built from its current source), "stale" (some extension
    is there but it, or another, is missing or was built from another source) or "source" (no extension)."""
    present = [m for m in COMPILED if _has_extension(root, m)]
    if not present:
        return "source"
    try:
        built = json.loads((root / "sanctions" / MANIFEST).read_text())
    except (OSError, ValueError):
        return "stale"
    try:
        fresh = all(m in present and built.get(m) == source_digest(source_path(root, m)) for m in COMPILED)
    except OSError:  # an install without the sources: nothing to fall back to
        return "compiled" if len(present) == len(COMPILED) else "stale"
    return "compiled" if fresh else "stale"


class _SourceFinder:
    """Finds the listed modules' `.py` files ahead of their extension modules."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, name, path=None, target=None):
        if name not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(name, source_path(self.root, name))


def use_sources_if_stale() -> str:
    """Import the listed modules from their sources if their extensions are stale or `SANCTIONS_PURE_PYTHON` is
    set; returns what the matcher runs as: "compiled" or "source"."""
    root = Path(__file__).resolve().parent.parent
    mode = status(root)
    forced = os.environ.get(PURE_ENV, "") not in ("", "0")
    if mode == "source" or (mode == "compiled" and not forced):
        return mode
    if not forced:
        print(
            "sanctions: the compiled matcher modules were built from older sources; using the sources "
            "(rebuild with: pip install -e .)",
            file=sys.stderr,
        )
    if not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(root))
    return "source"
