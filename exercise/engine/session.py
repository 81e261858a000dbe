"""A session: one play of a pack, driven by operations that each append to the journal.

Every operation checks that it makes sense now (phase, ids, values), writes its event
(and the inject releases it causes) in one durable transaction, and only then returns.
The live ``state`` is exactly the replay of the journal: operations apply the same
events, through the same ``apply``, that a resume would.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise.engine import events as ev
from exercise.engine import rules, scheduler
from exercise.engine.errors import EngineError, SessionError
from exercise.engine.journal import Journal, encode_body
from exercise.engine.state import PHASES, SETUP, ExerciseState, Ruling, apply, initial_state
from exercise.pack.models import Pack

Draft = tuple[str, dict[str, Any]]
OUTCOMES = ("accepted", "modified", "rejected")
OBSERVATION_KINDS = ("strength", "improvement")
IMPROVEMENT_STATUSES = ("open", "in-progress", "done")
PIN_ITERATIONS = 60_000


@dataclass
class SessionSetup:
    """Who plays which role, optional PINs, the seed for dice and chance, a name."""

    players: dict[str, str] = field(default_factory=dict)
    control_roles: list[str] = field(default_factory=list)
    pins: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    name: str = ""


def _hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, PIN_ITERATIONS)
    return f"pbkdf2-sha256${PIN_ITERATIONS}${salt.hex()}${digest.hex()}"


def _pin_matches(stored: str, pin: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
        mine = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(mine.hex(), digest)


def _validate_setup(pack: Pack, setup: SessionSetup) -> None:
    roles = pack.roles_by_id
    for role in [*setup.players, *setup.control_roles]:
        if role not in roles:
            raise EngineError(f"there is no role '{role}' in the pack ({', '.join(roles)})")
    both = set(setup.players) & set(setup.control_roles)
    if both:
        raise EngineError(f"role {sorted(both)[0]} cannot be both a player and control-played")
    for who in setup.pins:
        if who != "control" and who not in roles:
            raise EngineError(f"a PIN is set for '{who}', which is neither 'control' nor a role")
    if not isinstance(setup.seed, int):
        raise EngineError("the seed must be a whole number")


class Session:
    """An open session. Create with ``Session.create`` or resume with ``Session.open``."""

    def __init__(self, journal: Journal, pack: Pack, state: ExerciseState) -> None:
        self.journal = journal
        self.pack = pack
        self.state = state
        self._data_version = journal.data_version()

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def _meta(pack: Pack, setup: SessionSetup, now: dt.datetime) -> dict[str, str]:
        pins = {who: _hash_pin(pin) for who, pin in setup.pins.items() if pin}
        return {
            "pack_id": pack.manifest.id,
            "pack_hash": pack.content_hash,
            "pack_path": str(Path(pack.root).resolve()),
            "created": now.isoformat(),
            "pins": json.dumps(pins, sort_keys=True),
        }

    @staticmethod
    def _created_body(pack: Pack, setup: SessionSetup) -> dict[str, Any]:
        return {
            "pack_id": pack.manifest.id,
            "setup": {
                "players": dict(setup.players),
                "control_roles": list(setup.control_roles),
                "name": setup.name,
                "seed": setup.seed,
            },
        }

    @classmethod
    def create(
        cls, path: Path | str, pack: Pack, setup: SessionSetup, *, now: dt.datetime
    ) -> Session:
        """Start a new session file at ``path`` (which must not exist). Releases nothing."""
        _validate_setup(pack, setup)
        journal = Journal.create(Path(path), cls._meta(pack, setup, now),
                                 [cls._first_row(pack, setup, now)])
        return cls(journal, pack, rebuild(pack, journal))

    @classmethod
    def memory(cls, pack: Pack, setup: SessionSetup, *, now: dt.datetime) -> Session:
        """A session whose journal lives only in memory (previews and tests)."""
        _validate_setup(pack, setup)
        journal = Journal.memory(cls._meta(pack, setup, now), [cls._first_row(pack, setup, now)])
        return cls(journal, pack, rebuild(pack, journal))

    @classmethod
    def _first_row(cls, pack: Pack, setup: SessionSetup, now: dt.datetime) -> tuple:
        if not isinstance(now, dt.datetime):
            raise EngineError("now must be a datetime")
        body = encode_body(cls._created_body(pack, setup))
        return (1, now.isoformat(), "control", ev.SESSION_CREATED, body)

    @classmethod
    def open(
        cls, path: Path | str, pack: Pack | None = None, *, accept_changed_pack: bool = False
    ) -> Session:
        """Resume a session: check the file and the pack, then replay the journal."""
        path = Path(path)
        journal = Journal.open(path)
        try:
            pack = cls._check_pack(journal, pack, accept_changed_pack)
            first = journal.first_event()
            if first is None or first.type != ev.SESSION_CREATED:
                raise SessionError(f"{path} is a session journal without its first event")
            try:
                state = rebuild(pack, journal)
            except (KeyError, TypeError, ValueError) as exc:
                raise SessionError(
                    f"{path}: cannot replay the journal against this pack (event refers to "
                    f"{exc} which the pack does not define)"
                ) from None
        except BaseException:
            journal.close()
            raise
        return cls(journal, pack, state)

    @staticmethod
    def _check_pack(journal: Journal, pack: Pack | None, accept_changed: bool) -> Pack:
        meta = journal.meta
        recorded_path = meta.get("pack_path", "")
        if pack is None:
            from exercise.pack.loader import load_pack

            if not recorded_path or not Path(recorded_path, "scenario.yaml").is_file():
                raise SessionError(
                    f"the session's pack is no longer at {recorded_path or '(unknown)'}; "
                    "give the pack folder explicitly"
                )
            result = load_pack(recorded_path)
            if not result.ok or result.pack is None:
                first = next((p for p in result.problems if p.is_error), None)
                raise SessionError(
                    f"the session's pack at {recorded_path} no longer loads"
                    + (f": {first}" if first else "")
                )
            pack = result.pack
        if meta.get("pack_id") and meta["pack_id"] != pack.manifest.id:
            raise SessionError(
                f"this session was played with pack '{meta['pack_id']}', not "
                f"'{pack.manifest.id}'; open it with its own pack"
            )
        if meta.get("pack_hash") and meta["pack_hash"] != pack.content_hash:
            if not accept_changed:
                raise SessionError(
                    f"the pack '{pack.manifest.id}' has changed since this session was "
                    f"recorded (at {recorded_path}: content {meta['pack_hash'][:12]}, now "
                    f"{pack.content_hash[:12]}); the replay could differ from what was played. "
                    "Restore the pack, or accept the changed pack explicitly to go on with it"
                )
            history = json.loads(meta.get("pack_hash_history", "[]"))
            history.append(meta["pack_hash"])
            journal.set_meta("pack_hash_history", json.dumps(history))
            journal.set_meta("pack_hash", pack.content_hash)
            journal.set_meta("pack_path", str(Path(pack.root).resolve()))
        return pack

    @property
    def path(self) -> Path | None:
        return self.journal.path

    def close(self) -> None:
        self.journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> bool:
        """Apply events other processes committed; True if there were any."""
        version = self.journal.data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        changed = False
        for event in self.journal.events(after_seq=self.state.last_seq):
            apply(self.state, event)
            changed = True
        return changed

    def reload(self) -> None:
        """Rebuild the state from the journal from scratch."""
        self.state = rebuild(self.pack, self.journal)

    def check_pin(self, who: str, pin: str) -> bool:
        """True when ``pin`` is ``who``'s PIN, or when ``who`` has none."""
        pins = json.loads(self.journal.meta.get("pins", "{}"))
        stored = pins.get(who)
        return True if not stored else _pin_matches(stored, pin)

    def has_pin(self, who: str) -> bool:
        return who in json.loads(self.journal.meta.get("pins", "{}"))

    # ------------------------------------------------------------------ the write path

    def _write(
        self,
        now: dt.datetime,
        actor: str,
        build: Callable[[ExerciseState], list[Draft]],
        *,
        conditions: bool = False,
    ) -> list[ev.Event]:
        """Check and write one operation's events, plus the releases they cause.

        Runs under the journal's write lock: first catch up with other writers, then
        ``build`` validates against the fresh state and returns the events to write.
        """
        if not isinstance(now, dt.datetime):
            raise EngineError("now must be a datetime")
        written: list[ev.Event] = []
        state = self.state
        try:
            with self.journal.write() as writer:
                for event in writer.events_after(state.last_seq):
                    apply(state, event)
                drafts = build(state)  # raises EngineError before anything is applied
                turn_start = any(kind == ev.TURN_STARTED for kind, _ in drafts)
                for kind, body in drafts:
                    written.append(apply_written(state, writer.append(now, actor, kind, body)))
                if turn_start:
                    for release in scheduler.scheduled_releases(state, self.pack):
                        body = {"inject": release.inject_id, "cause": release.cause,
                                "why": release.why, "mark": ev.TURN_START_MARK}
                        event = writer.append(now, actor, ev.INJECT_RELEASED, body)
                        written.append(apply_written(state, event))
                if turn_start or conditions:
                    while (release := scheduler.next_conditional(state, self.pack)) is not None:
                        body = {"inject": release.inject_id, "cause": release.cause,
                                "why": release.why}
                        if turn_start:
                            body["mark"] = ev.TURN_START_MARK
                        event = writer.append(now, actor, ev.INJECT_RELEASED, body)
                        written.append(apply_written(state, event))
        except EngineError:
            if written:
                self.reload()
            raise
        except BaseException:
            self.reload()  # the transaction was rolled back: forget what was applied
            raise
        return written

    # ------------------------------------------------------------------ checks

    def _need_turn(self, state: ExerciseState, what: str) -> None:
        if state.ended:
            raise EngineError(f"The exercise has ended: {what} is no longer possible")
        if state.turn == 0:
            raise EngineError(f"The exercise has not started: start turn 1 before {what}")

    def _need_phase(self, state: ExerciseState, phases: Iterable[str], what: str) -> None:
        phases = tuple(phases)
        if state.phase not in phases:
            allowed = " or ".join(phases)
            raise EngineError(f"{what} only in the {allowed} phase (now: {state.phase})")

    def _inject(self, state: ExerciseState, inject_id: str) -> Any:
        inj = state.injects.get(inject_id)
        if inj is None:
            raise EngineError(f"there is no inject '{inject_id}'")
        return inj

    def _pending(self, state: ExerciseState, inject_id: str, what: str) -> Any:
        inj = self._inject(state, inject_id)
        if inj.status in ("released", "skipped"):
            raise EngineError(f"inject '{inject_id}' is already {inj.status}: cannot {what} it")
        return inj

    def _effects(self, effects: dict[str, int] | None) -> dict[str, int]:
        effects = dict(effects or {})
        for track_id, delta in effects.items():
            if track_id not in self.pack.tracks_by_id:
                raise EngineError(f"there is no track '{track_id}'")
            if not isinstance(delta, int) or isinstance(delta, bool):
                raise EngineError(f"the effect on '{track_id}' must be a whole number")
        return effects

    def _role(self, role: str) -> None:
        if role not in self.pack.roles_by_id:
            raise EngineError(f"there is no role '{role}'")

    def _text(self, value: str, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise EngineError(f"{what} must not be empty")
        return value

    def _unruled(self, state: ExerciseState, move_id: str) -> Any:
        move = state.moves_by_id.get(move_id)
        if move is None:
            raise EngineError(f"there is no move '{move_id}'")
        if move.ruling is not None:
            raise EngineError(
                f"move {move_id} has already been ruled ({move.ruling.outcome}); "
                "override the ruling instead"
            )
        return move

    def _count(self, value: int, what: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise EngineError(f"{what} must be a whole number, 0 or more")
        return value

    # ------------------------------------------------------------------ turns and phases

    def start(self, *, now: dt.datetime) -> None:
        """Begin turn 1 and release its scheduled (and satisfied conditional) injects."""

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended")
            if state.turn != 0:
                raise EngineError(f"The exercise has already started (turn {state.turn})")
            return [(ev.TURN_STARTED, {"turn": 1})]

        self._write(now, "control", build)

    def advance_phase(self, *, now: dt.datetime) -> None:
        """Go to the next phase; after consequences, the next turn (or the end)."""

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended")
            if state.phase == SETUP:
                raise EngineError("The exercise has not started: start turn 1 first")
            index = PHASES.index(state.phase)
            if index + 1 < len(PHASES):
                return [(ev.PHASE_CHANGED, {"phase": PHASES[index + 1]})]
            if state.turn >= self.pack.manifest.turns:
                return [(ev.EXERCISE_ENDED, {"reason": "last turn completed"})]
            return [(ev.TURN_STARTED, {"turn": state.turn + 1})]

        self._write(now, "control", build)

    def end_exercise(self, *, now: dt.datetime) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has already ended")
            return [(ev.EXERCISE_ENDED, {"reason": "ended by control"})]

        self._write(now, "control", build)

    # ------------------------------------------------------------------ injects

    def release_inject(self, inject_id: str, *, now: dt.datetime) -> None:
        """Release a pending or held inject now (control's decision, whatever its turn)."""

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "releasing an inject")
            self._pending(state, inject_id, "release")
            return [(ev.INJECT_RELEASED, {"inject": inject_id, "cause": ev.CAUSE_CONTROL,
                                          "why": "released by control"})]

        self._write(now, "control", build, conditions=True)

    def hold_inject(self, inject_id: str, *, now: dt.datetime, reason: str = "") -> None:
        """Keep an inject from being released (it stays pending until released or skipped)."""

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended: nothing can be held")
            inj = self._pending(state, inject_id, "hold")
            if inj.status == "held":
                raise EngineError(f"inject '{inject_id}' is already held")
            return [(ev.INJECT_HELD, {"inject": inject_id, "reason": reason})]

        self._write(now, "control", build)

    def skip_inject(self, inject_id: str, reason: str, *, now: dt.datetime) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended: nothing can be skipped")
            self._pending(state, inject_id, "skip")
            self._text(reason, "the reason for skipping")
            return [(ev.INJECT_SKIPPED, {"inject": inject_id, "reason": reason})]

        self._write(now, "control", build)

    def edit_inject(
        self,
        inject_id: str,
        title: str | None = None,
        body: str | None = None,
        *,
        now: dt.datetime,
    ) -> None:
        """Change an inject's title and/or body before it is released."""

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended: injects can no longer be edited")
            self._pending(state, inject_id, "edit")
            if title is None and body is None:
                raise EngineError("give a new title or a new body to edit an inject")
            if title is not None:
                self._text(title, "the title")
            if body is not None:
                self._text(body, "the body")
            return [(ev.INJECT_EDITED, {"inject": inject_id, "title": title, "body": body})]

        self._write(now, "control", build)

    def adhoc_inject(
        self,
        kind: str,
        title: str,
        body: str,
        audience: str | list[str] = "public",
        effects: dict[str, int] | None = None,
        *,
        now: dt.datetime,
        source: str = "control",
    ) -> str:
        """Write an inject live and release it at once; returns its id (adhoc-N)."""
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "an ad-hoc inject")
            if kind not in self.pack.manifest.all_inject_kinds:
                raise EngineError(
                    f"unknown inject kind '{kind}' (known: "
                    f"{', '.join(self.pack.manifest.all_inject_kinds)})"
                )
            self._text(title, "the title")
            self._text(body, "the body")
            if audience != "public":
                if not audience or isinstance(audience, str):
                    raise EngineError("the audience is 'public' or a list of role ids")
                for role in audience:
                    self._role(role)
            count = sum(1 for inj in state.injects.values() if inj.adhoc)
            inject_id = f"adhoc-{count + 1}"
            made[:] = [inject_id]
            return [(ev.ADHOC_INJECT, {
                "inject": inject_id, "kind": kind, "title": title, "body": body,
                "audience": audience if audience == "public" else list(audience),
                "effects": self._effects(effects), "from": source,
            })]

        self._write(now, "control", build, conditions=True)
        return made[0]

    # ------------------------------------------------------------------ moves and rulings

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
            self._need_phase(state, ["moves"], "Moves can be recorded")
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
            return [(ev.MOVE_RECORDED, {
                "move": move_id, "role": role, "kind": kind, "text": text,
                "targets": list(targets or []), "secret": bool(secret),
                "tags": list(tags or []), "intent": intent, "reasons": list(reasons or []),
            })]

        self._write(now, who, build)
        return made[0]

    RULING_PHASES = ("moves", "adjudication")

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
            self._need_turn(state, "a ruling")
            self._need_phase(state, self.RULING_PHASES, "Rulings can be made")
            self._unruled(state, move_id)
            if outcome not in OUTCOMES:
                raise EngineError(f"the outcome must be one of {', '.join(OUTCOMES)}")
            return [(ev.RULING_MADE, {"move": move_id, "method": "facilitator",
                                      "outcome": outcome, "narrative": narrative,
                                      "effects": self._effects(effects)})]

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
            self._need_turn(state, "a matrix roll")
            self._need_phase(state, self.RULING_PHASES, "Matrix rolls can be made")
            self._unruled(state, move_id)
            self._count(pros, "the number of strong pros")
            self._count(cons, "the number of strong cons")
            roll = rules.matrix_roll(state.setup.seed, move_id, pros, cons)
            applied = self._effects(effects) if roll.success else self._effects(fail_effects)
            return [(ev.RULING_MADE, {
                "move": move_id, "method": "matrix",
                "outcome": "accepted" if roll.success else "rejected",
                "narrative": narrative, "effects": applied, "dice": list(roll.dice),
                "pros": pros, "cons": cons, "total": roll.total, "seed": state.setup.seed,
            })]

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
        now: dt.datetime,
    ) -> Ruling:
        """The room votes: a majority of votes cast accepts (effects apply), a tie rejects."""

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "a vote")
            self._need_phase(state, self.RULING_PHASES, "Votes can be taken")
            self._unruled(state, move_id)
            for value, what in ((votes_for, "votes for"), (votes_against, "votes against"),
                                (abstain, "abstentions")):
                self._count(value, what)
            outcome = rules.vote_outcome(votes_for, votes_against)
            applied = self._effects(effects) if outcome == "accepted" else {}
            return [(ev.RULING_MADE, {
                "move": move_id, "method": "vote", "outcome": outcome,
                "narrative": narrative, "effects": applied,
                "votes": {"for": votes_for, "against": votes_against, "abstain": abstain},
            })]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    def override_ruling(
        self,
        move_id: str,
        outcome: str,
        reason: str,
        *,
        effects: dict[str, int] | None = None,
        now: dt.datetime,
    ) -> Ruling:
        """Control changes a ruling's outcome, with a reason; ``effects`` are added to it."""

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "overriding a ruling")
            self._need_phase(
                state, ("moves", "adjudication", "consequences"), "Rulings can be overridden"
            )
            move = state.moves_by_id.get(move_id)
            if move is None:
                raise EngineError(f"there is no move '{move_id}'")
            if move.ruling is None:
                raise EngineError(f"move {move_id} has not been ruled yet: rule on it first")
            if outcome not in OUTCOMES:
                raise EngineError(f"the outcome must be one of {', '.join(OUTCOMES)}")
            self._text(reason, "the reason for the override")
            return [(ev.RULING_OVERRIDDEN, {"move": move_id, "outcome": outcome,
                                            "reason": reason,
                                            "effects": self._effects(effects)})]

        self._write(now, "control", build, conditions=True)
        return self._ruling(move_id)

    def _ruling(self, move_id: str) -> Ruling:
        ruling = self.state.moves_by_id[move_id].ruling
        assert ruling is not None
        return ruling

    # ------------------------------------------------------------------ tracks and timer

    def adjust_track(self, track_id: str, delta: int, reason: str, *, now: dt.datetime) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "adjusting a track")
            self._effects({track_id: delta})
            if delta == 0:
                raise EngineError("the adjustment must not be zero")
            self._text(reason, "the reason for the adjustment")
            return [(ev.TRACK_ADJUSTED, {"track": track_id, "delta": delta, "reason": reason})]

        self._write(now, "control", build, conditions=True)

    def _timer(self, kind: str, body: dict[str, Any], now: dt.datetime,
               check: Callable[[ExerciseState], None]) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "using the timer")
            self._need_phase(state, ["deliberation"], "The timer can be used")
            check(state)
            return [(kind, body)]

        self._write(now, "control", build)

    def timer_pause(self, *, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if state.timer.paused:
                raise EngineError("the timer is already paused")
            if state.timer.skipped:
                raise EngineError("the timer was skipped")

        self._timer(ev.TIMER_PAUSED, {}, now, check)

    def timer_resume(self, *, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if not state.timer.paused:
                raise EngineError("the timer is not paused")

        self._timer(ev.TIMER_RESUMED, {}, now, check)

    def timer_extend(self, minutes: int, *, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
                raise EngineError("extend the timer by a whole number of minutes, 1 or more")
            if state.timer.skipped:
                raise EngineError("the timer was skipped")

        self._timer(ev.TIMER_EXTENDED, {"minutes": minutes}, now, check)

    def timer_skip(self, *, now: dt.datetime) -> None:
        def check(state: ExerciseState) -> None:
            if state.timer.skipped:
                raise EngineError("the timer was already skipped")

        self._timer(ev.TIMER_SKIPPED, {}, now, check)

    # ------------------------------------------------------------------ notes

    def add_observation(
        self,
        text: str,
        *,
        author: str = "control",
        kind: str = "strength",
        role: str | None = None,
        inject: str | None = None,
        objective: str | None = None,
        now: dt.datetime,
    ) -> str:
        """A note by control or an observer, marked strength or area for improvement."""
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._text(text, "the observation")
            self._text(author, "the author")
            if kind not in OBSERVATION_KINDS:
                raise EngineError("an observation is a 'strength' or an 'improvement'")
            if role is not None:
                self._role(role)
            if inject is not None:
                self._inject(state, inject)
            if objective is not None and objective not in self.pack.objectives_by_id:
                raise EngineError(f"there is no objective '{objective}'")
            obs_id = f"obs-{len(state.observations) + 1}"
            made[:] = [obs_id]
            return [(ev.OBSERVATION_ADDED, {"id": obs_id, "text": text, "author": author,
                                            "kind": kind, "role": role, "inject": inject,
                                            "objective": objective})]

        self._write(now, author, build)
        return made[0]

    def add_hotwash(
        self, role: str, worked: str, did_not: str, change: str, *, now: dt.datetime
    ) -> None:
        """A role's debrief: what worked, what did not, what it would change."""

        def build(state: ExerciseState) -> list[Draft]:
            self._role(role)
            if not any(x.strip() for x in (worked, did_not, change)):
                raise EngineError("a hotwash entry needs at least one answer")
            return [(ev.HOTWASH_ADDED, {"role": role, "worked": worked, "did_not": did_not,
                                        "change": change})]

        self._write(now, "control", build)

    def add_improvement(
        self,
        action: str,
        objective: str,
        owner: str,
        due: dt.date,
        status: str = "open",
        *,
        now: dt.datetime,
    ) -> str:
        """An improvement-plan item: a corrective action with its owner and due date."""
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._text(action, "the action")
            self._text(owner, "the owner")
            if objective not in self.pack.objectives_by_id:
                raise EngineError(f"there is no objective '{objective}'")
            if not isinstance(due, dt.date):
                raise EngineError("the due date must be a date")
            if status not in IMPROVEMENT_STATUSES:
                raise EngineError(f"the status is one of {', '.join(IMPROVEMENT_STATUSES)}")
            item_id = f"ip-{len(state.improvements) + 1}"
            made[:] = [item_id]
            return [(ev.IMPROVEMENT_ADDED, {"id": item_id, "action": action,
                                            "objective": objective, "owner": owner,
                                            "due": due.isoformat(), "status": status})]

        self._write(now, "control", build)
        return made[0]


def rebuild(pack: Pack, journal: Journal) -> ExerciseState:
    """Replay the whole journal into a fresh state.

    The cyclic garbage collector is paused meanwhile: replay only creates objects that
    stay alive, and collecting over a growing heap made resume time grow faster than
    the journal.
    """
    state = initial_state(pack)
    enabled = gc.isenabled()
    gc.disable()
    try:
        for event in journal.events():
            apply(state, event)
    finally:
        if enabled:
            gc.enable()
    return state


def apply_written(state: ExerciseState, event: ev.Event) -> ev.Event:
    apply(state, event)
    return event
