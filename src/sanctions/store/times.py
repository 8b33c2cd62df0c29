"""Dates and times as the store keeps them: ISO 8601 UTC strings that sort as text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_when(value: str | date | datetime, end_of_day: bool = False) -> datetime:
    """Read a date or date-time given by a user or a file. A bare date means its start, or with
    `end_of_day` its last second ("as of 2022-01-12" includes everything published that day)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        value = value.isoformat()
    text = value.strip()
    if _DATE.match(text):
        d = date.fromisoformat(text)
        t = time(23, 59, 59) if end_of_day else time(0, 0)
        return datetime.combine(d, t, tzinfo=UTC)
    text = text.replace("Z", "+00:00")
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2})(\d{2})(\+00:00)?$", text)  # 2022-01-12T1851Z (file names)
    if m:
        text = f"{m.group(1)}:{m.group(2)}:00+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or an ISO 8601 date-time)") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_bounds(day: str) -> tuple[str, str]:
    start = parse_when(day)
    return iso_utc(start), iso_utc(start + timedelta(days=1) - timedelta(seconds=1))
