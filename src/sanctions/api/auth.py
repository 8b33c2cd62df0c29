"""API keys. Only a key's sha256 is stored (a leaked database leaks no key); `sanctions keys create` prints the
key once. Admin endpoints (sync, subscriptions) require an admin key in the X-API-Key header. Kept in one module
so that scopes and an audit trail can be added here later without touching the routers."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from sanctions.api.db import connect, ensure_schema, now_iso

KEY_PREFIX = "sk_"
HEADER = "X-API-Key"

api_key_header = APIKeyHeader(name=HEADER, auto_error=False, description="an admin key from `sanctions keys create --admin`")


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    admin: bool
    created_at: str
    revoked_at: str | None = None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(db_path: str | Path, name: str = "", admin: bool = False) -> tuple[ApiKey, str]:
    """A new random key: returns its record and the key itself, which is not kept anywhere."""
    ensure_schema(db_path)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    db = connect(db_path)
    try:
        created = now_iso()
        cur = db.execute(
            "INSERT INTO keys (name, prefix, sha256, admin, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, key[:10], hash_key(key), int(admin), created),
        )
        return ApiKey(cur.lastrowid, name, key[:10], admin, created), key
    finally:
        db.close()


def list_keys(db_path: str | Path) -> list[ApiKey]:
    ensure_schema(db_path)
    db = connect(db_path)
    try:
        rows = db.execute("SELECT id, name, prefix, admin, created_at, revoked_at FROM keys ORDER BY id").fetchall()
        return [ApiKey(r["id"], r["name"], r["prefix"], bool(r["admin"]), r["created_at"], r["revoked_at"]) for r in rows]
    finally:
        db.close()


def revoke_key(db_path: str | Path, key_id: int) -> bool:
    ensure_schema(db_path)
    db = connect(db_path)
    try:
        cur = db.execute("UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now_iso(), key_id))
        return cur.rowcount > 0
    finally:
        db.close()


def verify_key(db_path: str | Path, key: str | None) -> ApiKey | None:
    """The active key record for `key`, or None. The lookup is by hash, so the comparison never sees the key."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    db = connect(db_path)
    try:
        r = db.execute(
            "SELECT id, name, prefix, admin, created_at, revoked_at FROM keys WHERE sha256 = ? AND revoked_at IS NULL",
            (hash_key(key),),
        ).fetchone()
    finally:
        db.close()
    if r is None:
        return None
    return ApiKey(r["id"], r["name"], r["prefix"], bool(r["admin"]), r["created_at"], None)


def require_admin(request: Request, key: str | None = Depends(api_key_header)) -> ApiKey:
    """FastAPI dependency: 401 without a valid key, 403 with a key that is not an admin key."""
    if not key:
        raise HTTPException(401, detail=f"this endpoint needs an admin API key in the {HEADER} header",
                            headers={"WWW-Authenticate": HEADER})
    found = verify_key(request.app.state.live.settings.db_path, key)
    if found is None:
        raise HTTPException(401, detail="unknown or revoked API key", headers={"WWW-Authenticate": HEADER})
    if not found.admin:
        raise HTTPException(403, detail="this endpoint needs an admin key")
    return found


_VERIFIED: dict[str, tuple[float, ApiKey | None]] = {}  # key hash -> (checked at, record): a 30 s cache
_CACHE_SECONDS = 30.0


def _verify_cached(db_path: str | Path, key: str) -> ApiKey | None:
    import time

    h = hash_key(key)
    hit = _VERIFIED.get(h)
    now = time.monotonic()
    if hit is not None and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    found = verify_key(db_path, key)
    if len(_VERIFIED) > 10_000:
        _VERIFIED.clear()
    _VERIFIED[h] = (now, found)
    return found


def read_access(request: Request, key: str | None = Depends(api_key_header)) -> ApiKey | None:
    """FastAPI dependency for read endpoints that screen: identifies the caller for the audit trail, and when
    the setting `require_read_key` is on, refuses anonymous callers (401). A presented key must be valid."""
    settings = request.app.state.live.settings
    found = _verify_cached(settings.db_path, key) if key else None
    if key and found is None:
        raise HTTPException(401, detail="unknown or revoked API key", headers={"WWW-Authenticate": HEADER})
    if found is None and getattr(settings, "require_read_key", False):
        raise HTTPException(401, detail=f"this service needs an API key in the {HEADER} header",
                            headers={"WWW-Authenticate": HEADER})
    request.state.caller = found
    return found
