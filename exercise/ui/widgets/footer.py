"""The key hints at the foot of a view, rebuilt only when the hints themselves change.

Textual's Footer composes all its keys again whenever the screen's bindings may have
changed: each focus change, each cursor move that calls ``refresh_bindings``, each dialog
opened or closed over the view. Mounting a dozen keys and styling each twice (every key is
born compact and then told it is not) is most of what a key press costs. Here the hints
shown are compared first: the same hints cost nothing, and a hint that only became enabled
or disabled is updated in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

# what a hint looks like, and whether it is enabled
Hint = tuple[object, ...]
Hints = tuple[tuple[Hint, ...], tuple[bool, ...]]


class KeyFooter(Footer):
    """A Footer that composes its keys again only when the hints shown differ."""

    _shown: Hints | None = None  # the hints composed last (None: none yet)
    _check_pending = False

    def _hints(self) -> Hints:
        """What ``compose`` would show now: each hint, and whether it is enabled."""
        app = self.app
        active = self.screen.active_bindings
        hints: list[Hint] = []
        enabled: list[bool] = []
        for _node, binding, on, tooltip in active.values():
            if binding.show:
                group = binding.group
                hints.append(
                    (
                        binding.key,
                        binding.action,
                        binding.description,
                        app.get_key_display(binding),
                        tooltip,
                        (group.description, group.compact) if group is not None else None,
                    )
                )
                enabled.append(on)
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        show_palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        if show_palette and palette is not None:
            _node, binding, on, tooltip = palette
            hints.append(("palette", binding.key, binding.description, tooltip))
            enabled.append(on)
        hints.append(("footer", show_palette, self.combine_groups))
        return tuple(hints), tuple(enabled)

    def compose(self) -> ComposeResult:
        self._shown = self._hints() if self._bindings_ready else None
        compact = self.compact
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # born with the footer's style (bound to it), not made compact and then
                # not again; the palette key is not bound, and stays compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True  # several changes in one frame: one check
            self.call_after_refresh(self._update_hints)

    async def _update_hints(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        hints, enabled = self._hints()
        shown = self._shown
        if shown is not None and shown == (hints, enabled):
            return
        await self.recompose()
