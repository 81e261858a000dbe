"""A small form in a dialog: fields in, a dict out, and it stays open until accepted.

``submit`` receives the values and returns True when the action was done (the engine
accepted it); on False the dialog stays, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, SelectionList, TextArea

from exercise.ui.after_typing import after_typing
from exercise.ui.dialogs.modal import Dialog
from exercise.ui.plain import plain


@dataclass
class Field:
    name: str
    label: str
    kind: str = "input"  # input | text | select | number | multi (values joined by commas)
    value: str = ""
    options: Sequence[tuple[str, str]] = field(default_factory=list)
    placeholder: str = ""


class FormDialog(Dialog[dict[str, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    # on_mount focuses the first field: focusing the scroll container first and then
    # leaving it would style the whole form twice over
    AUTO_FOCUS = ""

    def __init__(
        self,
        title: str,
        fields: list[Field],
        submit: Callable[[dict[str, str]], bool],
        *,
        hint: str = "",
        ok: str = "Save",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit = submit
        self.hint = hint
        self.ok = ok

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Label(plain(self.title_text), classes="title")
            if self.hint:
                yield Label(plain(self.hint), classes="hint")
            for f in self.fields:
                yield Label(plain(f.label))
                if f.kind == "text":
                    yield TextArea(f.value, id=f"f-{f.name}", soft_wrap=True)
                elif f.kind == "multi":
                    chosen = set(f.value.split(","))
                    yield SelectionList[str](
                        *[(Content(label), value, value in chosen) for label, value in f.options],
                        id=f"f-{f.name}",
                    )
                elif f.kind == "select":
                    yield Select(
                        [(plain(prompt), value) for prompt, value in f.options],
                        value=f.value if f.value else Select.NULL,
                        allow_blank=not f.value,
                        id=f"f-{f.name}",
                    )
                else:
                    yield Input(
                        f.value,
                        placeholder=f.placeholder,
                        id=f"f-{f.name}",
                        type="integer" if f.kind == "number" else "text",
                    )
            with Horizontal(classes="buttons"):
                yield Button(f"{self.ok} (ctrl+s)", variant="primary", id="ok")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        """Typing goes into the first field at once, not into the scroll container."""
        self.query_one(f"#f-{self.fields[0].name}" if self.fields else "VerticalScroll").focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}")
            if isinstance(widget, TextArea):
                out[f.name] = widget.text
            elif isinstance(widget, SelectionList):
                out[f.name] = ",".join(str(v) for v in widget.selected)
            elif isinstance(widget, Select):
                value = widget.value
                out[f.name] = "" if value is Select.NULL else str(value)
            else:
                assert isinstance(widget, Input)
                out[f.name] = widget.value
        return out

    def set_value(self, name: str, value: str) -> None:
        """Fill a field (tests and the command palette use this)."""
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.action_submit()
        else:
            self.action_cancel()

    @after_typing
    def action_submit(self) -> None:
        values = self.values()
        if self.submit(values):
            self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
