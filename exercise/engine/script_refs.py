"""Check a script's references against the pack before anything is played.

A misspelt role, tag, track or inject in a script is reported at the bad value's own
line and column, with a "did you mean", like the same mistake in a pack; the engine
would only refuse it half way through the play, pointing at the whole action.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from exercise.engine.script_format import (
    AdhocAction,
    CloseAction,
    EditAction,
    HoldAction,
    HotwashAction,
    ImproveAction,
    LoadedScript,
    MessageAction,
    MoveAction,
    ObserveAction,
    OpenAction,
    OverrideAction,
    ReleaseAction,
    RollAction,
    RuleAction,
    SkipAction,
    TrackAction,
    VoteAction,
)
from exercise.pack.checks import unknown
from exercise.pack.models import Pack
from exercise.pack.yamlpos import DataPath
from exercise.problems import Problem

_ADHOC_ID = re.compile(r"^adhoc-\d+$")


#: The key that names the inject, per inject action.
_INJECT_KEYS: dict[type, str] = {
    HoldAction: "hold",
    ReleaseAction: "release",
    SkipAction: "skip",
    EditAction: "edit",
}


class ScriptRefs:
    """The ids a script may name, and the problems found so far."""

    def __init__(self, loaded: LoadedScript, pack: Pack, played: Iterable[str]) -> None:
        self.loaded = loaded
        self.pack = pack
        self.played = set(played)
        self.problems: list[Problem] = []
        manifest = pack.manifest
        self.roles = list(pack.roles_by_id)
        self.injects = list(pack.injects_by_id)
        self.tracks = list(pack.tracks_by_id)
        self.objectives = list(pack.objectives_by_id)
        self.tags = {t.id: t for t in manifest.move_tags}
        self.move_kinds = list(manifest.all_move_kinds)
        self.inject_kinds = list(manifest.all_inject_kinds)

    def _bad(self, where: DataPath, message: str) -> None:
        self.problems.append(self.loaded.problem(where, message))

    def role(self, value: str | None, where: DataPath) -> bool:
        if value is not None and value not in self.pack.roles_by_id:
            self._bad(where, unknown("role", value, self.roles))
            return False
        return True

    def inject(self, value: str | None, where: DataPath) -> None:
        if value is None or value in self.pack.injects_by_id or _ADHOC_ID.match(value):
            return
        self._bad(where, unknown("inject", value, self.injects))

    def objective(self, value: str | None, where: DataPath) -> None:
        if value is not None and value not in self.pack.objectives_by_id:
            self._bad(where, unknown("objective", value, self.objectives))

    def effects(self, effects: dict[str, int], where: DataPath) -> None:
        for track in effects:
            if track not in self.pack.tracks_by_id:
                self.problems.append(
                    self.loaded.positions.problem(
                        (*where, track), unknown("track", track, self.tracks), key=True
                    )
                )

    def check(self, action: Any, here: DataPath) -> None:
        """Every reference of one action; problems point at the bad value itself."""
        if isinstance(action, HoldAction | ReleaseAction | SkipAction | EditAction):
            key = _INJECT_KEYS[type(action)]
            self.inject(getattr(action, key), (*here, key))
        elif isinstance(action, RuleAction | VoteAction | OverrideAction | RollAction):
            self.effects(action.effects, (*here, "effects"))
            if isinstance(action, RollAction):
                self.effects(action.fail_effects, (*here, "fail_effects"))
        elif isinstance(action, ObserveAction):
            self._observer(action, here)
        elif isinstance(action, MessageAction | CloseAction | OpenAction):
            self._channel(action, here)
        else:
            self._other(action, here)

    def _other(self, action: Any, here: DataPath) -> None:
        if isinstance(action, AdhocAction):
            self._adhoc(action, (*here, "adhoc"))
        elif isinstance(action, MoveAction):
            self._move(action, (*here, "move"))
        elif isinstance(action, TrackAction):
            if action.track not in self.pack.tracks_by_id:
                self._bad((*here, "track"), unknown("track", action.track, self.tracks))
        elif isinstance(action, HotwashAction):
            self.role(action.hotwash, (*here, "hotwash"))
        elif isinstance(action, ImproveAction):
            self.objective(action.objective, (*here, "objective"))

    def _observer(self, action: ObserveAction, here: DataPath) -> None:
        self.role(action.role, (*here, "role"))
        self.inject(action.inject, (*here, "inject"))
        self.objective(action.objective, (*here, "objective"))
        observers = self.loaded.script.observers
        if action.observer is not None and action.observer not in observers:
            self._bad(
                (*here, "observer"),
                unknown("observer", action.observer, observers)
                + " — list observers' names under observers",
            )
        tasks = self.pack.critical_tasks_by_id
        if action.task is not None and action.task not in tasks:
            self._bad((*here, "task"), unknown("critical task", action.task, list(tasks)))

    def _channel(self, action: Any, here: DataPath) -> None:
        key = (
            "message"
            if isinstance(action, MessageAction)
            else ("close" if isinstance(action, CloseAction) else "open")
        )
        channel = getattr(action, key)
        declared = self.pack.channels_by_id.get(channel)
        pair = channel.split("+")
        direct = (
            self.pack.manifest.direct_channels
            and len(pair) == 2
            and pair[0] != pair[1]
            and all(r in self.pack.roles_by_id for r in pair)
        )
        if declared is None and not direct:
            self._bad(
                (*here, key),
                unknown("channel", channel, list(self.pack.channels_by_id))
                + " — a direct channel is written 'role+role'",
            )
            return
        members = declared.members if declared is not None else pair
        if isinstance(action, MessageAction):
            if action.from_ is not None and action.from_ not in members:
                self._bad(
                    (*here, "from"),
                    f"'{action.from_}' is not on the channel '{channel}' ({', '.join(members)})",
                )
            if action.from_ is None and not (action.voice or "").strip():
                self._bad(
                    (*here, key),
                    "say who writes: 'from: ROLE', or 'voice: NAME' "
                    "for control writing as an outside voice",
                )

    def _adhoc(self, action: AdhocAction, where: DataPath) -> None:
        spec = action.adhoc
        if spec.kind not in self.inject_kinds:
            self._bad((*where, "kind"), unknown("inject kind", spec.kind, self.inject_kinds))
        if spec.audience != "public":
            for index, role in enumerate(spec.audience):
                self.role(role, (*where, "audience", index))
        self.effects(spec.effects, (*where, "effects"))

    def _move(self, action: MoveAction, where: DataPath) -> None:
        spec = action.move
        if self.role(spec.role, (*where, "role")) and self.played and spec.role not in self.played:
            self._bad(
                (*where, "role"),
                f"role '{spec.role}' is not played in this session (played: "
                f"{', '.join(sorted(self.played))}); add it to players or control_roles",
            )
        if spec.kind not in self.move_kinds:
            self._bad(
                (*where, "kind"),
                unknown("move kind", spec.kind, self.move_kinds)
                + " — add your own kinds to move_kinds in scenario.yaml",
            )
        for index, target in enumerate(spec.targets):
            self.role(target, (*where, "targets", index))
        for index, tag in enumerate(spec.tags):
            found = self.tags.get(tag)
            if found is None:
                if self.tags:
                    self._bad((*where, "tags", index), unknown("move tag", tag, list(self.tags)))
            elif found.roles and spec.role not in found.roles:
                self._bad(
                    (*where, "tags", index),
                    f"the tag '{tag}' is not offered to {spec.role} (only to "
                    f"{', '.join(found.roles)})",
                )
