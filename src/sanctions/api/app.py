"""The FastAPI application: the JSON API and the HTML pages, over one `Live` (the lists in use) and one
`ApiSettings`. Built by `create_app(settings)`; `sanctions serve` runs it under uvicorn."""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from sanctions import __version__
from sanctions.api import workers
from sanctions.api.config import ApiSettings
from sanctions.api.live import Live, NotReady, SyncBusy
from sanctions.api.routers import admin, data, screening, system
from sanctions.api.webhooks import Webhooks
from sanctions.audit import AuditWriter

log = logging.getLogger("sanctions.api")

DESCRIPTION = """Official sanctions lists (OFAC, UN, UK HMT, BIS) with every published version, and explained
screening. `/match` speaks the request and response shape of OpenSanctions yente. Every data response names the
snapshots (published list versions) it was answered from, in its body and in the `X-Sanctions-Snapshots` header.
Admin endpoints need an admin key (`sanctions keys create --admin`) in the `X-API-Key` header."""

PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = "frame-ancestors 'none'"  # the Swagger page loads its script from a CDN, inline


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task, unlike BaseHTTPMiddleware): security headers on every
    response, a strict CSP on the HTML pages."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        csp = DOCS_CSP if path.startswith(("/docs", "/redoc")) else PAGE_CSP

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"content-security-policy", csp.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Pure ASGI middleware: refuse request bodies over `limit` bytes with 413, whether the client declares the
    length or streams it (the count is kept as the body arrives, before the application parses anything)."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                return await self._refuse(send)
        seen = 0
        refused = False

        async def counted():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit and not refused:
                    refused = True
                    await self._refuse(send)
                    return {"type": "http.disconnect"}  # the application stops reading; its answer is dropped
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded_send)

    async def _refuse(self, send):
        body = json.dumps({"detail": f"request body larger than {self.limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def create_app(settings: ApiSettings | None = None, live: Live | None = None) -> FastAPI:
    settings = settings or ApiSettings.from_env()
    live = live or Live(settings)
    webhooks = Webhooks(settings.db_path, settings.webhook_timeout, settings.webhook_retries,
                        settings.webhook_backoff)
    live.on_change.append(webhooks.notify)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.preload and not live.ready:  # a replacement worker: take connections only once ready
            await asyncio.to_thread(live.load)
        elif settings.load_on_start and not live.ready:
            live.load_in_background()
        if settings.supervised:  # the supervisor watches the store and replaces this process instead
            workers.worker_started(asyncio.get_running_loop())
        else:
            live.start_watcher()
        yield
        live.stop()
        if app.state.audit is not None:
            app.state.audit.close()

    app = FastAPI(title="sanctions", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.live = live
    app.state.settings = settings
    app.state.webhooks = webhooks
    app.state.audit = AuditWriter(settings.db_path) if settings.audit else None

    @app.exception_handler(NotReady)
    async def not_ready(request: Request, exc: NotReady):
        return JSONResponse({"detail": f"not ready: {exc}"}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(SyncBusy)
    async def busy(request: Request, exc: SyncBusy):
        return JSONResponse({"detail": str(exc)}, status_code=409)

    for r in (screening.router, data.router, system.router, admin.router):
        app.include_router(r)

    from sanctions.web import STATIC_DIR
    from sanctions.web import router as web_router

    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def root():
        return RedirectResponse("/ui/")

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.supervised:
        app.add_middleware(workers.CloseWhenDraining)
    return app
