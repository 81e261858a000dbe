"""The dialogs behind Control's keys: each collects values, then runs one operation.

A dialog stays open when the engine refuses (the reason shows as a notification), so
what the facilitator typed is never lost.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from exercise.engine.commands import (
    AddAdhocInject,
    AddImprovement,
    AdjustTrack,
    AdvancePhase,
    BackPhase,
    CarryMoves,
    EditInject,
    EndExercise,
    ExtendTimer,
    HoldInject,
    LeaveUnruled,
    Observe,
    ReleaseInject,
    SkipInject,
    StartExercise,
    WithdrawInject,
)
from exercise.ui.dialogs.confirm import ConfirmDialog
from exercise.ui.dialogs.form import Field, FormDialog
from exercise.ui.format import parse_effects
from exercise.vocab import TURN_PHASES, ImprovementStatus, InjectStatus, ObservationKind, Phase

if TYPE_CHECKING:
    from collections.abc import Callable

    from exercise.engine import MoveState, Session
    from exercise.engine.commands import Command, Outcome
    from exercise.ui.base import SessionApp


class ControlView(Protocol):
    """What the forms use of the Control screen."""

    last_release: str | None

    @property
    def host(self) -> SessionApp: ...

    @property
    def session(self) -> Session: ...

    def act(self, command: Command) -> Outcome | None: ...

    def selected_inject(self) -> str | None: ...

    def select_move(self, move_id: str) -> None: ...

    def action_adjudicate(self) -> None: ...


OBSERVATION_KINDS = [
    ("Strength", ObservationKind.STRENGTH),
    ("Area for improvement", ObservationKind.IMPROVEMENT),
]
IMPROVEMENT_STATUSES = [(status.replace("-", " "), status) for status in ImprovementStatus]


def _tracks(screen: ControlView) -> list[str]:
    return list(screen.session.pack.tracks_by_id)


def _effects(screen: ControlView, text: str) -> dict[str, int] | None:
    try:
        return parse_effects(text, _tracks(screen))
    except ValueError as exc:
        screen.host.notify(str(exc), severity="error")
        return None


def effects_hint(screen: ControlView) -> str:
    return "Effects: 'track +N, track -N' with tracks " + ", ".join(_tracks(screen))


def _after_yes(screen: ControlView, command: Command) -> Callable[[bool | None], None]:
    """A confirmation's answer: ``command`` runs after a yes."""

    def answered(yes: bool | None) -> None:
        if yes:
            screen.act(command)

    return answered


def confirm_next_phase(screen: ControlView) -> None:
    state = screen.session.state
    manifest = screen.session.pack.manifest
    if state.ended:
        screen.host.notify("The exercise has ended: open the hotwash (w)", severity="warning")
        return
    op: Command
    if state.turn == 0:
        question, op = f"Start turn 1 ({manifest.turn_label(1)})?", StartExercise()
    elif state.phase == Phase.CONSEQUENCES:
        question = (
            "End the exercise (last turn done)?"
            if state.turn >= manifest.turns
            else f"End turn {state.turn} and start turn {state.turn + 1} "
            f"({manifest.turn_label(state.turn + 1)})?"
        )
        op = AdvancePhase()
    else:
        following = TURN_PHASES[TURN_PHASES.index(state.phase) + 1]
        question, op = f"Move from {state.phase} to {following}?", AdvancePhase()
    waiting = [m for m in state.unruled() if m.waiting]
    if waiting and state.phase == Phase.ADJUDICATION:
        _stranded(screen, question, waiting)
        return
    detail = (
        f"{len(waiting)} moves still wait for a ruling."
        if waiting and state.phase == Phase.MOVES
        else ""
    )
    screen.host.push_screen(ConfirmDialog(question, detail), _after_yes(screen, op))


def _stranded(screen: ControlView, question: str, waiting: list[MoveState]) -> None:
    """Leaving adjudication with unruled moves: rule now, carry, or leave (with why)."""
    from exercise.ui.dialogs.unruled import UnruledDialog
    from exercise.ui.format import role_name

    pack = screen.session.pack
    ids = [m.id for m in waiting]
    lines = [
        f"{m.id} · turn {m.turn} · {role_name(pack, m.role)}: "
        f"{(m.text.strip().splitlines() or [''])[0][:70]}"
        for m in waiting
    ]

    def leave(values: dict[str, str]) -> bool:
        if screen.act(LeaveUnruled(tuple(ids), values["reason"])) is None:
            return False
        screen.act(AdvancePhase())
        return True

    def chosen(choice: str | None) -> None:
        if choice == "rule":
            screen.select_move(ids[0])
            screen.action_adjudicate()
        elif choice == "carry":
            if screen.act(CarryMoves(tuple(ids))) is not None:
                screen.act(AdvancePhase())
        elif choice == "leave":
            screen.host.push_screen(
                FormDialog(
                    f"Leave {len(ids)} moves unruled",
                    [Field("reason", "Why (kept in the journal)")],
                    leave,
                    ok="Leave unruled",
                )
            )

    screen.host.push_screen(
        UnruledDialog(f"{len(ids)} moves still wait for a ruling. {question}", lines), chosen
    )


