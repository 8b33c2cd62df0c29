"""Dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request, Response

from sanctions.api.live import Current, Live, snapshot_header, snapshot_refs

SNAPSHOT_HEADER = "X-Sanctions-Snapshots"


def get_live(request: Request) -> Live:
    return request.app.state.live


def stamp(response: Response, cur: Current) -> list[dict]:
    """Say on the response which snapshots answered it; returns the refs for the body."""
    return stamp_snapshots(response, cur.snapshots)


def stamp_snapshots(response: Response, snapshots) -> list[dict]:
    response.headers[SNAPSHOT_HEADER] = snapshot_header(snapshots)
    return snapshot_refs(snapshots)


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
