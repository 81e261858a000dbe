"""Control's dialogs for channels and observers: close or open a line, name an observer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exercise.ui.dialogs.form import Field, FormDialog

if TYPE_CHECKING:
    from exercise.ui.screens.control import ControlScreen


def _ok(result: object) -> bool:
    from exercise.ui.app import FAILED

    return result is not FAILED


def channel_switch(screen: ControlScreen, channel_id: str | None) -> None:
    """Close the channel chosen in the Messages tab from a turn onward, or open it again."""
    state = screen.session.state
    channel = state.channels.get(channel_id or "")
    if channel is None:
        screen.notify("Choose a channel in the Messages tab (6) first", severity="warning")
        return
    turn = max(state.turn, 1)
    closing = channel.is_open(turn)
    verb = "Close" if closing else "Open"

    def submit(v: dict[str, str]) -> bool:
        try:
            from_turn = int(v["from_turn"]) if v["from_turn"].strip() else None
        except ValueError:
            screen.notify("The turn is a whole number", severity="error")
            return False
        op = "close_channel" if closing else "open_channel"
        return _ok(screen.act(op, channel.id, from_turn=from_turn, reason=v["reason"]))

    screen.app.push_screen(
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


def add_observer(screen: ControlScreen) -> None:
    """Name an observer, with a PIN they type at the hand-over screen (F4)."""

    def submit(v: dict[str, str]) -> bool:
        made = screen.act("add_observer", v["name"], v["pin"])
        if _ok(made):
            screen.notify(f"Observer {v['name'].strip()} added: F4 opens their seat", markup=False)
        return _ok(made)

    screen.app.push_screen(
        FormDialog(
            "Add an observer",
            [Field("name", "Name"), Field("pin", "PIN (optional)")],
            submit,
            ok="Add",
        )
    )