def confirm_back(screen: ControlView) -> None:
    state = screen.session.state
    if state.phase not in TURN_PHASES or state.phase == TURN_PHASES[0]:
        screen.host.notify(
            "There is no earlier phase in this turn to go back to", severity="warning"
        )
        return
    previous = TURN_PHASES[TURN_PHASES.index(state.phase) - 1]
    screen.host.push_screen(
        ConfirmDialog(
            f"Go back from {state.phase} to {previous}?",
            "Only while nothing has happened in this phase; the step back is "
            "recorded in the journal.",
        ),
        _after_yes(screen, BackPhase()),
    )


def confirm_end(screen: ControlView) -> None:
    screen.host.push_screen(
        ConfirmDialog("End the exercise now?", "This cannot be undone."),
        _after_yes(screen, EndExercise()),
    )


def confirm_release(screen: ControlView, inject_id: str) -> None:
    """Release after a yes; for a short while ``u`` takes it back."""
    from exercise.ui.format import audience_label

    inj = screen.session.state.injects[inject_id]
    to = audience_label(screen.session.pack, inj.audience)

    def answered(yes: bool | None) -> None:
        if yes and screen.act(ReleaseInject(inject_id)) is not None:
            screen.last_release = inject_id
            screen.host.notify(
                f"{inject_id} released to {to}. Press u to undo it (2 minutes, until "
                "players act on it).",
                title="Released",
                timeout=10,
            )

    why = f" ({inj.why})" if inj.status == InjectStatus.QUEUED and inj.why else ""
    screen.host.push_screen(
        ConfirmDialog(f"Release {inject_id} to {to} now?", f"{inj.title}{why}"), answered
    )


def undo_release(screen: ControlView) -> None:
    state = screen.session.state
    selected = screen.selected_inject()
    inject_id = (
        selected
        if selected and state.injects[selected].status == InjectStatus.RELEASED
        else (screen.last_release)
    )
    if inject_id is None or state.injects[inject_id].status != InjectStatus.RELEASED:
        screen.host.notify("Choose a released inject to undo its release", severity="warning")
        return

    def answered(yes: bool | None) -> None:
        if yes and screen.act(WithdrawInject(inject_id, "undone by control")) is not None:
            screen.host.notify(
                f"{inject_id} withdrawn from every screen; it waits in the queue",
                title="Release undone",
            )

    screen.host.push_screen(
        ConfirmDialog(
            f"Undo the release of {inject_id}?",
            "It leaves every screen and goes back to the queue; its track effects are reversed.",
        ),
        answered,
    )


def hold(screen: ControlView, inject_id: str) -> None:
    def submit(v: dict[str, str]) -> bool:
        return screen.act(HoldInject(inject_id, v["reason"])) is not None

    screen.host.push_screen(
        FormDialog(
            f"Hold inject {inject_id}", [Field("reason", "Reason (optional)")], submit, ok="Hold"
        )
    )


def skip(screen: ControlView, inject_id: str) -> None:
    def submit(v: dict[str, str]) -> bool:
        return screen.act(SkipInject(inject_id, v["reason"])) is not None

    screen.host.push_screen(
        FormDialog(f"Skip inject {inject_id}", [Field("reason", "Reason")], submit, ok="Skip")
    )


def edit(screen: ControlView, inject_id: str) -> None:
    inj = screen.session.state.injects[inject_id]

    def submit(v: dict[str, str]) -> bool:
        title = v["title"] if v["title"] != inj.title else None
        body = v["body"] if v["body"] != inj.body else None
        if title is None and body is None:
            return True
        return screen.act(EditInject(inject_id, title, body)) is not None

    screen.host.push_screen(
        FormDialog(
            f"Edit inject {inject_id} before release",
            [Field("title", "Title", value=inj.title), Field("body", "Body", "text", inj.body)],
            submit,
        )
    )


def adhoc(screen: ControlView) -> None:
    pack = screen.session.pack
    kinds = [(k.replace("_", " "), k) for k in pack.manifest.all_inject_kinds]
    roles = [(r.name, r.id) for r in pack.roles]

    def submit(v: dict[str, str]) -> bool:
        effects = _effects(screen, v["effects"])
        if effects is None:
            return False
        chosen = tuple(r for r in v["audience"].split(",") if r)
        audience: str | tuple[str, ...] = chosen or "public"
        command = AddAdhocInject(v["kind"] or "statement", v["title"], v["body"], audience, effects)
        return screen.act(command) is not None

    screen.host.push_screen(
        FormDialog(
            "Ad-hoc inject (released at once)",
            [
                Field("title", "Title"),
                Field("body", "Body", "text"),
                Field("kind", "Kind", "select", "statement", kinds),
                Field(
                    "audience",
                    "To (space marks roles; none marked: everyone, public)",
                    "multi",
                    "",
                    roles,
                ),
                Field("effects", "Effects on tracks (optional)", placeholder="tension +1"),
            ],
            submit,
            hint=effects_hint(screen),
            ok="Release",
        )
    )


