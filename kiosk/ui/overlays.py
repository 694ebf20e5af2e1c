"""What opens over the screens, rendered from the flow's state: the dialog (question or
explanation with its buttons) and the on-screen keyboard."""

from __future__ import annotations

from typing import Any

from kiosk.dialogs import Dialog
from kiosk.i18n import translator
from kiosk.visit.flow import KioskFlow

from .keyboards import EntryOverlay
from .widgets import DialogOverlay, KioskButton, KLabel


class Overlays:
    """Keeps the root's dialog and keyboard in step with ``flow.state``."""

    def __init__(self, flow: KioskFlow, dialog: DialogOverlay, entry: EntryOverlay) -> None:
        self.flow, self.dialog, self.entry = flow, dialog, entry
        self._shown: tuple[int, str] | None = None
        entry.on_change = flow.entry_changed
        entry.on_close = self._entry_closed

    def render(self) -> None:
        self._render_dialog(self.flow.state.dialog)
        self._render_entry()

    def _render_dialog(self, dialog: Dialog | None) -> None:
        key = (id(dialog), translator.lang) if dialog else None
        if key == self._shown:
            return
        self._shown = key
        overlay = self.dialog
        overlay.shown = dialog is not None
        overlay.ids.lines.clear_widgets()
        overlay.ids.buttons.clear_widgets()
        if dialog is None:
            overlay.title = ""
            return
        overlay.title, overlay.tone = translator.pick(dialog.title), dialog.tone
        for index, line in enumerate(dialog.lines):
            overlay.ids.lines.add_widget(KLabel(aid=f"dialog_line_{index}", style="large" if index == 0
                                                else "body", text=translator.pick(line)))
        for index, (action, label) in enumerate(dialog.buttons):
            button = KioskButton(aid=f"dialog_{action}", text=translator.pick(label),
                                 kind="secondary" if index == 0 and len(dialog.buttons) > 1 else "primary")
            button.bind(on_release=lambda _b, a=action: self.flow.dialog_action(a))
            overlay.ids.buttons.add_widget(button)

    def _render_entry(self) -> None:
        entry = self.flow.state.entry
        if entry is not None and not self.entry.shown:
            self.entry.open(entry.kind, translator.gettext(entry.prompt), entry.text)
        elif entry is None and self.entry.shown:
            self.entry.close()
        elif entry is not None:
            self.entry.prompt = translator.gettext(entry.prompt)

    def _entry_closed(self, ok: bool) -> None:
        if self.flow.state.entry is not None:
            self.flow.state.entry.text = self.entry.text if ok else ""
        self.flow.close_entry(ok)

    def press_key(self, code: str) -> dict[str, Any]:
        """The test hook's way to type (real taps go through the keys themselves)."""
        self.entry.press(code)
        return {"text": self.entry.text, "letters": self.entry.composing}
