"""FollowTheMoney export: one FtM entity per listed party (Person / Organization / Vessel / Airplane) plus a
Sanction entity carrying program and authority, as OpenSanctions publishes them. Built with the
`followthemoney` library so that property names and value types are checked by the data model itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from followthemoney import model

from sanctions.model import AIRCRAFT, FKA, ORGANIZATION, PERSON, PRIMARY, VESSEL, WEAK, Entity

SCHEMA = {PERSON: "Person", ORGANIZATION: "Organization", VESSEL: "Vessel", AIRCRAFT: "Airplane"}
ID_PROPS = {  # identifier type (lower-case prefix) -> FtM property, where the schema has one
    "passport": "passportNumber",
    "tax id": "taxNumber",
    "inn": "innCode",
    "swift/bic": "swiftBic",
    "imo": "imoNumber",
    "mmsi": "mmsi",
}


def _add(proxy, prop: str, value: Any) -> None:
    if value and prop in proxy.schema.properties:
        proxy.add(prop, value, quiet=True)  # cleaned by FtM: countries -> ISO codes, dates checked


def to_ftm(e: Entity) -> Iterator[dict[str, Any]]:
    proxy = model.make_entity(SCHEMA.get(e.kind, "LegalEntity"))
    proxy.id = e.id
    for n in e.names:
        if n.kind == PRIMARY:
            _add(proxy, "name", n.text)
        elif n.strength == WEAK:
            _add(proxy, "weakAlias", n.text)
        elif n.kind == FKA:
            _add(proxy, "previousName", n.text)
        else:
            _add(proxy, "alias", n.text)
    for d in e.birth_dates:
        _add(proxy, "birthDate", d.value)
    for p in e.birth_places:
        _add(proxy, "birthPlace", p)
    for c in e.nationalities:
        _add(proxy, "nationality", c)
    for c in e.citizenships:
        _add(proxy, "citizenship", c)
    for c in e.countries:
        _add(proxy, "country", c)
    _add(proxy, "gender", (e.gender or "").lower())
    _add(proxy, "title", e.title)
    for i in e.identifiers:
        prop = next((p for k, p in ID_PROPS.items() if i.type.lower().startswith(k)), None)
        if prop not in proxy.schema.properties:
            prop = "idNumber" if e.kind == PERSON else "registrationNumber"
        _add(proxy, prop, i.number)
    for a in e.addresses:
        _add(proxy, "address", a.text())
    for x in e.emails:
        _add(proxy, "email", x)
    for x in e.websites:
        _add(proxy, "website", x)
    for x in e.phones:
        _add(proxy, "phone", x)
    for x in e.programs:
        _add(proxy, "program", x)
    _add(proxy, "notes", "; ".join(e.remarks))
    _add(proxy, "topics", "sanction")
    if e.kind == VESSEL:
        _add(proxy, "flag", e.vessel.get("flag"))
        _add(proxy, "callSign", e.vessel.get("call_sign"))
        _add(proxy, "type", e.vessel.get("type"))
        _add(proxy, "tonnage", e.vessel.get("tonnage"))
        _add(proxy, "grossRegisteredTonnage", e.vessel.get("grt"))
        _add(proxy, "imoNumber", e.vessel.get("imo"))
        _add(proxy, "mmsi", e.vessel.get("mmsi"))
    yield proxy.to_dict()
    sanction = model.make_entity("Sanction")
    sanction.id = f"{e.id}:sanction"
    sanction.add("entity", e.id)
    _add(sanction, "authority", e.authority)
    for x in e.programs:
        _add(sanction, "program", x)
    _add(sanction, "listingDate", e.listed_on)
    yield sanction.to_dict()
