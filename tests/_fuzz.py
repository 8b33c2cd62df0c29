"""Fuzzing budget: CI runs the property tests with their base example counts; a longer run multiplies them
(SANCTIONS_FUZZ_SCALE=50 .venv/bin/pytest -k "arbitrary or fuzz or property" — see docs/RELIABILITY.md)."""

import os

SCALE = max(1, int(os.environ.get("SANCTIONS_FUZZ_SCALE", "1")))


def fuzz(n: int) -> int:
    return n * SCALE
