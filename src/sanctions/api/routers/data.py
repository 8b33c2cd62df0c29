"""Reading the lists: entities as of a date, their history, changes between dates (JSON and chart), sources."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from sanctions.api import charts
from sanctions.api import screening as sc
from sanctions.api.deps import get_live, stamp
from sanctions.api.live import Current, Live
from sanctions.api.models import (
    ChangesResponse,
    EntityResponse,
    ErrorResponse,
    HistoryResponse,
    SourceInfo,
    SourceSnapshot,
    SourcesResponse,
)
from sanctions.history import changes_between
from sanctions.sources import SOURCES
from sanctions.store.times import iso_utc, parse_when

router = APIRouter(tags=["lists"])
KINDS = ("added", "removed", "modified", "relisted")
NOT_FOUND = {404: {"model": ErrorResponse}, 400: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}
EntityId = Annotated[str, Path(max_length=200, description="e.g. us-ofac-sdn:27209, un-sc:KPi.033")]


@router.get("/entities/{entity_id}", response_model=EntityResponse, responses=NOT_FOUND, summary="One entity")
def entity(
    entity_id: EntityId,
    response: Response,
    live: Annotated[Live, Depends(get_live)],
    as_of: Annotated[str | None, Query(max_length=40, description="as the lists in force then state it")] = None,
) -> EntityResponse:
    as_of = sc.check_as_of(as_of)
    store = live.store()
    cur = live.current
    if as_of is None:
        view = cur.view(store)
        refs = stamp(response, cur)
    else:
        view = store.view(as_of=as_of)
        refs = [{"id": s.id, "source": s.source, "published": s.published, "sha256": s.sha256} for s in view.snapshots]
        response.headers["X-Sanctions-Snapshots"] = ",".join(str(r["id"]) for r in sorted(refs, key=lambda r: r["id"]))
    e = view.entity(entity_id)
    if e is None:
        when = f"as of {as_of}" if as_of else "in the current lists"
        raise HTTPException(404, detail=f"{entity_id} is not listed {when} (see /entities/{entity_id}/history)")
    snap = next(r for r in refs if r["source"] == e.source)
    return EntityResponse(id=entity_id, as_of=as_of, entity=e.to_dict(), snapshot=snap, snapshots=refs)


@router.get("/entities/{entity_id}/history", response_model=HistoryResponse, responses=NOT_FOUND,
            summary="Every version of one entity")
def history(entity_id: EntityId, live: Annotated[Live, Depends(get_live)]) -> HistoryResponse:
    versions = live.store().entity_versions(entity_id)
    if not versions:
        raise HTTPException(404, detail=f"{entity_id} was never listed")
    for v in versions:
        v["entity"] = v["entity"].to_dict()
    return HistoryResponse(id=entity_id, versions=versions)


def _range(since: str | None, until: str | None, cur: Current) -> tuple[str, str | None]:
    """Validated (since, until); without `since`: the 90 days up to the newest snapshot in use."""
    if since:
        lo = sc.parse_date("since", since)
    else:
        newest = max((s.published for s in cur.snapshots), default=None)
        lo = parse_when(newest) - timedelta(days=90) if newest else parse_when("1970-01-01")
    hi = sc.parse_date("until", until, end_of_day=True) if until else None
    if hi is not None and hi < lo:
        raise HTTPException(400, detail="until is before since")
    return iso_utc(lo), (iso_utc(hi) if hi else None)


def _source(source: str | None) -> str | None:
    if source and source not in SOURCES:
        raise HTTPException(400, detail=f"unknown source {source!r}; known: {', '.join(sorted(SOURCES))}")
    return source or None


def load_changes(live: Live, since: str | None, until: str | None, source: str | None):
    cur = live.current
    lo, hi = _range(since, until, cur)
    src = _source(source)
    return cur, lo, hi, src, changes_between(live.store(), lo, hi, src)


@router.get("/changes", response_model=ChangesResponse, responses=NOT_FOUND, summary="What changed when")
def changes(
    live: Annotated[Live, Depends(get_live)],
    since: Annotated[str | None, Query(max_length=40, description="from this date (default: 90 days back)")] = None,
    until: Annotated[str | None, Query(max_length=40, description="to the end of this date (default: now)")] = None,
    source: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=0, le=100000, description="entities listed per change kind and version")] = 1000,
) -> ChangesResponse:
    """Per published version in the range: added, removed, modified (with a field diff) and re-listed entities,
    and a summary by program. `counts` has the full numbers when the lists are capped by `limit`."""
    _cur, lo, hi, src, data = load_changes(live, since, until, source)
    for c in data:
        c["counts"] = {k: len(c[k]) for k in KINDS}
        c["truncated"] = any(n > limit for n in c["counts"].values())
        for k in KINDS:
            c[k] = c[k][:limit]
    return ChangesResponse(since=lo, until=hi, source=src, changes=data)


@router.get("/changes/chart.{fmt}", responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}, **NOT_FOUND},
            response_class=Response, summary="Additions and removals per week, by program family")
def chart(
    fmt: Literal["png", "svg"],
    live: Annotated[Live, Depends(get_live)],
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    source: Annotated[str | None, Query(max_length=50)] = None,
) -> Response:
    cur, lo, hi, src, data = load_changes(live, since, until, source)
    title = f"{src or 'All lists'}, {lo[:10]} to {(hi or 'now')[:10]}"
    body = charts.render(data, fmt, title, (fmt, lo, hi, src, cur.key))
    return Response(body, media_type=charts.MEDIA[fmt], headers={"Cache-Control": "public, max-age=300"})


@router.get("/sources", response_model=SourcesResponse, responses={503: {"model": ErrorResponse}},
            summary="Loaded lists: versions, counts, hashes")
def sources(response: Response, live: Annotated[Live, Depends(get_live)]) -> SourcesResponse:
    cur = live.current
    store = live.store()
    in_use = {s.source: s.id for s in cur.snapshots}
    counts = dict(store.db.execute("SELECT source, COUNT(*) FROM snapshot GROUP BY source").fetchall())
    out = []
    for name, spec in sorted(SOURCES.items()):
        latest = store.latest_snapshot(name)
        out.append(SourceInfo(
            source=name, title=spec.title, authority=spec.authority, versions=counts.get(name, 0),
            latest=SourceSnapshot(**{k: getattr(latest, k) for k in SourceSnapshot.model_fields}) if latest else None,
            in_use=in_use.get(name),
        ))
    return SourcesResponse(sources=out, snapshots=stamp(response, cur))
