"""Sanctions programs grouped into families for summaries and charts.

Program tags are the publishers' own (OFAC's tags as listed in its "Sanctions Programs and Country
Information" pages and the SDN list's program legend; UN regimes as UN_LIST_TYPE). A family groups the tags
of one policy area so that a chart of three years of changes stays readable. Rules are prefix matches, first
match wins; anything unmatched is "Other".
"""

from __future__ import annotations

FAMILY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Russia / Ukraine / Belarus", ("RUSSIA", "UKRAINE", "BELARUS", "CAATSA - RUSSIA", "PEESA", "BPI-RUSSIA",
                                    "CYBER-EO13757", "MAGNIT")),
    ("Terrorism", ("SDGT", "FTO", "SDT", "FSE-SY", "Al-Qaida", "Taliban", "HOSTAGES", "WEST-BANK")),
    ("Iran", ("IRAN", "IFSR", "IRGC", "IFCA", "ISA", "HRIT-IR", "Iran")),
    ("DPRK / non-proliferation", ("DPRK", "NPWMD", "NKSPEA")),
    ("Narcotics / crime", ("SDNT", "ILLICIT-DRUGS", "TCO", "SDNTK")),
    ("Human rights / corruption", ("GLOMAG", "HRIT", "NICARAGUA", "ELECTION")),
    ("Cyber", ("CYBER",)),
    ("Syria / Iraq / Lebanon", ("SYRIA", "IRAQ", "LEBANON", "Iraq")),
    ("Venezuela / Cuba", ("VENEZUELA", "CUBA")),
    ("Africa", ("SUDAN", "SOUTH SUDAN", "SOUTHSUDAN", "DARFUR", "DRCONGO", "DRC", "CAR", "SOMALIA", "LIBYA",
                "ETHIOPIA", "MALI", "ZIMBABWE")),
    ("Balkans / Burma / other regional", ("BALKANS", "BURMA", "YEMEN", "Yemen", "HAITI", "Haiti", "GB")),
)


def family(program: str) -> str:
    p = program.strip()
    for name, prefixes in FAMILY_RULES:
        if any(p.upper().startswith(x.upper()) for x in prefixes):
            return name
    return "Other"


def families(programs: list[str]) -> list[str]:
    out = sorted({family(p) for p in programs})
    return out or ["Other"]
