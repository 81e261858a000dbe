"""The played MSEL: what became of each inject in a session, as HSEEP asks control to keep.

Built by replaying the journal once, noting for every inject event the turn and phase it
happened in, its wall-clock time and who did it: released (when, why, by whom), held,
skipped, edited (what changed), written ad hoc, or never released (its window passed,
or the session has not reached it yet). Released injects come first, in release order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exercise.engine import events as ev
from exercise.engine.reduce import apply, initial_state
from exercise.msel.sheet import Table
from exercise.render.describe import describe_window, role_label
from exercise.vocab import InjectStatus, ReleaseCause

if TYPE_CHECKING:
    import datetime as dt

    from exercise.engine.events import Event
    from exercise.engine.state import ExerciseState, InjectState
    from exercise.pack.models import Pack

HEADERS = (
    ("Event #", 8),
    ("Inject ID", 26),
    ("Title", 40),
    ("Kind", 20),
    ("From", 14),
    ("To", 14),
    ("Planned", 12),
    ("Status", 10),
    ("Turn", 7),
    ("Phase", 14),
    ("Wall clock", 20),
    ("Why", 44),
    ("Who", 20),
    ("Edits", 44),
    ("Held or skipped", 44),
)
_INJECT_EVENTS = {
    ev.INJECT_RELEASED,
    ev.ADHOC_INJECT,
    ev.INJECT_HELD,
    ev.INJECT_SKIPPED,
    ev.INJECT_EDITED,
}


@dataclass
class _Moment:
    turn: int
    phase: str
    ts: dt.datetime
    actor: str

    def label(self) -> str:
        return f"turn {self.turn}, {self.phase}, {_clock(self.ts)}"


@dataclass
class _Record:
    last: _Moment | None = None  # the release, or the last hold or skip
    released_seq: int = 0
    edits: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def _clock(ts: dt.datetime) -> str:
    return ts.isoformat(sep=" ", timespec="seconds")


def _who(actor: str, state: ExerciseState, pack: Pack) -> str:
    if actor == "control":
        return "Control"
    if actor in pack.roles_by_id:
        player = state.setup.players.get(actor)
        label = role_label(pack, actor)
        return f"{label} ({player})" if player else label
    return actor


def _note(state: ExerciseState, event: Event, records: dict[str, _Record], pack: Pack) -> None:
    """Record one inject event against the state as it was just before it."""
    inject_id = event.body.get("inject", "")
    record = records.setdefault(inject_id, _Record())
    moment = _Moment(state.turn, state.phase, event.ts, event.actor)
    before = state.injects.get(inject_id)
    if event.type in (ev.INJECT_RELEASED, ev.ADHOC_INJECT):
        record.last, record.released_seq = moment, event.seq
    elif event.type in (ev.INJECT_HELD, ev.INJECT_SKIPPED):
        record.last = moment
        what = "held" if event.type == ev.INJECT_HELD else "skipped"
        reason = event.body.get("reason") or ""
        by = _who(event.actor, state, pack)
        record.actions.append(
            f"{moment.label()}: {what} by {by}" + (f": {reason}" if reason else "")
        )
    elif event.type == ev.INJECT_EDITED:
        changed = []
        if event.body.get("title") is not None:
            old = before.title if before is not None else ""
            changed.append(f"title (was “{old}”)")
        if event.body.get("body") is not None:
            changed.append("body")
        record.edits.append(f"{moment.label()}: {' and '.join(changed)} edited")


def _why(inj: InjectState, status: str, pack: Pack) -> str:
    if status == "ad hoc":
        return "written by control during play"
    if status == InjectStatus.RELEASED:
        if inj.cause == ReleaseCause.CONDITION:
            return f"its condition held: {inj.why}" if inj.why else "its condition held"
        if inj.cause == ReleaseCause.CONTROL:
            return "released by control"
        return inj.why or "scheduled"
    if status in (InjectStatus.HELD, InjectStatus.SKIPPED):
        return inj.reason or f"{status} by control"
    window = describe_window(inj.first_turn, inj.last_turn)
    if status == "expired":
        if inj.conditional:
            return f"its condition did not hold in {window}"
        return f"not released in {window}"
    return f"{window} not reached yet"


def _status(inj: InjectState, state: ExerciseState) -> str:
    if inj.status == InjectStatus.RELEASED:
        return "ad hoc" if inj.adhoc else "released"
    if inj.status in (InjectStatus.HELD, InjectStatus.SKIPPED):
        return str(inj.status)
    return "expired" if state.ended or state.turn > inj.last_turn else "pending"


def played_table(pack: Pack, events: list[Event]) -> Table:
    """The played MSEL of a session whose journal holds ``events``."""
    state = initial_state(pack)
    records: dict[str, _Record] = {}
    for event in events:
        if event.type in _INJECT_EVENTS and event.type != ev.ADHOC_INJECT:
            _note(state, event, records, pack)
        apply(state, event)
        if event.type == ev.ADHOC_INJECT:  # the inject exists only once applied
            _note(state, event, records, pack)
    released = sorted(
        (i for i in state.injects.values() if i.status == InjectStatus.RELEASED),
        key=lambda i: i.released_seq or 0,
    )
    rest = [i for i in state.injects.values() if i.status != InjectStatus.RELEASED]
    rows: list[list[Any]] = []
    for number, inj in enumerate([*released, *rest], start=1):
        record = records.get(inj.inject_id, _Record())
        status = _status(inj, state)
        moment = record.last
        rows.append(
            [
                number,
                inj.inject_id,
                inj.title,
                inj.kind,
                inj.from_,
                "public" if inj.is_public else "\n".join(inj.audience),
                "ad hoc" if inj.adhoc else describe_window(inj.first_turn, inj.last_turn),
                status,
                moment.turn if moment else "",
                moment.phase if moment else "",
                _clock(moment.ts) if moment else "",
                _why(inj, status, pack),
                _who(moment.actor, state, pack)
                if moment and status in (InjectStatus.RELEASED, "ad hoc")
                else "",
                "\n".join(record.edits),
                "\n".join(record.actions),
            ]
        )
    return Table(
        title="Played MSEL",
        headers=[h for h, _ in HEADERS],
        widths=[w for _, w in HEADERS],
        rows=rows,
        names=[f"inject '{row[1]}'" for row in rows],
    )
