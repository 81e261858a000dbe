"""The two errors the engine raises; both carry a sentence meant for the user."""

from __future__ import annotations

from exercise.problems import UserError


class EngineError(UserError):
    """An operation is not allowed now (wrong phase, unknown id, already ruled...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message[:1].upper() + message[1:])


class SessionError(UserError):
    """A session file cannot be used: missing, corrupt, from a newer version, pack changed."""


class SessionMissingError(SessionError):
    """No session file where one was named."""


class PackChangedError(SessionError):
    """The pack's content differs from the one the session was played with; the session
    can still be opened by accepting the changed pack (which is recorded)."""
