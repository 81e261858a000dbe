"""Control's hand on the MSEL: release, hold, skip and edit injects, write ad-hoc ones."""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.commands import (
    AddAdhocInject,
    EditInject,
    HoldInject,
    ReleaseInject,
    SkipInject,
    WithdrawInject,
)
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState
from exercise.vocab import InjectStatus, ReleaseCause


class InjectOps(SessionBase):
    """Release, hold, skip, edit and write injects."""

    UNDO_SECONDS = 120  # how long a release can be taken back

    @runs(ReleaseInject)
    def _release_inject(self, c: ReleaseInject, now: dt.datetime) -> None:
        """Release a pending, queued or held inject now (control's decision, whatever its
        turn). A queued inject keeps why it fell due."""
        inject_id = c.inject

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "releasing an inject")
            inj = self._pending(state, inject_id, "release")
            if inj.status == InjectStatus.QUEUED:
                body = {"inject": inject_id, "cause": inj.cause, "why": inj.why}
                if inj.cause == ReleaseCause.CONDITION:  # why it fell due, as data too
                    body["moves"] = list(inj.cause_moves)
                    body["condition"] = [f.to_body() for f in inj.cause_facts]
                return [(ev.INJECT_RELEASED, body)]
            return [
                (
                    ev.INJECT_RELEASED,
                    {
                        "inject": inject_id,
                        "cause": ReleaseCause.CONTROL,
                        "why": "released by control",
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)

    @runs(WithdrawInject)
    def _withdraw_inject(self, c: WithdrawInject, now: dt.datetime) -> None:
        """Undo a release for a short while: the inject leaves every screen and goes back
        to the queue, its effects on tracks reversed. Refused once players acted on it."""
        inject_id = c.inject

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "undoing a release")
            inj = self._inject(state, inject_id)
            if inj.status != InjectStatus.RELEASED or inj.released_seq is None:
                raise EngineError(f"inject '{inject_id}' is not released: nothing to undo")
            if (
                inj.released_at is not None
                and (now - inj.released_at).total_seconds() > self.UNDO_SECONDS
            ):
                raise EngineError(
                    f"inject '{inject_id}' was released more than "
                    f"{self.UNDO_SECONDS // 60} minutes ago: too late to undo"
                )
            for move in reversed(state.moves):
                if move.seq <= inj.released_seq:
                    break
                if inj.visible_to(move.role):
                    raise EngineError(
                        f"players have acted on inject '{inject_id}': move "
                        f"{move.id} was recorded after its release"
                    )
            for other in state.injects.values():
                if (
                    other.cause == ReleaseCause.CONDITION
                    and other.released_seq is not None
                    and other.released_seq > inj.released_seq
                ):
                    raise EngineError(
                        f"inject '{other.inject_id}' fired after "
                        f"'{inject_id}' was released: undo is no longer safe"
                    )
            return [(ev.INJECT_WITHDRAWN, {"inject": inject_id, "reason": c.reason})]

        self._write(now, "control", build)

    @runs(HoldInject)
    def _hold_inject(self, c: HoldInject, now: dt.datetime) -> None:
        """Keep an inject from being released (it stays pending until released or skipped)."""
        inject_id = c.inject

        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended: nothing can be held")
            inj = self._pending(state, inject_id, "hold")
            if inj.status == InjectStatus.HELD:
                raise EngineError(f"inject '{inject_id}' is already held")
            return [(ev.INJECT_HELD, {"inject": inject_id, "reason": c.reason})]

        self._write(now, "control", build)

    @runs(SkipInject)
    def _skip_inject(self, c: SkipInject, now: dt.datetime) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended: nothing can be skipped")
            self._pending(state, c.inject, "skip")
            self._text(c.reason, "the reason for skipping")
            return [(ev.INJECT_SKIPPED, {"inject": c.inject, "reason": c.reason})]

        self._write(now, "control", build)

    @runs(EditInject)
    def _edit_inject(self, c: EditInject, now: dt.datetime) -> None:
        """Change an inject's title and/or body before it is released."""
        inject_id, title, body = c.inject, c.title, c.body

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

    @runs(AddAdhocInject)
    def _adhoc_inject(self, c: AddAdhocInject, now: dt.datetime) -> str:
        """Write an inject live and release it at once; returns its id (adhoc-N)."""
        kind, title, body, audience = c.kind, c.title, c.body, c.audience
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
            return [
                (
                    ev.ADHOC_INJECT,
                    {
                        "inject": inject_id,
                        "kind": kind,
                        "title": title,
                        "body": body,
                        "audience": audience if audience == "public" else list(audience),
                        "effects": self._effects(c.effects),
                        "from": c.source,
                    },
                )
            ]

        self._write(now, "control", build, conditions=True)
        return made[0]
