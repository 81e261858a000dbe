"""Operations on the course of the exercise: turns and phases, tracks, the timer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from exercise.engine import events as ev
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.commands import (
    AdjustTrack,
    AdvancePhase,
    BackPhase,
    EndExercise,
    ExtendTimer,
    PauseTimer,
    ResumeTimer,
    SkipTimer,
    StartExercise,
)
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState
from exercise.vocab import TURN_PHASES, Phase


class TurnOps(SessionBase):
    """Start, advance and end the exercise; adjust tracks; run the deliberation timer."""

    @runs(StartExercise)
    def _start(self, c: StartExercise, now: dt.datetime) -> None:
        """Begin turn 1 and release its scheduled (and satisfied conditional) injects."""

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended")
            if state.turn != 0:
                raise EngineError(f"The exercise has already started (turn {state.turn})")
            return [(ev.TURN_STARTED, {"turn": 1})]

        self._write(now, "control", build)

    @runs(AdvancePhase)
    def _advance_phase(self, c: AdvancePhase, now: dt.datetime) -> None:
        """Go to the next phase; after consequences, the next turn (or the end)."""

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended")
            if state.phase == Phase.SETUP:
                raise EngineError("The exercise has not started: start turn 1 first")
            index = TURN_PHASES.index(state.phase)
            if index + 1 < len(TURN_PHASES):
                return [(ev.PHASE_CHANGED, {"phase": TURN_PHASES[index + 1]})]
            if state.turn >= self.pack.manifest.turns:
                return [(ev.EXERCISE_ENDED, {"reason": "last turn completed"})]
            return [(ev.TURN_STARTED, {"turn": state.turn + 1})]

        self._write(now, "control", build)

    @runs(BackPhase)
    def _back_phase(self, c: BackPhase, now: dt.datetime) -> None:
        """Return to the previous phase of this turn, while nothing has happened in this one.

        Recorded as its own event, so the journal shows the step back.
        """

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "going back a phase")
            index = TURN_PHASES.index(state.phase)
            if index == 0:
                raise EngineError(
                    "the injects phase is the first of the turn: there is no phase to go back to"
                )
            last = state.events[-1] if state.events else None
            if last is None or last.type not in (ev.PHASE_CHANGED, ev.PHASE_REVERTED):
                what = last.type.replace("_", " ") if last is not None else "an event"
                raise EngineError(
                    f"something has already happened in the {state.phase} phase ({what}): "
                    "going back would hide it"
                )
            return [(ev.PHASE_REVERTED, {"phase": TURN_PHASES[index - 1], "from": state.phase})]

        self._write(now, "control", build)

    @runs(EndExercise)
    def _end_exercise(self, c: EndExercise, now: dt.datetime) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has already ended")
            return [(ev.EXERCISE_ENDED, {"reason": "ended by control"})]

        self._write(now, "control", build)

    @runs(AdjustTrack)
    def _adjust_track(self, c: AdjustTrack, now: dt.datetime) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "adjusting a track")
            self._effects({c.track: c.delta})
            if c.delta == 0:
                raise EngineError("the adjustment must not be zero")
            self._text(c.reason, "the reason for the adjustment")
            return [(ev.TRACK_ADJUSTED, {"track": c.track, "delta": c.delta, "reason": c.reason})]

        self._write(now, "control", build, conditions=True)

    def _timer(
        self,
        kind: str,
        body: dict[str, Any],
        now: dt.datetime,
        check: Callable[[ExerciseState], None],
    ) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "using the timer")
            self._need_phase(state, [Phase.DELIBERATION], "The timer can be used")
            check(state)
            return [(kind, body)]

        self._write(now, "control", build)

    @runs(PauseTimer)
    def _timer_pause(self, c: PauseTimer, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if state.timer.paused:
                raise EngineError("the timer is already paused")
            if state.timer.skipped:
                raise EngineError("the timer was skipped")

        self._timer(ev.TIMER_PAUSED, {}, now, check)

    @runs(ResumeTimer)
    def _timer_resume(self, c: ResumeTimer, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if not state.timer.paused:
                raise EngineError("the timer is not paused")

        self._timer(ev.TIMER_RESUMED, {}, now, check)

    @runs(ExtendTimer)
    def _timer_extend(self, c: ExtendTimer, now: dt.datetime) -> None:
        minutes = c.minutes

        def check(state: ExerciseState) -> None:
            if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
                raise EngineError("extend the timer by a whole number of minutes, 1 or more")
            if state.timer.skipped:
                raise EngineError("the timer was skipped")

        self._timer(ev.TIMER_EXTENDED, {"minutes": minutes}, now, check)

    @runs(SkipTimer)
    def _timer_skip(self, c: SkipTimer, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if state.timer.skipped:
                raise EngineError("the timer was already skipped")

        self._timer(ev.TIMER_SKIPPED, {}, now, check)
