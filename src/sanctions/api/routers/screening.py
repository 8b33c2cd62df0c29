"""Screening endpoints: GET /search (one name, explained ranked matches) and POST /match (yente-compatible)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from sanctions.api import screening as sc
from sanctions.api.auth import read_access
from sanctions.api.deps import SNAPSHOT_HEADER, audit_decision, get_live, stamp
from sanctions.api.live import Live
from sanctions.api.models import (
    EntityExample,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
    Kind,
    ScoredEntity,
    SearchResponse,
    TotalSpec,
)
from sanctions.sources import SOURCES

router = APIRouter(tags=["screening"], dependencies=[Depends(read_access)])
ERRORS = {400: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}


@router.get("/search", response_model=SearchResponse, responses=ERRORS, summary="Screen one name")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="the name to screen")],
    live: Annotated[Live, Depends(get_live)],
    type: Annotated[Kind | None, Query(description="person, organization, vessel or aircraft")] = None,
    dob: Annotated[str | None, Query(max_length=10, description="birth date: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, Query(max_length=100, description="country name or ISO code")] = None,
    country: Annotated[str | None, Query(max_length=100)] = None,
    identifier: Annotated[list[str] | None, Query(max_length=20, description="passport, IMO ... numbers")] = None,
    sources: Annotated[list[str] | None, Query(description="only these lists (repeat or comma-separate)")] = None,
    as_of: Annotated[str | None, Query(max_length=40, description="the lists in force at this date")] = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    threshold: Annotated[float | None, Query(ge=0, le=1, description="score at which a result is a match")] = None,
    cutoff: Annotated[float | None, Query(ge=0, le=1, description="lowest score returned")] = None,
) -> JSONResponse:
    """Ranked matches for one name, each with the features that made its score. `match` is true from the
    threshold (default: the matcher's calibrated alert threshold) up; results down to `cutoff` are listed."""
    if not q.strip():
        raise HTTPException(400, detail="q: empty name")
    srcs = sc.check_sources(sources)
    limit = limit or live.settings.default_limit
    dob = sc.check_dob(dob)
    cur = live.for_view(sc.check_as_of(as_of))
    cut = live.settings.cutoff if cutoff is None else cutoff
    hits, th = sc.screen(
        cur, q, kind=type, dob=dob, nationality=nationality, country=country,
        identifiers=tuple(i for i in identifier or () if i.strip()), sources=srcs, limit=limit,
        threshold=threshold, cutoff=cut,
    )
    results = [
        {
            "id": h.match.entity_id, "caption": h.match.caption, "kind": h.match.kind, "source": h.match.source,
            "score": h.match.score, "match": h.is_match, "matched_name": h.match.matched_name,
            "matched_name_kind": h.match.matched_name_kind, "matched_name_strength": h.match.matched_name_strength,
            "programs": h.entity.programs if h.entity else [], "authority": h.entity.authority if h.entity else None,
            "listed_on": h.entity.listed_on if h.entity else None, "explanation": h.match.explanation,
            "url": f"/entities/{h.match.entity_id}",
        }
        for h in hits
    ]
    query = {"q": q, "type": type, "dob": dob, "nationality": nationality, "country": country,
             "sources": srcs, "as_of": as_of, "limit": limit}
    audit_decision(request, "api:/search", query, hits, th, cur)
    body = {"query": {k: v for k, v in query.items() if v is not None}, "threshold": th, "cutoff": min(th, cut),
            "total": len(results), "results": results, "snapshots": cur.refs()}
    # The hot path: the dicts above follow SearchResponse (the documented model), and are sent as they are
    # rather than validated a second time on the way out.
    return JSONResponse(body, headers={SNAPSHOT_HEADER: cur.header()})


MATCHER = {
    "name": "sanctions",
    "description": "explained name matching plus birth date, nationality, kind and identifier features",
    "features": {
        "name": "weighted token alignment of the names (0..1)",
        "birth_date": "agreement (+) or conflict (-) of birth dates",
        "nationality": "agreement (+) or conflict (-) of countries",
        "weak_alias": "the matched name is a weak alias (-)",
        "kind": "the query's type differs from the listed party's (-)",
        "company_as_object": "a company's name (it carries a legal form) against a vessel or aircraft (-)",
        "numbers": "numbers in both names disagree (-)",
        "legal_form": "legal forms disagree (-)",
        "identifier": "a listed identifier matches exactly (floor)",
    },
}


@router.post("/match", response_model=EntityMatchResponse, responses=ERRORS, summary="Match a batch of examples")
def match(
    request: Request,
    body: EntityMatchQuery,
    response: Response,
    live: Annotated[Live, Depends(get_live)],
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
    cutoff: Annotated[float | None, Query(ge=0, le=1)] = None,
    algorithm: Annotated[str | None, Query(max_length=50, description="accepted, ignored")] = None,
    include_dataset: Annotated[list[str] | None, Query(description="only these lists")] = None,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
) -> EntityMatchResponse:
    """Query by example, in the request and response shape of OpenSanctions yente's `/match/{dataset}`, so
    yente clients work unchanged. Each example gets `responses[key].results` with `score`, `match`
    (score >= threshold) and `features`, plus `explanations` (what each feature saw)."""
    return _match(request, body, response, live, None, limit, threshold, cutoff, include_dataset, as_of)


@router.post("/match/{dataset}", response_model=EntityMatchResponse, responses={**ERRORS, 404: {"model": ErrorResponse}},
             summary="Match a batch of examples against one dataset (yente path)")
def match_dataset(
    request: Request,
    body: EntityMatchQuery,
    response: Response,
    live: Annotated[Live, Depends(get_live)],
    dataset: Annotated[str, Path(max_length=50, description="`default` (every list) or a source id")],
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
    cutoff: Annotated[float | None, Query(ge=0, le=1)] = None,
    algorithm: Annotated[str | None, Query(max_length=50, description="accepted, ignored")] = None,
    include_dataset: Annotated[list[str] | None, Query()] = None,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
) -> EntityMatchResponse:
    if dataset not in ("default", "sanctions", "all") and dataset not in SOURCES:
        raise HTTPException(404, detail=f"no dataset {dataset!r}; use 'default' or one of {', '.join(sorted(SOURCES))}")
    ds = [dataset] if dataset in SOURCES else None
    return _match(request, body, response, live, ds, limit, threshold, cutoff, include_dataset, as_of)


def _match(
    request: Request, body, response, live: Live, dataset, limit, threshold, cutoff, include, as_of
) -> EntityMatchResponse:
    if not body.queries:
        raise HTTPException(400, detail="No queries provided.")
    if len(body.queries) > live.settings.max_batch:
        raise HTTPException(400, detail=f"Too many queries in one batch (limit: {live.settings.max_batch})")
    srcs = sc.check_sources(include)
    if dataset:
        srcs = sorted(set(srcs) & set(dataset)) if srcs else dataset
        if not srcs:
            raise HTTPException(400, detail="include_dataset excludes the whole dataset")
    as_of = sc.check_as_of(as_of)
    parsed = {}
    for key, ex in body.queries.items():
        try:
            parsed[key] = sc.example_query(ex.schema_, ex.properties)
        except ValueError as exc:
            raise HTTPException(400, detail=f"Cannot parse example entity {key!r}: {exc}") from None
    base_limit = limit or live.settings.match_limit
    cut = live.settings.cutoff if cutoff is None else cutoff
    cur = live.for_view(as_of)  # one view for the whole batch
    responses = {}
    for key, ex in body.queries.items():
        args = parsed[key]
        n = ex.limit or base_limit
        hits, th = sc.screen(cur, sources=srcs, limit=n,
                             threshold=ex.threshold if ex.threshold is not None else threshold, cutoff=cut, **args)
        audit_decision(request, "api:/match", {"key": key, "schema": ex.schema_, **args}, hits, th, cur)
        results = []
        for h in hits:
            m, e = h.match, h.entity
            results.append(ScoredEntity(
                id=m.entity_id, caption=m.caption, schema=sc.KIND_SCHEMA.get(m.kind, "LegalEntity"),
                properties=sc.ftm_properties(e) if e else {"name": [m.caption]}, datasets=[m.source],
                referents=[], target=True, last_change=None, score=m.score, match=h.is_match,
                features={x["feature"]: x["score"] for x in m.explanation}, explanations=m.explanation,
            ))
        responses[key] = EntityMatches(
            status=200, results=results, total=TotalSpec(value=len(results)),
            query=EntityExample(id=ex.id, schema=ex.schema_, properties=ex.properties),
        )
    response.headers["X-Batch-Size"] = str(len(responses))
    return EntityMatchResponse(responses=responses, matcher=MATCHER, limit=base_limit, snapshots=stamp(response, cur))
