"""What every screen shares: a title, which navigation buttons it offers, and ``render()``,
which refreshes the screen from the flow's state (on every change and language switch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.widgets import refresh_text
from kiosk.visit.flow import KioskFlow

_loaded: set[str] = set()


def load_kv(module_file: str) -> None:
    """Load the .kv file beside a screen module (once)."""
    kv = str(Path(module_file).with_suffix(".kv"))
    if kv not in _loaded:
        Builder.load_file(kv)
        _loaded.add(kv)


class KioskScreen(Screen):
    """One step of the journey. Layout in ``<name>.kv``; behaviour here."""

    title = StringProperty("")  # msgid shown in the top bar
    can_back = BooleanProperty(True)
    can_home = BooleanProperty(True)
    voice = StringProperty("")  # the clip (kiosk.voice.PROMPTS) that speaks this step; "" none

    flow: KioskFlow = ObjectProperty(None)

    def __init__(self, flow: KioskFlow, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow = flow
        self.voice = kwargs.get("name", "")

    def voice_clip(self) -> str:
        """The clip to speak now (a screen may choose by its state)."""
        return self.voice

    def render(self) -> None:
        """Refresh what the screen shows from ``self.flow.state``."""

    def on_pre_enter(self, *_args: Any) -> None:
        refresh_text(self)  # text that changed while the screen was hidden (a language switch)

    def tick(self) -> None:
        """Refresh countdowns (called a few times a second while the screen is shown)."""
