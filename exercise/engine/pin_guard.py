"""Wrong PINs cost time: after three wrong tries, each further try waits longer.

1 s after the third wrong PIN, then 2 s, 4 s… up to a cap. The count is kept per role
(and for control) in the session file's meta table, so a new process or browser tab
does not reset it; a right PIN clears it. Time is passed in.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

FREE_TRIES = 3
MAX_WAIT_S = 300.0
META_KEY = "pin_failures"


@dataclass(frozen=True)
class PinCheck:
    """The answer to one try: right or not, and how long until the next try counts."""

    ok: bool
    wait: float = 0.0
    refused: bool = False  # True when the try came too early and was not checked


def wait_after(failures: int) -> float:
    """Seconds to wait before the next try, after ``failures`` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_WAIT_S, 2.0 ** (failures - FREE_TRIES))


def load(text: str | None) -> dict[str, dict[str, Any]]:
    """The failure records in the meta value (damaged or missing: none)."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def remaining(record: Any, now: dt.datetime) -> float:
    """Seconds still to wait, given ``who``'s record."""
    if not isinstance(record, dict):
        return 0.0
    try:
        count = int(record.get("count", 0))
        last = dt.datetime.fromisoformat(str(record.get("at")))
    except (TypeError, ValueError):
        return 0.0
    left = wait_after(count) - (now - last).total_seconds()
    return max(0.0, min(left, MAX_WAIT_S))


def failed(record: Any, now: dt.datetime) -> dict[str, Any]:
    """The record after one more wrong PIN at ``now``."""
    count = int(record.get("count", 0)) if isinstance(record, dict) else 0
    return {"count": count + 1, "at": now.isoformat()}
