"""Moves and their adjudication: facilitator rulings, matrix rolls, votes, overrides.

An override never withdraws an inject that the overruled ruling already fired; it
records, in its journal event, which injects lost their cause.
"""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine import rules
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.commands import (
    CarryMoves,
    LeaveUnruled,
    Narrate,
    OverrideRuling,
    RecordMove,
    RollMatrix,
    Rule,
    Vote,
)
from exercise.engine.conditions import move_conditions, move_counts
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState, MoveState, Ruling
from exercise.vocab import Method, Outcome, Phase


class MoveOps(SessionBase):
    """Record moves and rule on them."""

    @runs(RecordMove)
    def _record_move(self, c: RecordMove, now: dt.datetime) -> str:
        """Record what a role does this turn; returns the move id (m1, m2...)."""
        role, kind, targets, tags = c.role, c.kind, c.targets, c.tags
        made: list[str] = []
        setup_roles = set(self.state.setup.players) | set(self.state.setup.control_roles)
        who = c.actor or (role if role in self.state.setup.players else "control")

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
            self._text(c.text, "the move's text")
            for target in targets:
                self._role(target)
            known_tags = {t.id: t for t in self.pack.manifest.move_tags}
            for tag in tags:
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
                        "text": c.text,
                        "targets": list(targets),
                        "secret": bool(c.secret),
                        "tags": list(tags),
                        "intent": c.intent,
                        "reasons": list(c.reasons),
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

    @runs(CarryMoves)
    def _carry_moves(self, c: CarryMoves, now: dt.datetime) -> None:
        """Carry unruled moves to the next turn: they stay on control's list there."""
        move_ids = c.moves

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "carrying a move")
            if not move_ids:
                raise EngineError("choose the moves to carry")
            for move_id in move_ids:
                self._unruled(state, move_id)
            return [(ev.MOVE_CARRIED, {"move": m, "to_turn": state.turn + 1}) for m in move_ids]

        self._write(now, "control", build)

    @runs(LeaveUnruled)
    def _leave_unruled(self, c: LeaveUnruled, now: dt.datetime) -> None:
        """Record that these moves stay unruled, and why (they may still be ruled late)."""
        move_ids, reason = c.moves, c.reason

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "leaving a move unruled")
            if not move_ids:
                raise EngineError("choose the moves to leave unruled")
            self._text(reason, "the reason for leaving moves unruled")
            for move_id in move_ids:
                self._unruled(state, move_id)
            return [(ev.MOVE_LEFT_UNRULED, {"move": m, "reason": reason}) for m in move_ids]

        self._write(now, "control", build)

    @runs(Rule)
    def _rule(self, c: Rule, now: dt.datetime) -> Ruling:
        """A facilitator ruling: control decides the outcome and its effects."""
        move_id, outcome = c.move, c.outcome

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
                        "narrative": c.narrative,
                        "effects": self._effects(c.effects),
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    @runs(RollMatrix)
    def _roll_matrix(self, c: RollMatrix, now: dt.datetime) -> Ruling:
        """Matrix-game roll: 2d6 + pros - cons, the target or more succeeds (accepted).

        ``effects`` apply on success, ``fail_effects`` on failure. Dice come from the session
        seed and the move id, and are recorded with the modifiers.
        """
        move_id, pros, cons = c.move, c.pros, c.cons

        def build(state: ExerciseState) -> list[Draft]:
            self._ruling_time(state, move_id, "a matrix roll")
            self._unruled(state, move_id)
            self._count(pros, "the number of strong pros")
            self._count(cons, "the number of strong cons")
            roll = rules.matrix_roll(state.setup.seed, move_id, pros, cons)
            applied = self._effects(c.effects if roll.success else c.fail_effects)
            return [
                (
                    ev.RULING_MADE,
                    {
                        "move": move_id,
                        "method": Method.MATRIX,
                        "outcome": Outcome.ACCEPTED if roll.success else Outcome.REJECTED,
                        "narrative": c.narrative,
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

    @runs(Vote)
    def _vote(self, c: Vote, now: dt.datetime) -> Ruling:
        """The room votes: a majority of votes cast accepts (``effects`` apply), a tie
        rejects (``fail_effects`` apply)."""
        move_id, votes_for, votes_against, abstain = (
            c.move,
            c.votes_for,
            c.votes_against,
            c.abstain,
        )

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
            applied = self._effects(c.effects if outcome == Outcome.ACCEPTED else c.fail_effects)
            return [
                (
                    ev.RULING_MADE,
                    {
                        "move": move_id,
                        "method": Method.VOTE,
                        "outcome": outcome,
                        "narrative": c.narrative,
                        "effects": applied,
                        "votes": {"for": votes_for, "against": votes_against, "abstain": abstain},
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    @runs(OverrideRuling)
    def _override_ruling(self, c: OverrideRuling, now: dt.datetime) -> Ruling:
        """Control changes a ruling's outcome, with a reason; ``effects`` are added to it.

        A ``narrative`` replaces the ruling's; the journal keeps both.
        """
        move_id, outcome, reason, narrative = c.move, c.outcome, c.reason, c.narrative

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
                "effects": self._effects(c.effects),
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

    @runs(Narrate)
    def _narrate(self, c: Narrate, now: dt.datetime) -> Ruling:
        """Write a ruling's narrative after the fact: after the dice of a matrix roll."""
        move_id, narrative = c.move, c.narrative

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
