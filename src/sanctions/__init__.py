"""sanctions: official sanctions lists, every published version, explained screening."""

from sanctions._native import use_sources_if_stale

__version__ = "0.1.0"
MATCHER_BUILD = use_sources_if_stale()  # "compiled" (C extensions built from the current sources) or "source"
