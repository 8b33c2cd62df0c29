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


def audit_decision(request: Request, channel: str, query: dict, hits: list, threshold: float, cur: Current) -> None:
    """Append one screening decision (query, results, threshold, snapshots, caller) to the audit trail."""
    writer = getattr(request.app.state, "audit", None)
    if writer is None:
        return
    caller = getattr(request.state, "caller", None)
    writer.record(
        query={k: v for k, v in query.items() if v is not None},
        results=[{"entity_id": h.match.entity_id, "score": round(h.match.score, 4), "match": h.is_match}
                 for h in hits],
        threshold=threshold,
        snapshot_ids=list(cur.key),
        caller=f"key:{caller.id}" if caller is not None else None,
        channel=channel,
    )
