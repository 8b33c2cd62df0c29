"""OFAC lists (SDN and consolidated non-SDN): pick the reader for the files at hand.

OFAC publishes each list both as an XML export and as a legacy CSV set; mirrors hold one or the other. The
XML is preferred when present because it is richer (alias strength, structured ids, publication date).
"""

from __future__ import annotations

from collections.abc import Mapping

from sanctions.sources import ParseResult, SourceFile, ofac_csv, ofac_xml


def parse(files: Mapping[str, SourceFile], source: str) -> ParseResult:
    """Parse one OFAC version: roles "sdn.xml"/"consolidated.xml" -> XML reader, else the CSV reader."""
    if any(r in files for r in ofac_xml.XML_ROLES):
        result = ofac_xml.parse(files, source)
        ignored = sorted(r for r in files if r not in ofac_xml.XML_ROLES)
        if ignored:
            result.warnings.append(f"XML export used; CSV files ignored: {', '.join(ignored)}")
        return result
    return ofac_csv.parse(files, source)
