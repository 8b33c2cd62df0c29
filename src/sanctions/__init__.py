"""sanctions: official sanctions lists, every published version, explained screening."""

__version__ = "0.1.0"
