"""Dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request, Response

from sanctions.api.live import Current, Live

SNAPSHOT_HEADER = "X-Sanctions-Snapshots"


def get_live(request: Request) -> Live:
    return request.app.state.live


def stamp(response: Response, cur: Current) -> list[dict]:
    """Say on the response which snapshots answered it; returns the refs for the body."""
    response.headers[SNAPSHOT_HEADER] = cur.header()
    return cur.refs()
