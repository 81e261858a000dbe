"""Channels: roles write to each other, control posts as an outside voice or cuts a line.

A message is a journal event like a move: it is committed before any screen shows it.
Posting does not check conditions (like recording a move); the next ruling, track
adjustment or turn start does, so a ``message`` or ``exchanged`` condition counts it then.
"""

from __future__ import annotations

import datetime as dt

from exercise.engine import events as ev
from exercise.engine.base import Draft, SessionBase, runs
from exercise.engine.channels_state import ChannelState, resolve_channel
from exercise.engine.commands import CloseChannel, OpenChannel, PostMessage
from exercise.engine.errors import EngineError
from exercise.engine.state import ExerciseState

MAX_MESSAGE = 4_000


class ChannelOps(SessionBase):
    """Messages on channels, and control opening or closing them."""

    def _channel(self, state: ExerciseState, channel_id: str) -> ChannelState:
        channel = state.channels.get(channel_id)
        if channel is None:
            if "+" in channel_id and not self.pack.manifest.direct_channels:
                raise EngineError("this exercise has no direct channels between roles")
            channel = resolve_channel(state, channel_id)
        if channel is None:
            raise EngineError(f"there is no channel '{channel_id}'")
        return channel

    @runs(PostMessage)
    def _post_message(self, c: PostMessage, now: dt.datetime) -> str:
        """``sender`` (a member role, or 'control' with a ``voice``) writes on ``channel``."""
        channel, text, sender, voice = c.channel, c.text, c.sender, c.voice
        made: list[str] = []

        def build(state: ExerciseState) -> list[Draft]:
            self._need_turn(state, "a message")
            self._text(text, "the message")
            if len(text) > MAX_MESSAGE:
                raise EngineError(f"a message is at most {MAX_MESSAGE} characters")
            line = self._channel(state, channel)
            if sender == "control":
                self._text(voice, "the voice control writes as")
            elif sender not in line.members:
                raise EngineError(f"{sender} is not on the channel '{line.name}'")
            if not line.is_open(state.turn):
                why = line.closed_reason(state.turn)
                raise EngineError(
                    f"the channel '{line.name}' is closed" + (f": {why}" if why else "")
                )
            msg_id = f"msg-{len(state.messages) + 1}"
            made[:] = [msg_id]
            body = {"id": msg_id, "channel": line.id, "text": text, "from": sender}
            if sender == "control":
                body["voice"] = voice
            return [(ev.MESSAGE_POSTED, body)]

        self._write(now, sender, build)
        return made[0]

    @runs(CloseChannel)
    def _close_channel(self, c: CloseChannel, now: dt.datetime) -> None:
        """Control cuts a channel from ``from_turn`` (default: now) onward."""
        self._switch(c.channel, False, c.from_turn, c.reason, now)

    @runs(OpenChannel)
    def _open_channel(self, c: OpenChannel, now: dt.datetime) -> None:
        """Control opens a closed channel again from ``from_turn`` (default: now) onward."""
        self._switch(c.channel, True, c.from_turn, c.reason, now)

    def _switch(
        self, channel: str, opened: bool, from_turn: int | None, reason: str, now: dt.datetime
    ) -> None:
        def build(state: ExerciseState) -> list[Draft]:
            if state.ended:
                raise EngineError("The exercise has ended: channels no longer change")
            line = self._channel(state, channel)
            turn = state.turn if from_turn is None else from_turn
            if not isinstance(turn, int) or isinstance(turn, bool) or turn < max(state.turn, 0):
                raise EngineError("a channel opens or closes from the current turn or a later one")
            if turn > self.pack.manifest.turns:
                raise EngineError(f"the exercise has {self.pack.manifest.turns} turns")
            kind = ev.CHANNEL_OPENED if opened else ev.CHANNEL_CLOSED
            return [(kind, {"channel": line.id, "from_turn": turn, "reason": reason})]

        self._write(now, "control", build)
