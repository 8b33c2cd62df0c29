"""Readers for the official list formats: bytes in, `Entity` objects out, no I/O of their own.

One module per format. Each exposes `parse(files, source) -> ParseResult`, where `files` maps a *role* (the
publisher's file name, e.g. "sdn.csv", "alt.csv", "consolidated.xml") to a `SourceFile`. Parsers raise
`sanctions.model.SourceError` with the file name and line / XML element on bad input.

`SOURCES` below is the registry: which files make up each list, where the publisher serves them, and which
parser reads them. Download code lives in `sanctions.sync`, never here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from sanctions.model import Entity, SourceError


@dataclass
class SourceFile:
    name: str  # path or name shown in error messages
    data: bytes


@dataclass
class ParseResult:
    entities: list[Entity]
    published: str | None = None  # ISO date/datetime stated inside the file, when there is one
    stats: dict[str, Any] = field(default_factory=dict)  # counts worth reporting (orphans, remark coverage ...)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceSpec:
    name: str  # source id, the prefix of entity ids
    title: str
    authority: str
    module: str  # module in sanctions.sources holding parse()
    roles: tuple[str, ...]  # publisher file names that make up one version (lower case)
    required: tuple[str, ...]  # at least one of these must be present
    urls: dict[str, str]  # role -> current official download URL
    folder_prefix: str  # mirror folder name prefix, as in ../shared/data/current (e.g. "ofac-sdn")

    def parser(self):
        return importlib.import_module(f"sanctions.sources.{self.module}").parse


OFAC_SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"

SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in (
        SourceSpec(
            name="us-ofac-sdn",
            title="OFAC Specially Designated Nationals (SDN) List",
            authority="US Treasury OFAC",
            module="ofac",
            roles=("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv", "sdn.xml"),
            required=("sdn.csv", "sdn.xml"),
            urls={
                "sdn.csv": f"{OFAC_SLS}/SDN.CSV",
                "add.csv": f"{OFAC_SLS}/ADD.CSV",
                "alt.csv": f"{OFAC_SLS}/ALT.CSV",
                "sdn_comments.csv": f"{OFAC_SLS}/SDN_COMMENTS.CSV",
            },
            folder_prefix="ofac-sdn",
        ),
        SourceSpec(
            name="us-ofac-cons",
            title="OFAC Consolidated (non-SDN) Sanctions List",
            authority="US Treasury OFAC",
            module="ofac",
            roles=("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv", "consolidated.xml"),
            required=("cons_prim.csv", "consolidated.xml"),
            urls={
                "cons_prim.csv": f"{OFAC_SLS}/CONS_PRIM.CSV",
                "cons_add.csv": f"{OFAC_SLS}/CONS_ADD.CSV",
                "cons_alt.csv": f"{OFAC_SLS}/CONS_ALT.CSV",
                "cons_comments.csv": f"{OFAC_SLS}/CONS_COMMENTS.CSV",
            },
            folder_prefix="ofac-cons",
        ),
        SourceSpec(
            name="un-sc",
            title="UN Security Council Consolidated List",
            authority="UN Security Council",
            module="un_xml",
            roles=("consolidated.xml",),
            required=("consolidated.xml",),
            urls={"consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
            folder_prefix="un-sc",
        ),
        SourceSpec(
            name="us-bis-dpl",
            title="BIS Denied Persons List",
            authority="US Commerce BIS",
            module="bis_dpl",
            roles=("dpl.txt",),
            required=("dpl.txt",),
            urls={"dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"},
            folder_prefix="bis-dpl",
        ),
        SourceSpec(
            name="gb-hmt",
            title="UK HM Treasury (OFSI) Consolidated List",
            authority="UK HM Treasury OFSI",
            module="uk_hmt",
            roles=("conlist.csv",),
            required=("conlist.csv",),
            urls={"conlist.csv": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"},
            folder_prefix="uk-hmt",
        ),
    )
}

# File names publishers (and mirrors) use for the same role.
ROLE_ALIASES = {"sanctionsconlist.csv": "conlist.csv", "un_consolidated.xml": "consolidated.xml"}


def safe_xml_parser():
    """The one XML parser every reader uses: no entity resolution, no network, no DTD loading, no huge trees
    (XXE and entity-expansion bombs are refused, not expanded)."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def get_source(name: str) -> SourceSpec:
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise SourceError(f"unknown source {name!r} (known: {known})") from None


def role_of(spec: SourceSpec, filename: str) -> str | None:
    base = filename.rsplit("/", 1)[-1].lower()
    base = ROLE_ALIASES.get(base, base)
    return base if base in spec.roles else None


def parse(spec: SourceSpec, files: dict[str, SourceFile]) -> ParseResult:
    """Parse one published version of `spec` from its files (role -> SourceFile)."""
    if not any(r in files for r in spec.required):
        names = ", ".join(f.name for f in files.values()) or "no files"
        raise SourceError(f"{spec.name} needs one of {', '.join(spec.required)}; got {names}")
    return spec.parser()(files, spec.name)
