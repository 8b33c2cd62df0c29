"""One settings object, read from the environment once (by the CLI or the app) and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def default_db_path() -> Path:
    return Path(user_data_dir("sanctions", appauthor=False)) / "sanctions.db"


@dataclass
class Settings:
    db_path: Path = field(default_factory=default_db_path)
    mirror: Path | None = None  # folder laid out like ../shared/data/current; replaces the publishers' URLs
    http_timeout: float = 60.0  # seconds per request
    http_retries: int = 3
    http_backoff: float = 1.0  # seconds, doubled after each failed attempt
    max_download_bytes: int = 512 * 1024 * 1024  # refuse anything larger than this from a publisher
    index_cache: bool = True  # keep built screening indexes beside the store (env SANCTIONS_INDEX_CACHE=0: off)

    @property
    def index_cache_dir(self) -> Path | None:
        return self.db_path.with_name(self.db_path.name + ".index-cache") if self.index_cache else None

    @classmethod
    def from_env(cls, db: str | None = None, mirror: str | None = None) -> Settings:
        env = os.environ
        s = cls()
        db = db or env.get("SANCTIONS_DB")
        if db:
            s.db_path = Path(db)
        mirror = mirror or env.get("SANCTIONS_MIRROR")
        if mirror:
            s.mirror = Path(mirror)
        if env.get("SANCTIONS_INDEX_CACHE", "").lower() in ("0", "false", "no"):
            s.index_cache = False
        return s
