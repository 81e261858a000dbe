"""Property tests: random valid (and some invalid) operation sequences keep the invariants.

Tracks stay in range; no inject is released twice; every released inject was scheduled
for that turn, had its condition satisfied at that moment, or was released or written
by control; after every evaluation no pending conditional inject in its window holds;
replaying the journal gives exactly the live state.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from engine_support import ENGINE_PACK, ROOT, T0
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercise.engine import EngineError, Session, SessionSetup
from exercise.engine.commands import (
    AddAdhocInject,
    AddHotwash,
    AdjustTrack,
    AdvancePhase,
    EditInject,
    EndExercise,
    HoldInject,
    Observe,
    OverrideRuling,
    PauseTimer,
    RecordMove,
    ReleaseInject,
    ResumeTimer,
    RollMatrix,
    Rule,
    SkipInject,
    SkipTimer,
    StartExercise,
    Vote,
)
from exercise.engine.conditions import evaluate
from exercise.engine.reduce import apply as apply_event
from exercise.engine.reduce import initial_state, replay
from exercise.pack.loader import load_pack
from exercise.vocab import Outcome

OUTCOMES = list(Outcome)
EVALUATING = {"start", "advance", "rule", "roll", "vote", "override", "track", "release", "adhoc"}


def available_packs() -> list:
    packs = []
    for root in (ENGINE_PACK, ROOT / "tests" / "data" / "mini-pack", ROOT):
        result = load_pack(root)
        if result.ok and result.pack is not None and result.pack.injects:
            name = "bundled" if root == ROOT else Path(root).name
            packs.append(pytest.param(result.pack, id=name))
    return packs


PACKS = available_packs()


class Player:
    """Interprets random numbers as operations on a session."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.pack = session.pack
        self.minute = 0
        self.roles = [r.id for r in self.pack.roles]
        self.tracks = [t.id for t in self.pack.manifest.tracks]
        self.injects = [i.id for i in self.pack.injects]
        self.tags = [t.id for t in self.pack.manifest.move_tags] or sorted(
            condition_tags(self.pack)
        )

    def now(self) -> dt.datetime:
        self.minute += 1
        return T0 + dt.timedelta(minutes=self.minute)

    def pick(self, items: list, n: int):
        return items[n % len(items)] if items else None

    def effects(self, n: int) -> dict[str, int]:
        if not self.tracks or n % 3 == 0:
            return {}
        return {self.pick(self.tracks, n): (n % 7) - 3 or 1}

    def do(self, kind: int, n: int) -> str:
        """Run operation number ``kind`` (spread over the list by how often each should
        happen), with ``n`` choosing its arguments; the name of what was done."""
        state = self.s.state
        now = self.now()
        op = OPERATIONS[kind % len(OPERATIONS)]
        if op in NEEDS_MOVES and state.phase not in ("moves", "adjudication") and n % 4:
            # usually steer towards a phase where moves and rulings are possible
            if state.turn == 0:
                self.s.execute(StartExercise(), now=now)
            else:
                self.s.execute(AdvancePhase(), now=now)
            return "advance"
        if op in RULINGS and not state.moves:
            raise EngineError("no moves yet")
        getattr(self, op)(n, now)
        return op

    def start(self, n: int, now: dt.datetime) -> None:
        self.s.execute(StartExercise(), now=now)

    def advance(self, n: int, now: dt.datetime) -> None:
        self.s.execute(AdvancePhase(), now=now)

    def end(self, n: int, now: dt.datetime) -> None:
        if n % 40 == 0:  # ending is rare, or nothing else would happen
            self.s.execute(EndExercise(), now=now)
        else:
            self.s.execute(AdvancePhase(), now=now)

    def hold(self, n: int, now: dt.datetime) -> None:
        self.s.execute(HoldInject(self.pick(self.injects, n), reason="wait"), now=now)

    def skip(self, n: int, now: dt.datetime) -> None:
        self.s.execute(SkipInject(self.pick(self.injects, n), "not needed"), now=now)

    def edit(self, n: int, now: dt.datetime) -> None:
        self.s.execute(EditInject(self.pick(self.injects, n), title=f"Edited {n}"), now=now)

    def release(self, n: int, now: dt.datetime) -> None:
        self.s.execute(ReleaseInject(self.pick(self.injects, n)), now=now)

    def adhoc(self, n: int, now: dt.datetime) -> None:
        audience = "public" if n % 2 else [self.pick(self.roles, n)]
        self.s.execute(
            AddAdhocInject("statement", f"Ad hoc {n}", "Body", audience, self.effects(n)), now=now
        )

    def move(self, n: int, now: dt.datetime) -> None:
        role = self.pick(self.roles, n)
        tags = [self.pick(self.tags, n // 3)] if self.tags and n % 2 else []
        self.s.execute(
            RecordMove(
                role, "statement", f"Move {n}", tags=tags, secret=n % 5 == 0, actor="control"
            ),
            now=now,
        )

    def _move_id(self, n: int) -> str:
        moves = self.s.state.moves
        return moves[n % len(moves)].id

    def rule(self, n: int, now: dt.datetime) -> None:
        move = self._move_id(n)
        self.s.execute(
            Rule(move, self.pick(OUTCOMES, n), "ruled", effects=self.effects(n)), now=now
        )

    def roll(self, n: int, now: dt.datetime) -> None:
        self.s.execute(
            RollMatrix(self._move_id(n), n % 3, (n // 3) % 3, "rolled", self.effects(n)), now=now
        )

    def vote(self, n: int, now: dt.datetime) -> None:
        self.s.execute(
            Vote(self._move_id(n), n % 4, (n // 4) % 4, effects=self.effects(n)), now=now
        )

    def override(self, n: int, now: dt.datetime) -> None:
        move = self._move_id(n)
        self.s.execute(OverrideRuling(move, self.pick(OUTCOMES, n), "control decides"), now=now)

    def track(self, n: int, now: dt.datetime) -> None:
        self.s.execute(AdjustTrack(self.pick(self.tracks, n), (n % 9) - 4 or 2, "control"), now=now)

    def timer(self, n: int, now: dt.datetime) -> None:
        self.s.execute([PauseTimer(), ResumeTimer(), SkipTimer()][n % 3], now=now)

    def observe(self, n: int, now: dt.datetime) -> None:
        self.s.execute(Observe(f"note {n}", kind="strength" if n % 2 else "improvement"), now=now)

    def hotwash(self, n: int, now: dt.datetime) -> None:
        self.s.execute(AddHotwash(self.pick(self.roles, n), "w", "d", "c"), now=now)


#: The operations a random number picks from: the names of Player's methods, some twice
#: or more so that they happen more often.
OPERATIONS = [
    "advance",
    "move",
    "move",
    "start",
    "hold",
    "skip",
    "edit",
    "release",
    "adhoc",
    "move",
    "move",
    "rule",
    "roll",
    "vote",
    "override",
    "track",
    "timer",
    "observe",
    "hotwash",
    "end",
    "advance",
]
RULINGS = ("rule", "roll", "vote", "override")
NEEDS_MOVES = ("move", *RULINGS)


def condition_tags(pack) -> set[str]:
    """Tags that conditions look for (for packs that do not declare their move tags)."""
    found: set[str] = set()
    stack = [inj.condition for inj in pack.injects if inj.condition is not None]
    while stack:
        cond = stack.pop()
        for name in ("all", "any"):
            stack.extend(getattr(cond, name, None) or [])
        if getattr(cond, "not_", None) is not None:
            stack.append(cond.not_)
        move = getattr(cond, "move", None)
        if move is not None and move.tag:
            found.add(move.tag)
    return found


def check_conditionals_at_rest(session: Session) -> None:
    state, pack = session.state, session.pack
    if state.turn == 0 or state.ended:
        return
    for inj in pack.injects:
        live = state.injects[inj.id]
        if inj.condition is None or live.status != "pending":
            continue
        if inj.first_turn <= state.turn <= inj.last_turn:
            holds, why = evaluate(inj.condition, state, inj.id)
            assert not holds, f"{inj.id} holds but did not fire: {why}"


def check_journal(session: Session) -> None:
    pack = session.pack
    events = list(session.journal.events())
    assert replay(pack, events) == session.state
    state = initial_state(pack)
    released: set[str] = set()
    batch: list = []
    for event in events:
        if event.type in ("inject_released", "adhoc_inject"):
            inject_id = event.body["inject"]
            assert inject_id not in released, f"{inject_id} released twice"
            released.add(inject_id)
        if event.type == "inject_released":
            inject_id = event.body["inject"]
            definition = pack.injects_by_id.get(inject_id)
            cause = event.body["cause"]
            assert state.injects[inject_id].status in ("pending", "held", "queued")
            if cause == "scheduled":
                assert definition is not None and definition.condition is None
                # at its turn's start, or later from control's queue (staged release)
                status = state.injects[inject_id].status
                assert (status == "pending" and definition.first_turn == state.turn) or (
                    status == "queued" and definition.first_turn <= state.turn
                )
            elif cause == "condition":
                assert definition is not None and definition.condition is not None
                assert definition.first_turn <= state.turn <= definition.last_turn
                # Releases at one point are judged together, in rounds: each held in the
                # state before the round it belongs to.
                if not batch:
                    batch.append(copy.deepcopy(state))
                holds = any(evaluate(definition.condition, seen, inject_id)[0] for seen in batch)
                assert holds, f"{inject_id} fired although its condition did not hold"
            else:
                assert cause == "control"
        apply_event(state, event)
        if event.type == "inject_released" and event.body["cause"] == "condition":
            batch.append(copy.deepcopy(state))
        else:
            batch.clear()


@pytest.mark.parametrize("pack", PACKS)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 10_000)), min_size=5, max_size=70),
    seed=st.integers(0, 2**31),
)
def test_random_operation_sequences_keep_the_invariants(pack, ops, seed):
    players = {r.id: r.name for r in pack.roles if r.played_by == "player"}
    session = Session.memory(
        pack,
        SessionSetup(
            players=players,
            seed=seed,
            control_roles=[r.id for r in pack.roles if r.id not in players],
        ),
        now=T0,
    )
    player = Player(session)
    for kind, n in ops:
        before = session.state.last_seq
        try:
            op = player.do(kind, n)
        except EngineError:
            assert session.state.last_seq == before, "a refused operation wrote something"
            continue
        for track in session.state.tracks.values():
            assert track.min <= track.value <= track.max
        if op in EVALUATING:
            check_conditionals_at_rest(session)
    check_journal(session)
    session.close()
