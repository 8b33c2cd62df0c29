"""Admin endpoints (an admin API key in X-API-Key): run a sync, manage webhook subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request, Response

from sanctions.api import screening as sc
from sanctions.api.auth import ApiKey, require_admin
from sanctions.api.deps import get_live, stamp_snapshots
from sanctions.api.live import Live
from sanctions.api.models import (
    ErrorResponse,
    Subscription,
    SubscriptionCreate,
    SubscriptionCreated,
    SyncReportOut,
    SyncRequest,
    SyncResponse,
)
from sanctions.model import SourceError
from sanctions.store import StoreError

router = APIRouter(tags=["admin"])
AUTH = {401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}}


@router.post("/sync", response_model=SyncResponse, responses={**AUTH, 400: {"model": ErrorResponse},
             409: {"model": ErrorResponse}}, summary="Fetch and import the lists now")
def run_sync(
    response: Response,
    live: Annotated[Live, Depends(get_live)],
    key: Annotated[ApiKey, Depends(require_admin)],
    body: Annotated[SyncRequest | None, Body()] = None,
) -> SyncResponse:
    """Sync from the configured mirror folder, or from the publishers. Answers when the new lists are in use:
    requests that started before see the old lists, later ones the new, none a mix. Subscribers are notified of
    the changes."""
    srcs = sc.check_sources(body.sources if body else None)
    try:
        out = live.sync(srcs)
    except (SourceError, StoreError) as exc:  # e.g. the configured mirror has no list folders
        raise HTTPException(502, detail=f"sync failed: {exc}") from None
    reports = [
        SyncReportOut(source=r.source, ok=r.ok, message=r.message,
                      snapshot_id=r.outcome.result.snapshot.id if r.outcome else None,
                      created=bool(r.outcome and r.outcome.result.created))
        for r in out.reports
    ]
    refs = stamp_snapshots(response, out.snapshots)
    return SyncResponse(reports=reports, changed=sorted({s.source for s in out.created}), snapshots=refs)


@router.post("/subscriptions", response_model=SubscriptionCreated, status_code=201,
             responses={**AUTH, 400: {"model": ErrorResponse}}, summary="Subscribe a webhook to list changes")
def create_subscription(
    body: SubscriptionCreate,
    request: Request,
    key: Annotated[ApiKey, Depends(require_admin)],
) -> SubscriptionCreated:
    """After every sync that changes a list, the URL receives a POST with the change summary, signed:
    `X-Sanctions-Signature: sha256=HMAC-SHA256(secret, body)`. The secret is in this response only."""
    srcs = sc.check_sources(body.sources)
    sub = request.app.state.webhooks.create(str(body.url), srcs, body.description, key.id)
    return SubscriptionCreated(**sub.public(), secret=sub.secret)


@router.get("/subscriptions", response_model=list[Subscription], responses=AUTH, summary="Webhook subscriptions")
def list_subscriptions(request: Request, key: Annotated[ApiKey, Depends(require_admin)]) -> list[Subscription]:
    return [Subscription(**s) for s in request.app.state.webhooks.list()]


@router.delete("/subscriptions/{sub_id}", status_code=204, responses={**AUTH, 404: {"model": ErrorResponse}},
               summary="Remove a webhook subscription")
def delete_subscription(
    request: Request,
    sub_id: Annotated[str, Path(max_length=64)],
    key: Annotated[ApiKey, Depends(require_admin)],
) -> Response:
    if not request.app.state.webhooks.delete(sub_id):
        raise HTTPException(404, detail=f"no subscription {sub_id}")
    return Response(status_code=204)
