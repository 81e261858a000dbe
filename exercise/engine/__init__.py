"""The exercise engine: sessions, their journal, and the state rebuilt from it.

Nothing here imports the user interface; time (``now``) and randomness (the session
seed) are always passed in, so the same journal always gives the same state.
"""

from exercise.engine.errors import EngineError, SessionError
from exercise.engine.events import Event
from exercise.engine.session import Session, SessionSetup
from exercise.engine.state import (
    ExerciseState,
    FeedItem,
    HotwashEntry,
    ImprovementItem,
    InjectState,
    MoveState,
    Observation,
    Ruling,
    SetupState,
    TimerState,
    TrackChange,
    TrackState,
)

__all__ = [
    "EngineError",
    "Event",
    "ExerciseState",
    "FeedItem",
    "HotwashEntry",
    "ImprovementItem",
    "InjectState",
    "MoveState",
    "Observation",
    "Ruling",
    "Session",
    "SessionError",
    "SessionSetup",
    "SetupState",
    "TimerState",
    "TrackChange",
    "TrackState",
]
