"""The service's settings: the store/sync `Settings` plus what only the HTTP service needs, in one object that
is built once (from the environment or by the caller) and handed to `create_app` explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sanctions.api.workers import supervised
from sanctions.settings import Settings


@dataclass
class ApiSettings(Settings):
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_batch: int = 100  # queries per POST /match
    max_body_bytes: int = 1_000_000  # request bodies beyond this get 413 before they are parsed
    max_limit: int = 100  # results per query
    default_limit: int = 10  # GET /search
    match_limit: int = 5  # POST /match (yente's default page)
    cutoff: float = 0.5  # results scoring below this are not returned (the threshold only sets `match`)
    max_query_length: int = 500
    view_cache: int = 4  # screeners kept for `as_of` views other than the latest
    reload_interval: float = 5.0  # seconds between checks for lists imported by another process (0 = never)
    webhook_timeout: float = 10.0
    webhook_retries: int = 5  # attempts per delivery
    webhook_backoff: float = 1.0  # seconds before the first retry, doubled after each
    load_on_start: bool = True  # build the screening index at start-up (in the background)
    preload: bool = False  # build it before taking connections (a worker replacing another, see api/workers.py)
    handover_timeout: float = 600.0  # a supervised POST /sync waits this long for workers on the new lists
    supervised: bool = False  # run by `sanctions serve`'s supervisor, which replaces workers when lists change
    require_read_key: bool = False  # screening endpoints refuse callers without a valid API key
    audit: bool = True  # append every screening decision to the hash-chained audit trail

    @classmethod
    def from_env(cls, db: str | None = None, mirror: str | None = None, **overrides) -> ApiSettings:
        base = Settings.from_env(db=db, mirror=mirror)
        s = cls(**{k: getattr(base, k) for k in Settings.__dataclass_fields__})
        env = os.environ
        for name, conv in (("workers", int), ("max_batch", int), ("reload_interval", float),
                           ("webhook_retries", int), ("webhook_backoff", float)):
            value = env.get(f"SANCTIONS_API_{name.upper()}")
            if value:
                setattr(s, name, conv(value))
        if env.get("SANCTIONS_API_REQUIRE_READ_KEY", "").lower() in ("1", "true", "yes"):
            s.require_read_key = True
        if env.get("SANCTIONS_API_AUDIT", "").lower() in ("0", "false", "no"):
            s.audit = False
        s.preload = env.get("SANCTIONS_API_PRELOAD", "") == "1"
        s.supervised = supervised()
        for k, v in overrides.items():
            if v is not None:
                setattr(s, k, Path(v) if k in ("db_path", "mirror") else v)
        return s
