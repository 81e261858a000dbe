"""PINs: how they are kept (salted hashes), and why wrong ones cost time.

After three wrong tries, each further try waits longer: 1 s after the third wrong PIN,
then 2 s, 4 s… up to a cap. The count is kept per role (and for control) in the session
file's meta table, so a new process or browser tab does not reset it; a right PIN clears
it. Time is passed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

PIN_ITERATIONS = 60_000
FREE_TRIES = 3
MAX_WAIT_S = 300.0
META_KEY = "pin_failures"


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The PIN as stored: PBKDF2 with a random salt, never the PIN itself."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, PIN_ITERATIONS)
    return f"pbkdf2-sha256${PIN_ITERATIONS}${salt.hex()}${digest.hex()}"


def pin_matches(stored: str, pin: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
        mine = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(mine.hex(), digest)


def observer_pin_key(observer_id: str) -> str:
    """Where an observer's PIN is kept among the session's PINs."""
    return f"observer:{observer_id}"


@dataclass(frozen=True, slots=True)
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
