"""Replay of a session for the debrief: the journal read once, read-only, then stepped.

The file is opened with SQLite's read-only mode and closed once its events are read,
so a replay can never change a session (not even its meta, as resuming a session with
a changed pack does). The state at any point is the replay of the events up to it,
through the same ``apply`` as everywhere else.

For the room (public replay) the arrow keys stop only where the Board changes: turns
and phases, public injects and moves, rulings on public moves, track changes and the
timer. Control's replay stops at every event.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import gc
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exercise.engine import events as ev
from exercise.engine import pin_guard
from exercise.engine.errors import PackChangedError, SessionError
from exercise.engine.events import Event
from exercise.engine.journal import check_file
from exercise.engine.reduce import apply, initial_state, typed_body
from exercise.engine.state import ExerciseState
from exercise.pack.models import Pack

_ALWAYS_PUBLIC = frozenset(
    {
        ev.TURN_STARTED,
        ev.PHASE_CHANGED,
        ev.EXERCISE_ENDED,
        ev.TRACK_ADJUSTED,
        ev.TIMER_PAUSED,
        ev.TIMER_RESUMED,
        ev.TIMER_EXTENDED,
        ev.TIMER_SKIPPED,
    }
)


def read_journal(path: Path) -> tuple[dict[str, str], list[Event]]:
    """The meta and every event of a session file, read without any write."""
    check_file(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            rows = conn.execute(
                "SELECT seq, ts, actor, type, body FROM events ORDER BY seq"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise SessionError(f"{path}: cannot read the session journal ({exc})") from None
    events = [
        Event(seq, dt.datetime.fromisoformat(ts), actor, kind, body)
        for seq, ts, actor, kind, body in rows
    ]
    if not events or events[0].type != ev.SESSION_CREATED:
        raise SessionError(f"{path} is a session journal without its first event")
    return meta, events


def session_pack(
    meta: dict[str, str], pack: Pack | None, accept_changed: bool, *, flags: bool = True
) -> Pack:
    """The pack the session was played with (or ``pack``), checked; records nothing.

    ``flags``: the hints name the command line's options (``--pack``,
    ``--accept-changed-pack``); without it they speak of the app's choices.
    """
    recorded = meta.get("pack_path", "")
    if pack is None:
        from exercise.pack.loader import load_pack

        if not recorded or not Path(recorded, "scenario.yaml").is_file():
            give = (
                "give the pack folder with --pack" if flags else "give the pack folder explicitly"
            )
            raise SessionError(
                f"the session's pack is no longer at {recorded or '(unknown)'}; {give}"
            )
        result = load_pack(recorded)
        if not result.ok or result.pack is None:
            first = next((p for p in result.problems if p.is_error), None)
            raise SessionError(
                f"the session's pack at {recorded} no longer loads"
                + (f": {first}" if first else "")
            )
        pack = result.pack
    if meta.get("pack_id") and meta["pack_id"] != pack.manifest.id:
        raise SessionError(
            f"this session was played with pack '{meta['pack_id']}', not "
            f"'{pack.manifest.id}'; open it with its own pack"
        )
    if meta.get("pack_hash") and meta["pack_hash"] != pack.content_hash and not accept_changed:
        go_on = (
            "(--accept-changed-pack replays it with the pack as it is now)"
            if flags
            else "Restore the pack, or accept the changed pack explicitly to go on with it"
        )
        raise PackChangedError(
            f"the pack '{pack.manifest.id}' has changed since this session was "
            f"recorded (at {recorded}: content {meta['pack_hash'][:12]}, now "
            f"{pack.content_hash[:12]}); the replay could differ from what was played. {go_on}"
        )
    return pack


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Replaying only makes objects that stay alive: collections would only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Replay:
    """A whole session in memory; ``position`` events of it are applied to ``state``."""

    pack: Pack
    events: list[Event]
    meta: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    position: int = 0
    state: ExerciseState = field(init=False)

    def __post_init__(self) -> None:
        self.state = initial_state(self.pack)
        self.position = 0
        self._bodies: list[ev.Body] = []  # each event's typed body, read once
        self._public = self._public_stops()
        self._turns = self._turn_starts()
        self.seek(1)

    @classmethod
    def open(
        cls, path: Path, pack: Pack | None = None, *, accept_changed_pack: bool = False
    ) -> Replay:
        meta, events = read_journal(Path(path))
        return cls(session_pack(meta, pack, accept_changed_pack), events, meta, Path(path))

    # ------------------------------------------------------------------ where to stop

    def _public_stops(self) -> list[int]:
        """Positions where the Board changes (the first position always counts)."""
        state = initial_state(self.pack)
        stops = [1]
        with _gc_paused():
            for index, event in enumerate(self.events):
                tracks = [t.value for t in state.tracks.values()]
                body = typed_body(event)
                self._bodies.append(body)
                apply(state, event, body)
                if index and self._is_public(event.type, body, state, tracks):
                    stops.append(index + 1)
        return stops

    @staticmethod
    def _is_public(
        kind: str, body: ev.Body, state: ExerciseState, tracks_before: list[int]
    ) -> bool:
        if kind in _ALWAYS_PUBLIC:
            return True
        moved = tracks_before != [t.value for t in state.tracks.values()]
        if isinstance(body, ev.InjectReleased | ev.AdhocInject):
            inj = state.injects.get(body.inject)
            return moved or (inj is not None and inj.is_public)
        if isinstance(body, ev.MoveRecorded):
            return not body.secret
        if isinstance(body, ev.RulingMade | ev.RulingOverridden):
            move = state.move(body.move)
            return moved or (move is not None and not move.secret)
        return False

    def _turn_starts(self) -> dict[int, int]:
        """Turn number -> the position just after its start and the releases with it."""
        starts: dict[int, int] = {}
        current = None
        for index, body in enumerate(self._bodies):
            if isinstance(body, ev.TurnStarted):
                current = body.turn
                starts[current] = index + 1
            elif (
                current is not None
                and isinstance(body, ev.InjectReleased)
                and body.mark == ev.TURN_START_MARK
                and starts[current] == index
            ):
                starts[current] = index + 1
            else:
                current = None
        return starts

    def stops(self, control: bool) -> list[int]:
        return list(range(1, len(self.events) + 1)) if control else self._public

    @property
    def turns(self) -> list[int]:
        return sorted(self._turns)

    # ------------------------------------------------------------------ moving

    def seek(self, position: int) -> None:
        """Apply events so that exactly ``position`` of them are in ``state``."""
        position = max(1, min(len(self.events), position))
        if position < self.position:
            self.state = initial_state(self.pack)
            self.position = 0
        with _gc_paused():
            for index in range(self.position, position):
                apply(self.state, self.events[index], self._bodies[index])
        self.position = position

    def step(self, direction: int, control: bool) -> bool:
        """To the next (+1) or previous (-1) stop; False when there is none."""
        stops = self.stops(control)
        if direction > 0:
            index = bisect.bisect_right(stops, self.position)
            target = stops[index] if index < len(stops) else None
        else:
            index = bisect.bisect_left(stops, self.position) - 1
            target = stops[index] if index >= 0 else None
        if target is None:
            return False
        self.seek(target)
        return True

    def turn_step(self, direction: int) -> bool:
        """To the start of the next turn, or of this one (then the one before)."""
        starts = sorted(self._turns.values())
        if direction > 0:
            later = [p for p in starts if p > self.position]
            target = later[0] if later else len(self.events)
        else:
            earlier = [p for p in starts if p < self.position]
            target = earlier[-1] if earlier else 1
        if target == self.position:
            return False
        self.seek(target)
        return True

    def go_to_turn(self, turn: int) -> bool:
        position = self._turns.get(turn)
        if position is None:
            return False
        self.seek(position)
        return True

    @property
    def event(self) -> Event:
        """The last event applied: what just happened."""
        return self.events[self.position - 1]

    # ------------------------------------------------------------------ PINs

    def has_pin(self, who: str) -> bool:
        return who in json.loads(self.meta.get("pins", "{}"))

    def check_pin(self, who: str, pin: str) -> bool:
        stored = json.loads(self.meta.get("pins", "{}")).get(who)
        return True if not stored else pin_guard.pin_matches(stored, pin)

    def pin_wait(self, who: str, *, now: dt.datetime) -> float:
        """The wait the session file already imposes on ``who`` (a replay records none)."""
        records = pin_guard.load(self.meta.get(pin_guard.META_KEY))
        return pin_guard.remaining(records.get(who), now)

    def try_pin(self, who: str, pin: str, *, now: dt.datetime) -> pin_guard.PinCheck:
        """Check ``pin`` honouring the session's wait; the replay is read-only, so a wrong
        try is not counted in the file."""
        wait = self.pin_wait(who, now=now)
        if wait > 0:
            return pin_guard.PinCheck(False, wait, refused=True)
        return pin_guard.PinCheck(self.check_pin(who, pin))
