"""The HTML pages, served by the API app: search, entity (with its timeline) and changes (with the weekly chart).
Server-rendered Jinja2 and plain forms, so they work without JavaScript and need no build step; they call the
same functions as the JSON API, so both answer alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from sanctions.api import screening as sc
from sanctions.api.deps import audit_decision, get_live
from sanctions.api.live import Live, NotReady
from sanctions.model import KINDS
from sanctions.sources import SOURCES
from sanctions.store.diff import describe

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["describe"] = lambda d: describe(d) if d else ""

router = APIRouter(prefix="/ui", include_in_schema=False)
MAX_ITEMS = 100  # changes listed per kind and snapshot on the page


def _page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"sources": sorted(SOURCES), "kinds": KINDS, **ctx},
                                      status_code=status)


def _error(request: Request, exc: HTTPException | NotReady) -> HTMLResponse:
    if isinstance(exc, NotReady):
        return _page(request, "error.html", 503, message=f"Not ready: {exc}. Try again in a few seconds.")
    return _page(request, "error.html", exc.status_code, message=exc.detail)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    live: Annotated[Live, Depends(get_live)],
    q: str = "",
    dob: str = "",
    nationality: str = "",
    type: str = "",
    source: str = "",
    as_of: str = "",
) -> HTMLResponse:
    form = {"q": q[:500], "dob": dob[:10], "nationality": nationality[:100], "type": type, "source": source,
            "as_of": as_of[:40]}
    if not q.strip():
        return _page(request, "search.html", form=form, hits=None)
    try:
        if type and type not in KINDS:
            raise HTTPException(400, detail=f"unknown type {type!r}")
        srcs = sc.check_sources([source] if source else None)
        cur = live.for_view(sc.check_as_of(as_of or None))
        hits, threshold = sc.screen(cur, q[:500], kind=type or None, dob=sc.check_dob(dob or None),
                                    nationality=nationality or None, sources=srcs, limit=20,
                                    cutoff=live.settings.cutoff)
    except (HTTPException, NotReady) as exc:
        return _error(request, exc)
    audit_decision(request, "web:/ui/", {"q": form["q"], "type": type or None, "dob": dob or None,
                                         "nationality": nationality or None, "source": source or None,
                                         "as_of": as_of or None}, hits, threshold, cur)
    return _page(request, "search.html", form=form, hits=hits, threshold=threshold, snapshots=cur.refs())


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, live: Annotated[Live, Depends(get_live)]) -> HTMLResponse:
    try:
        cur = live.current
    except NotReady as exc:
        return _error(request, exc)
    store = live.store()
    versions = store.entity_versions(entity_id[:200])
    if not versions:
        return _error(request, HTTPException(404, detail=f"{entity_id} was never listed"))
    entity = cur.view(store).entity(entity_id)
    listed = entity is not None
    if entity is None:
        entity = versions[-1]["entity"]
    snaps = {s.id: s for s in store.snapshots(entity.source)}
    return _page(request, "entity.html", e=entity, listed=listed, versions=list(reversed(versions)),
                 snaps=snaps, snapshots=cur.refs())


@router.get("/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    live: Annotated[Live, Depends(get_live)],
    since: str = "",
    until: str = "",
    on: str = "",
    source: str = "",
) -> HTMLResponse:
    from urllib.parse import urlencode

    from sanctions.api.routers.data import load_changes

    if on:
        since = until = on
    try:
        _cur, lo, hi, src, data = load_changes(live, since or None, until or None, source or None)
    except (HTTPException, NotReady) as exc:
        return _error(request, exc)
    args = {k: v for k, v in (("since", lo[:10]), ("until", (hi or "")[:10]), ("source", src or "")) if v}
    totals = {k: sum(len(c[k]) for c in data) for k in ("added", "removed", "modified", "relisted")}
    form = {"since": lo[:10], "until": (hi or "")[:10], "source": src or ""}
    return _page(request, "changes.html", form=form, changes=list(reversed(data)), totals=totals,
                 chart_url="/changes/chart.png?" + urlencode(args), max_items=MAX_ITEMS)
