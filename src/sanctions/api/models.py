"""Request and response models: the API's contract, and what /openapi.json is generated from."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

Kind = Literal["person", "organization", "vessel", "aircraft"]


class SnapshotRef(BaseModel):
    id: int
    source: str
    published: str
    sha256: str


class Explanation(BaseModel):
    feature: str = Field(..., examples=["name"])
    score: float
    detail: str = Field(..., examples=["all name tokens agree"])


class SearchResult(BaseModel):
    id: str = Field(..., examples=["us-ofac-sdn:27209"])
    caption: str
    kind: str
    source: str
    score: float
    match: bool = Field(..., description="score at or above the threshold")
    matched_name: str
    matched_name_kind: str
    matched_name_strength: str
    programs: list[str] = []
    authority: str | None = None
    listed_on: str | None = None
    explanation: list[Explanation]
    url: str


class SearchResponse(BaseModel):
    query: dict[str, Any]
    threshold: float
    cutoff: float
    total: int
    results: list[SearchResult]
    snapshots: list[SnapshotRef]


class EntityResponse(BaseModel):
    id: str
    as_of: str | None = None
    entity: dict[str, Any] = Field(..., description="the entity as the lists in force state it (model.Entity)")
    snapshot: SnapshotRef
    snapshots: list[SnapshotRef]


class Version(BaseModel):
    version_id: int
    valid_from: str
    valid_to: str | None
    valid_from_snapshot: int
    valid_to_snapshot: int | None
    change: str | None
    diff: list[Any] | None
    entity: dict[str, Any]


class HistoryResponse(BaseModel):
    id: str
    versions: list[Version]


class ChangeItem(BaseModel):
    entity_id: str
    caption: str
    kind: str
    programs: list[str] = []
    diff: list[Any] | None = None


class ChangeSet(BaseModel):
    snapshot: dict[str, Any]
    added: list[ChangeItem]
    removed: list[ChangeItem]
    modified: list[ChangeItem]
    relisted: list[ChangeItem]
    counts: dict[str, int] = Field({}, description="entities per change kind (the lists may be capped)")
    truncated: bool = False
    by_program: dict[str, dict[str, int]]


class ChangesResponse(BaseModel):
    since: str
    until: str | None
    source: str | None
    changes: list[ChangeSet]


class SourceSnapshot(BaseModel):
    id: int
    published: str
    imported_at: str
    sha256: str
    entity_count: int
    added: int
    removed: int
    modified: int
    files: list[dict[str, Any]]


class SourceInfo(BaseModel):
    source: str
    title: str
    authority: str
    versions: int
    latest: SourceSnapshot | None
    in_use: int | None = Field(None, description="snapshot id the service is answering from")


class SourcesResponse(BaseModel):
    sources: list[SourceInfo]
    snapshots: list[SnapshotRef]


class Status(BaseModel):
    status: str
    detail: str | None = None
    entities: int | None = None
    snapshots: list[SnapshotRef] = []
    loaded_at: str | None = None


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[str] | None = Field(None, description="only these lists (default: every list)")


class SyncReportOut(BaseModel):
    source: str
    ok: bool
    message: str
    snapshot_id: int | None = None
    created: bool = False


class SyncResponse(BaseModel):
    reports: list[SyncReportOut]
    changed: list[str]
    snapshots: list[SnapshotRef]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: AnyHttpUrl = Field(..., examples=["https://example.org/hooks/sanctions"])
    sources: list[str] | None = Field(None, description="only notify changes to these lists")
    description: str | None = Field(None, max_length=500)


class Subscription(BaseModel):
    id: str
    url: str
    sources: list[str] | None
    description: str | None
    created_at: str
    last_delivery: dict[str, Any] | None = None


class SubscriptionCreated(Subscription):
    secret: str = Field(..., description="HMAC-SHA256 key for X-Sanctions-Signature; shown only once")


class ErrorResponse(BaseModel):
    detail: str


# -- yente-compatible matching ------------------------------------------------------------------------------------
class EntityExample(BaseModel):
    """A query by example, as yente takes it: a FollowTheMoney schema and properties."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(..., examples=[{"name": ["John Doe"]}])
    threshold: float | None = Field(None, ge=0, le=1, description="extension: per-query threshold")
    limit: int | None = Field(None, ge=1, le=100, description="extension: per-query result count")


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field({}, description="accepted for compatibility, ignored")
    config: dict[str, Any] = Field({}, description="accepted for compatibility, ignored")
    queries: dict[str, EntityExample]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class ScoredEntity(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str] = []
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    score: float
    match: bool
    features: dict[str, float]
    explanations: list[Explanation]


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntity]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, Any]
    limit: int
    snapshots: list[SnapshotRef]
