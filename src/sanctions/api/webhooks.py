"""Webhook subscriptions: after a sync that changed a list, POST the change summary to every subscriber.

Each payload is signed with the subscription's own secret (returned once, at creation):
`X-Sanctions-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; a receiver recomputes it over the bytes it
got and compares in constant time. `X-Sanctions-Delivery` is an id that stays the same across retries (for
de-duplication). Failed deliveries (connection errors, 5xx, 408, 429) are retried with exponential backoff on a
background thread, so a slow receiver never holds up a sync; each delivery's outcome is recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sanctions import __version__
from sanctions.api.db import connect, now_iso

log = logging.getLogger("sanctions.api.webhooks")
SIGNATURE_HEADER = "X-Sanctions-Signature"
RETRY_STATUS = {408, 425, 429}


@dataclass
class Subscription:
    id: str
    url: str
    sources: list[str] | None
    description: str | None
    created_at: str
    secret: str | None = None  # only filled when just created

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "secret"}


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature or "")


class Webhooks:
    def __init__(self, db_path: str | Path, timeout: float = 10.0, retries: int = 5, backoff: float = 1.0):
        self.db_path = db_path
        self.timeout = timeout
        self.retries = max(1, retries)
        self.backoff = backoff
        self._threads: list[threading.Thread] = []

    # -- subscriptions -------------------------------------------------------------------------------------------
    def create(self, url: str, sources: list[str] | None = None, description: str | None = None,
               key_id: int | None = None) -> Subscription:
        sub = Subscription("sub_" + uuid.uuid4().hex[:16], url, sources, description, now_iso(),
                           secret="whsec_" + secrets.token_urlsafe(32))
        db = connect(self.db_path)
        try:
            db.execute(
                "INSERT INTO subscriptions (id, url, secret, sources, description, created_at, key_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sub.id, url, sub.secret, json.dumps(sources) if sources else None, description, sub.created_at,
                 key_id),
            )
        finally:
            db.close()
        return sub

    def list(self) -> list[dict[str, Any]]:
        db = connect(self.db_path)
        try:
            out = []
            for r in db.execute("SELECT * FROM subscriptions WHERE active = 1 ORDER BY created_at, id").fetchall():
                last = db.execute(
                    "SELECT id, event, created_at, status, attempts, last_status, last_error, finished_at"
                    " FROM webhook_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
                    (r["id"],),
                ).fetchone()
                sub = self._row(r).public()
                sub["last_delivery"] = dict(last) if last else None
                out.append(sub)
            return out
        finally:
            db.close()

    def delete(self, sub_id: str) -> bool:
        db = connect(self.db_path)
        try:
            return db.execute("UPDATE subscriptions SET active = 0 WHERE id = ? AND active = 1", (sub_id,)).rowcount > 0
        finally:
            db.close()

    def deliveries(self, sub_id: str) -> list[dict[str, Any]]:
        db = connect(self.db_path)
        try:
            return [dict(r) for r in db.execute(
                "SELECT * FROM webhook_deliveries WHERE subscription_id = ? ORDER BY created_at, rowid", (sub_id,))]
        finally:
            db.close()

    @staticmethod
    def _row(r) -> Subscription:
        return Subscription(r["id"], r["url"], json.loads(r["sources"]) if r["sources"] else None, r["description"],
                            r["created_at"], r["secret"])

    # -- delivery --------------------------------------------------------------------------------------------------
    def notify(self, summary: dict[str, Any]) -> int:
        """Queue one delivery per interested subscription; returns how many were queued."""
        db = connect(self.db_path)
        try:
            subs = [self._row(r) for r in db.execute("SELECT * FROM subscriptions WHERE active = 1")]
        finally:
            db.close()
        changed = set(summary.get("sources") or [])
        n = 0
        for sub in subs:
            if sub.sources and not changed & set(sub.sources):
                continue
            payload = dict(summary)
            if sub.sources:
                payload["changes"] = [c for c in summary["changes"] if c["snapshot"]["source"] in sub.sources]
                payload["sources"] = sorted(changed & set(sub.sources))
            t = threading.Thread(target=self.deliver, args=(sub, payload), name=f"webhook-{sub.id}", daemon=True)
            t.start()
            self._threads = [x for x in self._threads if x.is_alive()] + [t]
            n += 1
        return n

    def deliver(self, sub: Subscription, payload: dict[str, Any]) -> bool:
        delivery = "dlv_" + uuid.uuid4().hex[:16]
        payload = {"id": delivery, "subscription": sub.id, **payload}
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"sanctions-webhooks/{__version__}",
            "X-Sanctions-Event": str(payload.get("event", "")),
            "X-Sanctions-Delivery": delivery,
            SIGNATURE_HEADER: sign(sub.secret or "", body),
        }
        self._record(delivery, sub.id, payload.get("event", ""), "pending", 0, None, None)
        delay = self.backoff
        status: int | None = None
        error: str | None = None
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
            for attempt in range(1, self.retries + 1):
                retry = True
                try:
                    resp = client.post(sub.url, content=body, headers=headers)
                    status, error = resp.status_code, None
                    if 200 <= status < 300:
                        self._record(delivery, sub.id, payload.get("event", ""), "delivered", attempt, status, None)
                        return True
                    error = f"HTTP {status}"
                    retry = status >= 500 or status in RETRY_STATUS
                except httpx.HTTPError as exc:
                    status, error = None, f"{type(exc).__name__}: {exc}"
                self._record(delivery, sub.id, payload.get("event", ""), "pending", attempt, status, error)
                if not retry or attempt == self.retries:
                    break
                time.sleep(delay)
                delay *= 2
        self._record(delivery, sub.id, payload.get("event", ""), "failed", attempt, status, error)
        log.warning("webhook %s to %s failed after %d attempts: %s", delivery, sub.url, attempt, error)
        return False

    def _record(self, delivery: str, sub_id: str, event: str, status: str, attempts: int, code: int | None,
                error: str | None) -> None:
        db = connect(self.db_path)
        try:
            db.execute(
                "INSERT INTO webhook_deliveries (id, subscription_id, event, created_at, status, attempts, last_status,"
                " last_error, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                " status = excluded.status, attempts = excluded.attempts, last_status = excluded.last_status,"
                " last_error = excluded.last_error, finished_at = excluded.finished_at",
                (delivery, sub_id, event, now_iso(), status, attempts, code, error,
                 now_iso() if status in ("delivered", "failed") else None),
            )
        finally:
            db.close()

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for queued deliveries (tests, shutdown)."""
        end = time.monotonic() + timeout
        for t in list(self._threads):
            t.join(max(0.0, end - time.monotonic()))
