"""Moves and their adjudication: facilitator rulings, matrix rolls, votes, overrides.

An override never withdraws an inject that the overruled ruling already fired; it
records, in its journal event, which injects lost their cause.
"""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine import rules
from exercise.engine.base import Draft, SessionBase
from exercise.engine.conditions import move_conditions, move_counts
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState, MoveState, Ruling
from exercise.vocab import Method, Outcome, Phase


class MoveOps(SessionBase):
    """Record moves and rule on them."""

    def record_move(
        self,
        role: str,
        kind: str,
        text: str,
        *,
        targets: list[str] | None = None,
        secret: bool = False,
        tags: list[str] | None = None,
        intent: str = "",
        reasons: list[str] | None = None,
        now: dt.datetime,
        actor: str | None = None,
    ) -> str:
        """Record what ``role`` does this turn; returns the move id (m1, m2...)."""
        made: list[str] = []
        setup_roles = set(self.state.setup.players) | set(self.state.setup.control_roles)
        who = actor or (role if role in self.state.setup.players else "control")

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "recording a move")
            phases = (
                [Phase.DELIBERATION, Phase.MOVES]
                if self.pack.manifest.moves_in_deliberation
                else [Phase.MOVES]
            )
            self._need_phase(state, phases, "Moves can be recorded")
            self._role(role)
            if setup_roles and role not in setup_roles:
                raise EngineError(f"role '{role}' is not played in this session")
            if who != "control" and who != role:
                raise EngineError(f"{who} cannot record a move for {role}")
            if kind not in self.pack.manifest.all_move_kinds:
                raise EngineError(
                    f"unknown move kind '{kind}' (known: "
                    f"{', '.join(self.pack.manifest.all_move_kinds)})"
                )
            self._text(text, "the move's text")
            for target in targets or []:
                self._role(target)
            known_tags = {t.id: t for t in self.pack.manifest.move_tags}
            for tag in tags or []:
                if known_tags and tag not in known_tags:
                    raise EngineError(f"unknown move tag '{tag}'")
                offered = known_tags[tag].roles if tag in known_tags else []
                if offered and role not in offered:
                    raise EngineError(f"the tag '{tag}' is not offered to {role}")
            move_id = f"m{len(state.moves) + 1}"
            made[:] = [move_id]
            return [
                (
                    ev.MOVE_RECORDED,
                    {
                        "move": move_id,
                        "role": role,
                        "kind": kind,
                        "text": text,
                        "targets": list(targets or []),
                        "secret": bool(secret),
                        "tags": list(tags or []),
                        "intent": intent,
                        "reasons": list(reasons or []),
                    },
                )
            ]

        self._write(now, who, build)
        return made[0]

    RULING_PHASES = (Phase.MOVES, Phase.ADJUDICATION, Phase.CONSEQUENCES)

    def _ruling_time(self, state: ExerciseState, move_id: str, what: str) -> None:
        """Rulings on this turn's moves in the moves phase and after; on an earlier turn's
        move (a late ruling) at any point of a later turn."""
        self._need_turn(state, what)
        move = state.moves_by_id.get(move_id)
        if move is not None and move.turn < state.turn:
            return
        self._need_phase(state, self.RULING_PHASES, f"{what[0].upper()}{what[1:]} can be made")

    def carry_moves(self, move_ids: list[str], *, now: dt.datetime) -> None:
        """Carry unruled moves to the next turn: they stay on control's list there."""

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "carrying a move")
            if not move_ids:
                raise EngineError("choose the moves to carry")
            for move_id in move_ids:
                self._unruled(state, move_id)
            return [(ev.MOVE_CARRIED, {"move": m, "to_turn": state.turn + 1}) for m in move_ids]

        self._write(now, "control", build)

    def leave_unruled(self, move_ids: list[str], reason: str, *, now: dt.datetime) -> None:
        """Record that these moves stay unruled, and why (they may still be ruled late)."""

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "leaving a move unruled")
            if not move_ids:
                raise EngineError("choose the moves to leave unruled")
            self._text(reason, "the reason for leaving moves unruled")
            for move_id in move_ids:
                self._unruled(state, move_id)
            return [(ev.MOVE_LEFT_UNRULED, {"move": m, "reason": reason}) for m in move_ids]

        self._write(now, "control", build)

    def rule(
        self,
        move_id: str,
        outcome: str,
        narrative: str,
        *,
        effects: dict[str, int] | None = None,
        now: dt.datetime,
    ) -> Ruling:
        """A facilitator ruling: control decides the outcome and its effects."""

        def build(state: ExerciseState) -> list[Draft]:
            self._ruling_time(state, move_id, "a ruling")
            self._unruled(state, move_id)
            if outcome not in tuple(Outcome):
                raise EngineError(f"the outcome must be one of {', '.join(Outcome)}")
            return [
                (
                    ev.RULING_MADE,
                    {
                        "move": move_id,
                        "method": Method.FACILITATOR,
                        "outcome": outcome,
                        "narrative": narrative,
                        "effects": self._effects(effects),
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    def roll_matrix(
        self,
        move_id: str,
        pros: int,
        cons: int,
        narrative: str = "",
        effects: dict[str, int] | None = None,
        *,
        fail_effects: dict[str, int] | None = None,
        now: dt.datetime,
    ) -> Ruling:
        """Matrix-game roll: 2d6 + pros - cons, 7 or more succeeds (accepted).

        ``effects`` apply on success, ``fail_effects`` on failure. Dice come from the session
        seed and the move id, and are recorded with the modifiers.
        """

        def build(state: ExerciseState) -> list[Draft]:
            self._ruling_time(state, move_id, "a matrix roll")
            self._unruled(state, move_id)
            self._count(pros, "the number of strong pros")
            self._count(cons, "the number of strong cons")
            roll = rules.matrix_roll(state.setup.seed, move_id, pros, cons)
            applied = self._effects(effects) if roll.success else self._effects(fail_effects)
            return [
                (
                    ev.RULING_MADE,
                    {
                        "move": move_id,
                        "method": Method.MATRIX,
                        "outcome": Outcome.ACCEPTED if roll.success else Outcome.REJECTED,
                        "narrative": narrative,
                        "effects": applied,
                        "dice": list(roll.dice),
                        "pros": pros,
                        "cons": cons,
                        "total": roll.total,
                        "seed": state.setup.seed,
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    def vote(
        self,
        move_id: str,
        votes_for: int,
        votes_against: int,
        abstain: int = 0,
        narrative: str = "",
        effects: dict[str, int] | None = None,
        *,
        fail_effects: dict[str, int] | None = None,
        now: dt.datetime,
    ) -> Ruling:
        """The room votes: a majority of votes cast accepts (``effects`` apply), a tie
        rejects (``fail_effects`` apply)."""

        def build(state: ExerciseState) -> list[Draft]:
            self._ruling_time(state, move_id, "a vote")
            self._unruled(state, move_id)
            for value, what in (
                (votes_for, "votes for"),
                (votes_against, "votes against"),
                (abstain, "abstentions"),
            ):
                self._count(value, what)
            outcome = rules.vote_outcome(votes_for, votes_against)
            applied = (
                self._effects(effects)
                if outcome == Outcome.ACCEPTED
                else self._effects(fail_effects)
            )
            return [
                (
                    ev.RULING_MADE,
                    {
                        "move": move_id,
                        "method": Method.VOTE,
                        "outcome": outcome,
                        "narrative": narrative,
                        "effects": applied,
                        "votes": {"for": votes_for, "against": votes_against, "abstain": abstain},
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    def override_ruling(
        self,
        move_id: str,
        outcome: str,
        reason: str,
        *,
        effects: dict[str, int] | None = None,
        narrative: str = "",
        now: dt.datetime,
    ) -> Ruling:
        """Control changes a ruling's outcome, with a reason; ``effects`` are added to it.

        A ``narrative`` replaces the ruling's; the journal keeps both.
        """

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "overriding a ruling")
            self._need_phase(state, self.RULING_PHASES, "Rulings can be overridden")
            move = state.moves_by_id.get(move_id)
            if move is None:
                raise EngineError(f"there is no move '{move_id}'")
            if move.ruling is None:
                raise EngineError(f"move {move_id} has not been ruled yet: rule on it first")
            if outcome not in tuple(Outcome):
                raise EngineError(f"the outcome must be one of {', '.join(Outcome)}")
            self._text(reason, "the reason for the override")
            body = {
                "move": move_id,
                "outcome": outcome,
                "reason": reason,
                "effects": self._effects(effects),
            }
            overrules = self._overruled_causes(state, move, outcome)
            if overrules:
                body["overrules"] = overrules
            if narrative.strip():
                body["narrative"] = narrative
            return [(ev.RULING_OVERRIDDEN, body)]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    def _overruled_causes(self, state: ExerciseState, move: MoveState, outcome: str) -> list[str]:
        """Released injects whose condition rested on ``move`` and no longer would.

        They stay released (the world has moved on); the override records that their
        cause was overruled, so no report says the overruled move led to them.
        """
        out = []
        for inject_id in state.released_order:
            inj = state.injects[inject_id]
            definition = self.pack.injects_by_id.get(inject_id)
            if move.id not in inj.cause_moves or definition is None or inj.overruled:
                continue
            matches = [
                c.move for c in move_conditions(definition.condition) if move_counts(c.move, move)
            ]
            if matches and not any(move_counts(m, move, outcome) for m in matches):
                out.append(inject_id)
        return out

    def narrate(self, move_id: str, narrative: str, *, now: dt.datetime) -> Ruling:
        """Write a ruling's narrative after the fact: after the dice of a matrix roll."""

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "writing a narrative")
            move = state.moves_by_id.get(move_id)
            if move is None:
                raise EngineError(f"there is no move '{move_id}'")
            if move.ruling is None:
                raise EngineError(f"move {move_id} has not been ruled yet: rule on it first")
            if move.ruling.narrative:
                raise EngineError(
                    f"the ruling on {move_id} has its narrative: override it to change it"
                )
            self._text(narrative, "the narrative")
            return [(ev.RULING_NARRATED, {"move": move_id, "narrative": narrative})]

        self._write(now, "control", build)
        return self._ruling(move_id)

    def _ruling(self, move_id: str) -> Ruling:
        ruling = self.state.moves_by_id[move_id].ruling
        assert ruling is not None
        return ruling
