"""Control's dialogs for channels and observers: close or open a line, name an observer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exercise.engine.commands import AddObserver, CloseChannel, OpenChannel
from exercise.ui.dialogs.form import Field, FormDialog

if TYPE_CHECKING:
    from exercise.ui.control_forms import ControlView


def channel_switch(screen: ControlView, channel_id: str | None) -> None:
    """Close the channel chosen in the Messages tab from a turn onward, or open it again."""
    state = screen.session.state
    channel = state.channels.get(channel_id or "")
    if channel is None:
        screen.host.notify("Choose a channel in the Messages tab (6) first", severity="warning")
        return
    turn = max(state.turn, 1)
    closing = channel.is_open(turn)
    verb = "Close" if closing else "Open"

    def submit(v: dict[str, str]) -> bool:
        try:
            from_turn = int(v["from_turn"]) if v["from_turn"].strip() else None
        except ValueError:
            screen.host.notify("The turn is a whole number", severity="error")
            return False
        switch = CloseChannel if closing else OpenChannel
        return screen.act(switch(channel.id, from_turn, v["reason"])) is not None

    screen.host.push_screen(
        FormDialog(
            f"{verb} {channel.name}",
            [
                Field("from_turn", "From turn", "number", value=str(turn)),
                Field("reason", "Reason (e.g. the hotline is cut)"),
            ],
            submit,
            ok=verb,
        )
    )


def add_observer(screen: ControlView) -> None:
    """Name an observer, with a PIN they type at the hand-over screen (F4)."""

    def submit(v: dict[str, str]) -> bool:
        if screen.act(AddObserver(v["name"], v["pin"])) is None:
            return False
        screen.host.notify(f"Observer {v['name'].strip()} added: F4 opens their seat")
        return True

    screen.host.push_screen(
        FormDialog(
            "Add an observer",
            [Field("name", "Name"), Field("pin", "PIN (optional)")],
            submit,
            ok="Add",
        )
    )
