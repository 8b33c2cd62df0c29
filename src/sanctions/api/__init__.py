"""The HTTP service: a FastAPI app with the screening API (yente-compatible /match), list history, admin
endpoints (sync, webhooks) and the HTML pages. `create_app(settings)` builds it; `sanctions serve` runs it."""

from sanctions.api.app import create_app
from sanctions.api.config import ApiSettings

__all__ = ["ApiSettings", "create_app"]
