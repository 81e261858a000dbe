"""Channels, messages and observers in the session state, and who may see what of them.

Members of a channel, control and the session's observers read a channel; nobody else.
Every view a seat draws goes through ``channels_for`` and ``messages_for``, so privacy
is decided here once. A channel may be closed from a turn onward and opened again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercise.engine.events import CHANNEL_OPENED, BodyError, Event
from exercise.engine.state import (
    OBSERVER_PREFIX,
    ChannelState,
    ExerciseState,
    Message,
    is_observer,
)
from exercise.pack.checks_channels import direct_channel_id

if TYPE_CHECKING:
    from exercise.pack.models import Pack

__all__ = [
    "OBSERVER_PREFIX",
    "ChannelState",
    "Message",
    "channels_for",
    "is_observer",
    "messages_for",
    "resolve_channel",
    "sees_everything",
]


def sees_everything(viewer: str) -> bool:
    """Control and observers read every channel (observers read only)."""
    return viewer == "control" or is_observer(viewer)


def pack_channels(pack: Pack) -> dict[str, ChannelState]:
    return {c.id: ChannelState(c.id, c.name, list(c.members)) for c in pack.manifest.channels}


def direct_channel(state: ExerciseState, a: str, b: str) -> ChannelState:
    """The direct channel between two roles, made on first use."""
    channel_id = direct_channel_id(a, b)
    channel = state.channels.get(channel_id)
    if channel is None:
        pack = state.pack
        names = {r.id: r.short_name for r in pack.roles} if pack is not None else {}
        first, second = channel_id.split("+")
        channel = ChannelState(
            channel_id,
            f"{names.get(first, first)} – {names.get(second, second)}",
            [first, second],
            direct=True,
        )
        state.channels[channel_id] = channel
    return channel


def resolve_channel(state: ExerciseState, channel_id: str) -> ChannelState | None:
    """A declared channel, or a direct one ('a+b') between two roles of the pack."""
    channel = state.channels.get(channel_id)
    if channel is not None:
        return channel
    pack = state.pack
    pair = channel_id.split("+")
    if (
        pack is None
        or not pack.manifest.direct_channels
        or len(pair) != 2
        or pair[0] == pair[1]
        or not all(r in pack.roles_by_id for r in pair)
    ):
        return None
    return direct_channel(state, *pair)


def channels_for(state: ExerciseState, viewer: str) -> list[ChannelState]:
    """The channels ``viewer`` reads: a role its own (with a direct line to every other
    role when the pack allows them); control and observers every channel in use."""
    if sees_everything(viewer):
        return list(state.channels.values())
    mine = [c for c in state.channels.values() if viewer in c.members]
    pack = state.pack
    if pack is not None and pack.manifest.direct_channels and viewer in pack.roles_by_id:
        have = {c.id for c in mine}
        for role in pack.roles:
            if role.id != viewer and direct_channel_id(viewer, role.id) not in have:
                first, second = sorted((viewer, role.id))
                mine.append(
                    ChannelState(
                        direct_channel_id(viewer, role.id),
                        f"{role.short_name} (direct)",
                        [first, second],
                        direct=True,
                    )
                )
    return mine


def messages_for(state: ExerciseState, viewer: str, channel: str | None = None) -> list[Message]:
    """Messages ``viewer`` may read, oldest first, optionally of one channel."""
    readable = {c.id for c in channels_for(state, viewer)}
    return [
        m
        for m in state.messages
        if m.channel in readable and (channel is None or m.channel == channel)
    ]


# ---------------------------------------------------------------------- reducers


def _known_channel(state: ExerciseState, channel_id: str) -> ChannelState:
    channel = resolve_channel(state, channel_id)
    if channel is None:
        raise BodyError(f"there is no channel {channel_id[:60]!r} in the pack or the session")
    return channel


def on_message(state: ExerciseState, body: Any, event: Event) -> None:
    channel = _known_channel(state, body.channel)
    state.messages.append(
        Message(
            id=body.id,
            channel=channel.id,
            turn=state.turn,
            text=body.text,
            sender=body.from_ if body.from_ is not None else event.actor,
            voice=body.voice,
            seq=event.seq,
            ts=event.ts,
        )
    )


def on_switch(state: ExerciseState, body: Any, event: Event) -> None:
    channel = _known_channel(state, body.channel)
    opened = event.type == CHANNEL_OPENED
    from_turn = state.turn if body.from_turn is None else body.from_turn
    channel.switches.append((from_turn, opened, body.reason))


def on_observer(state: ExerciseState, body: Any, event: Event) -> None:
    state.observers[body.id] = body.name