def track(screen: ControlView) -> None:
    tracks = [(t.name, t.id) for t in screen.session.pack.manifest.tracks]

    def submit(v: dict[str, str]) -> bool:
        try:
            delta = int(v["delta"])
        except ValueError:
            screen.host.notify("The change is a whole number, e.g. 1 or -2", severity="error")
            return False
        return screen.act(AdjustTrack(v["track"], delta, v["reason"])) is not None

    screen.host.push_screen(
        FormDialog(
            "Adjust a track",
            [
                Field("track", "Track", "select", tracks[0][1] if tracks else "", tracks),
                Field("delta", "Change (+N or -N)", placeholder="+1"),
                Field("reason", "Reason"),
            ],
            submit,
        )
    )


def undo_adjustment(screen: ControlView) -> None:
    """Take back control's latest track adjustment in one step (recorded as its reverse)."""
    from exercise.ui.format import change_text

    state = screen.session.state
    adjustments = [e for e in state.events if e.type == "track_adjusted"]
    undone = {
        str(e.body.get("reason", "")).split(" ")[1]
        for e in adjustments
        if str(e.body.get("reason", "")).startswith("undo: #")
    }
    event = next(
        (
            e
            for e in reversed(adjustments)
            if not str(e.body.get("reason", "")).startswith("undo: ") and f"#{e.seq}" not in undone
        ),
        None,
    )
    if event is None:
        screen.host.notify("No track adjustment to undo", severity="warning")
        return
    track = state.tracks[event.body["track"]]
    change = next(
        (
            c
            for c in track.changes
            if c.cause == "control" and c.ref == event.body.get("reason", "")
        ),
        None,
    )
    applied = change.effective if change is not None else int(event.body["delta"])
    if applied == 0:
        screen.host.notify(
            "That adjustment changed nothing (the track was at its limit)", severity="warning"
        )
        return
    shown = change_text(int(event.body["delta"]), applied, track.min, track.max)

    def answered(yes: bool | None) -> None:
        if yes:
            reason = f"undo: #{event.seq} {event.body.get('reason', '')}"
            screen.act(AdjustTrack(track.track_id, -applied, reason))

    screen.host.push_screen(
        ConfirmDialog(
            f"Undo the adjustment of {track.name} ({shown})?",
            f"Reason given: {event.body.get('reason', '')}. The track goes back by {-applied:+d}.",
        ),
        answered,
    )


def observation(screen: ControlView, role: str = "", inject: str = "") -> None:
    pack = screen.session.pack
    roles = [(r.name, r.id) for r in pack.roles]
    injects = [
        (f"{i.inject_id}: {i.title}"[:60], i.inject_id) for i in screen.session.state.released()
    ]
    objectives = [(o.title[:60], o.id) for o in pack.manifest.objectives]

    def submit(v: dict[str, str]) -> bool:
        command = Observe(
            v["text"],
            kind=ObservationKind(v["kind"] or ObservationKind.STRENGTH),
            role=v["role"] or None,
            inject=v["inject"] or None,
            objective=v["objective"] or None,
        )
        return screen.act(command) is not None

    screen.host.push_screen(
        FormDialog(
            "Observation",
            [
                Field("text", "What was seen", "text"),
                Field("kind", "Kind", "select", ObservationKind.STRENGTH, OBSERVATION_KINDS),
                Field("role", "Role (optional)", "select", role, roles),
                Field("inject", "Inject (optional)", "select", inject, injects),
                Field("objective", "Objective (optional)", "select", "", objectives),
            ],
            submit,
        )
    )


def improvement(screen: ControlView) -> None:
    objectives = [(o.title[:60], o.id) for o in screen.session.pack.manifest.objectives]
    default_due = (screen.host.now().date() + dt.timedelta(days=90)).isoformat()

    def submit(v: dict[str, str]) -> bool:
        try:
            due = dt.date.fromisoformat(v["due"].strip())
        except ValueError:
            screen.host.notify("Write the due date as YYYY-MM-DD", severity="error")
            return False
        status = ImprovementStatus(v["status"] or ImprovementStatus.OPEN)
        command = AddImprovement(v["action"], v["objective"], v["owner"], due, status)
        return screen.act(command) is not None

    screen.host.push_screen(
        FormDialog(
            "Improvement-plan item",
            [
                Field("action", "Corrective action"),
                Field(
                    "objective",
                    "Objective",
                    "select",
                    objectives[0][1] if objectives else "",
                    objectives,
                ),
                Field("owner", "Owner"),
                Field("due", "Due (YYYY-MM-DD)", value=default_due),
                Field("status", "Status", "select", ImprovementStatus.OPEN, IMPROVEMENT_STATUSES),
            ],
            submit,
        )
    )


def extend_timer(screen: ControlView) -> None:
    def submit(v: dict[str, str]) -> bool:
        try:
            minutes = int(v["minutes"])
        except ValueError:
            screen.host.notify("Extend by a whole number of minutes", severity="error")
            return False
        return screen.act(ExtendTimer(minutes)) is not None

    screen.host.push_screen(
        FormDialog(
            "Extend the deliberation timer",
            [Field("minutes", "Minutes", "number", "5")],
            submit,
            ok="Extend",
        )
    )
