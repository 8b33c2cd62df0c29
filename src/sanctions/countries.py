"""Country names as publishers write them ("Korea, North", "Democratic People's Republic of Korea", "Burma")
resolved to ISO 3166 codes and common English names with rigour's territory database (OpenSanctions)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rigour.territories import lookup_territory


@lru_cache(maxsize=4096)
def resolve(text: str) -> tuple[str, str] | None:
    """(code, name) for a country text, e.g. "Korea, North" -> ("kp", "North Korea"); None if unknown."""
    if not text or not text.strip():
        return None
    t = lookup_territory(text.strip())
    return (t.code, t.name) if t is not None else None


def describe(text: str) -> dict[str, Any]:
    hit = resolve(text)
    return {"text": text, "code": hit[0], "name": hit[1]} if hit else {"text": text}


def label(text: str) -> str:
    """'Korea, North (North Korea, kp)' for display; the text alone when it is already the common name."""
    hit = resolve(text)
    if not hit:
        return text
    return f"{text} ({hit[0]})" if hit[1] == text else f"{text} ({hit[1]}, {hit[0]})"


def entity_countries(entity) -> dict[str, list[dict[str, Any]]]:
    """Every country an entity mentions, resolved: what `show --json` adds beside the publisher's text."""
    out = {
        "nationalities": [describe(c) for c in entity.nationalities],
        "citizenships": [describe(c) for c in entity.citizenships],
        "countries": [describe(c) for c in entity.countries],
        "addresses": [describe(a.country) for a in entity.addresses if a.country],
    }
    return {k: v for k, v in out.items() if v}
