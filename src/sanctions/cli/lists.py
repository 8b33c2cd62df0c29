"""Commands that bring lists in and show what is there: load, sync, sources, show, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sanctions.cli.common import add_as_of, open_store, prebuild_index, print_json
from sanctions.countries import entity_countries
from sanctions.countries import label as country_label
from sanctions.loader import load_files
from sanctions.model import Entity
from sanctions.settings import Settings
from sanctions.sources import SOURCES, get_source
from sanctions.store.diff import describe
from sanctions.sync import sync


def register(sub) -> None:
    p = sub.add_parser("load", help="import local list files as one published version")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--source", required=True, choices=sorted(SOURCES), help="which list the files are")
    p.add_argument("--published", metavar="DATE", help="publication time (default: from the file or folder)")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("sync", help="download every list from its publisher (or a mirror folder) and import it")
    p.add_argument("--from", dest="mirror", metavar="DIR", help="read from a mirror folder (env SANCTIONS_MIRROR)")
    p.add_argument("--sources", nargs="+", choices=sorted(SOURCES), help="only these lists")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("sources", help="what is loaded: versions, counts, dates, hashes")
    p.add_argument("--verbose", "-v", action="store_true", help="parser statistics and every stored version")
    p.add_argument("--json", action="store_true")
    add_as_of(p)
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("show", help="show one listed entity in full")
    p.add_argument("id", help="entity id, e.g. us-ofac-sdn:27209")
    p.add_argument("--json", action="store_true")
    p.add_argument("--history", action="store_true", help="every version with its validity and what changed")
    add_as_of(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="export the lists (FollowTheMoney JSON lines on stdout)")
    p.add_argument("--format", choices=["ftm", "json"], default="ftm")
    p.add_argument("--sources", nargs="+", choices=sorted(SOURCES))
    add_as_of(p)
    p.set_defaults(func=cmd_export)


def cmd_load(args, settings: Settings) -> int:
    get_source(args.source)
    with open_store(settings) as store:
        out = load_files(store, args.source, args.files, args.published)
    _print_outcome(out.source, out.result, out.parsed)
    if out.result.created:
        prebuild_index(settings)
    return 0


def _print_outcome(source, result, parsed) -> None:
    snap = result.snapshot
    if result.created:
        print(
            f"{source}: snapshot {snap.id} published {snap.published}: {snap.entity_count} entities "
            f"(+{snap.added} -{snap.removed} ~{snap.modified})"
        )
    else:
        print(f"{source}: unchanged, already stored as snapshot {snap.id} ({snap.published})")
    for w in parsed.warnings:
        print(f"{source}: warning: {w}", file=sys.stderr)


def cmd_sync(args, settings: Settings) -> int:
    with open_store(settings) as store:
        reports = sync(store, settings, args.sources, log=lambda m: print(m, file=sys.stderr))
    failed = 0
    for r in reports:
        if r.ok:
            print(f"{r.source}: {r.message}")
            if r.outcome:
                for w in r.outcome.parsed.warnings:
                    print(f"{r.source}: warning: {w}", file=sys.stderr)
        else:
            failed += 1
            print(f"{r.source}: FAILED: {r.message}", file=sys.stderr)
    if any(r.ok for r in reports):
        prebuild_index(settings)
    return 1 if failed else 0


def _remark_share(stats: dict) -> str | None:
    rem = stats.get("remarks")
    if not rem or not rem.get("segments"):
        return None
    return f"{rem['recognised']}/{rem['segments']} remark segments recognised ({rem['recognised'] / rem['segments']:.2%})"


def cmd_sources(args, settings: Settings) -> int:
    with open_store(settings, readonly=True) as store:
        view = store.view(args.as_of)
        rows = []
        for snap in view.snapshots:
            row = snap.to_dict()
            row["title"] = SOURCES[snap.source].title if snap.source in SOURCES else snap.source
            row["versions_stored"] = len(store.snapshots(snap.source))
            rows.append(row)
        if args.json:
            print_json(rows)
            return 0
        if not rows:
            print("nothing loaded" + (f" as of {args.as_of}" if args.as_of else "") + " (try `sanctions sync`)")
            return 0
        for r in rows:
            print(f"{r['source']:14} {r['entity_count']:>6} entities  published {r['published']}  "
                  f"snapshot {r['id']}  ({r['versions_stored']} version{'s' if r['versions_stored'] != 1 else ''})")
            print(f"{'':14} {r['title']}; sha256 {r['sha256'][:16]}...")
            if args.verbose:
                for f in r["files"]:
                    print(f"{'':16}{f['role']:18} {f['size']:>9} bytes  sha256 {f['sha256']}")
                share = _remark_share(r["stats"])
                if share:
                    print(f"{'':16}{share}")
                for k, v in sorted(r["stats"].items()):
                    if k != "remarks":
                        print(f"{'':16}{k}: {json.dumps(v)}")
                for s in store.snapshots(r["source"]):
                    print(f"{'':16}version {s.seq:>3}: snapshot {s.id} {s.published} {s.entity_count} entities "
                          f"(+{s.added} -{s.removed} ~{s.modified})")
    return 0


def cmd_show(args, settings: Settings) -> int:
    with open_store(settings, readonly=True) as store:
        if args.history:
            versions = store.entity_versions(args.id)
            if not versions:
                raise ValueError(f"no entity {args.id} in the store")
            if args.json:
                print_json([{**v, "entity": v["entity"].to_dict()} for v in versions])
            else:
                print_history(args.id, versions)
            return 0
        view = store.view(args.as_of)
        entity = view.entity(args.id)
        if entity is None:
            when = f" as of {args.as_of}" if args.as_of else ""
            raise ValueError(f"no entity {args.id} listed{when}")
        snap = next(s for s in view.snapshots if s.source == entity.source)
        if args.json:
            print_json({
                **entity.to_dict(),
                "countries_resolved": entity_countries(entity),
                "snapshot": {"id": snap.id, "published": snap.published},
            })
        else:
            print_entity(entity)
            print(f"  (list version: snapshot {snap.id}, published {snap.published})")
    return 0


def _minute(iso: str) -> str:
    """2022-01-12T18:51:57Z -> 2022-01-12T18:51Z, the way capture files are named."""
    return iso[:16] + "Z" if len(iso) >= 16 else iso


def print_history(entity_id: str, versions: list[dict]) -> None:
    first = versions[0]
    print(f"{entity_id}: {versions[-1]['entity'].caption}")
    print(f"  first listed in the capture of {_minute(first['valid_from'])}")
    for v in versions:
        until = _minute(v["valid_to"]) if v["valid_to"] else "now"
        what = v["change"] or ""
        if v["diff"]:
            what += ": " + describe(v["diff"])
        print(f"  {_minute(v['valid_from'])} .. {until}  {what}")
    last = versions[-1]
    if last["valid_to"]:
        print(f"  removed in the capture of {_minute(last['valid_to'])}")


def print_entity(e: Entity) -> None:
    print(f"{e.id}  {e.caption}  [{e.kind}]")
    line = lambda label, value: value and print(f"  {label:14} {value}")  # noqa: E731
    line("programs", ", ".join(e.programs))
    line("authority", e.authority)
    line("listed on", e.listed_on)
    line("title", e.title)
    line("gender", e.gender)
    for n in e.names:
        if n.kind != "primary" or n.text != e.caption:
            line(f"{n.kind}" + (" (weak)" if n.strength == "weak" else ""), n.text + (f"  [{n.script}]" if n.script != "Latin" else ""))
    for d in e.birth_dates:
        extra = (" circa" if d.circa else "") + (f" to {d.end}" if d.end else "")
        line("birth date", f"{d.value}{extra}")
    line("birth place", "; ".join(e.birth_places))
    line("nationality", "; ".join(map(country_label, e.nationalities)))
    line("citizenship", "; ".join(map(country_label, e.citizenships)))
    line("countries", "; ".join(map(country_label, e.countries)))
    for i in e.identifiers:
        line(i.type, i.number + (f" ({i.country})" if i.country else "") + (f" {i.note}" if i.note else ""))
    for a in e.addresses:
        line("address", a.text())
    for k, v in {**e.vessel, **e.aircraft}.items():
        line(k, v)
    for x in e.emails:
        line("email", x)
    for x in e.websites:
        line("website", x)
    for x in e.links:
        line("linked to", x.target)
    for x in e.sanctions_notes:
        line("sanctions", x)
    for x in e.remarks:
        line("remarks", x)


def cmd_export(args, settings: Settings) -> int:
    from sanctions.export_ftm import to_ftm  # followthemoney takes 0.4 s to import: only when exporting

    with open_store(settings, readonly=True) as store:
        view = store.view(args.as_of, args.sources)
        out = sys.stdout
        for entity in view.entities():
            if args.format == "json":
                out.write(entity.canonical_json() + "\n")
                continue
            for obj in to_ftm(entity):
                out.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
    return 0
