"""Builds the matcher's hot modules (`sanctions._native.COMPILED`) as C extensions with Cython, from their
unchanged Python sources, and records which sources they were built from. Optional: without Cython or a C
compiler, or with SANCTIONS_PURE_PYTHON=1, the package is pure Python and gives the same answers."""

import json
import os
import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
native = runpy.run_path(str(SRC / "sanctions" / "_native.py"))


class BuildNative(build_ext):
    """build_ext that writes the manifest (module -> sha256 of its source) beside the extensions it built."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def run(self):
        super().run()
        built = {
            ext.name: native["source_digest"](native["source_path"](SRC, ext.name))
            for ext in self.extensions
            if Path(self.get_ext_fullpath(ext.name)).exists()
        }
        package_dir = Path(self.get_ext_fullpath("sanctions.x")).parent
        package_dir.mkdir(parents=True, exist_ok=True)
        (package_dir / native["MANIFEST"]).write_text(json.dumps(built, indent=1, sort_keys=True) + "\n")


def extensions():
    if os.environ.get(native["PURE_ENV"], "") not in ("", "0"):
        return []
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError:
        return []
    exts = [
        Extension(m, [str(native["source_path"](SRC, m).relative_to(HERE))], optional=True)
        for m in native["COMPILED"]
    ]
    # annotation_typing off: type hints stay hints (a dict-annotated defaultdict must keep working)
    return cythonize(
        exts,
        build_dir="build/cython",
        compiler_directives={"language_level": 3, "annotation_typing": False},
        quiet=True,
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildNative})
