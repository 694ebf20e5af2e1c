"""Emergency mode's banner (战时): while an area of the community is in emergency mode, a red button
with the message (cut to the room there is) takes the title's place on the top bar of every screen.
Not a strip of its own: the walk under it showed most screens have no height to spare, so a strip
pushed their prompts under it. A touch opens the emergency home (``EmergencyJourney.
open_from_banner``); held down, it is the technician's hidden way in, as the title is."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

from kiosk.i18n import _

from .widgets import Automatable, LazyText

Builder.load_string('''
#:import S kiosk.ui.style.S
#:import T kiosk.ui.theme

<EmergencyBanner>:
    size_hint: 1, None
    height: S.touch
    pos_hint: {"center_y": 0.5}
    opacity: 1 if self.shown else 0
    disabled: not self.shown
    font_size: S.font_body
    bold: True
    color: S.on_dark
    halign: "left"
    valign: "middle"
    shorten: True
    shorten_from: "right"
    text_size: self.width - T.px(32), None
    canvas.before:
        Color:
            rgba: (S.danger if self.state == "normal" else S.primary_down) if self.shown else (0, 0, 0, 0)
        RoundedRectangle:
            pos: self.pos
            size: self.size if self.shown else (0, 0)
            radius: [T.px(T.RADIUS)]
        Color:
            rgba: S.on_dark if self.shown else (0, 0, 0, 0)
        Line:
            rounded_rectangle: (self.x + 1.5, self.y + 1.5, self.width - 3, self.height - 3, T.px(T.RADIUS))
            width: 2.5
''')

HOLD_SECONDS = 1.5  # as the title's (``TopBar``)


class EmergencyBanner(Automatable, ButtonBehavior, LazyText, Label):
    """``show(message)`` while emergency mode is on, ``show(None)`` when it ends."""

    shown = BooleanProperty(False)
    __events__ = ("on_hold",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.held = False  # the last press was a hold (the technician's), not a touch
        self._hold: Any = None

    def show(self, message: str | None) -> None:
        self.shown = message is not None
        self.text = _("Emergency: {message}").format(message=message) if message is not None else ""

    def on_touch_down(self, touch: Any) -> bool:
        if self.shown and self.collide_point(*touch.pos):
            self.held = False
            self._hold = Clock.schedule_once(self._held, HOLD_SECONDS)
        return bool(super().on_touch_down(touch))

    def on_touch_up(self, touch: Any) -> bool:
        if self._hold is not None:
            self._hold.cancel()
            self._hold = None
        return bool(super().on_touch_up(touch))

    def _held(self, _dt: float) -> None:
        self.held = True
        self.dispatch("on_hold")

    def on_hold(self) -> None:
        """Held down long enough."""
