"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from sanctions.api.deps import get_live
from sanctions.api.live import Live
from sanctions.api.models import Status

router = APIRouter(tags=["system"])


@router.get("/healthz", response_model=Status, summary="The process is up")
async def healthz() -> Status:
    return Status(status="ok")


@router.get("/readyz", response_model=Status, responses={503: {"model": Status}}, summary="Lists loaded")
def readyz(live: Annotated[Live, Depends(get_live)]):
    if not live.ready:
        detail = live.load_error or "loading the lists"
        return JSONResponse(Status(status="loading", detail=detail).model_dump(), status_code=503)
    cur = live.current
    if not cur.snapshots:
        return JSONResponse(Status(status="empty", detail="no lists in the store yet: POST /sync").model_dump(),
                            status_code=503)
    return Status(status="ready", entities=cur.entity_count, snapshots=cur.refs(), loaded_at=cur.loaded_at)
