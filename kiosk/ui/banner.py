"""Emergency mode's banner (战时): one slim red line under the top bar on every screen while an area
of the community is in emergency mode — the message, cut to one line. The screens below shrink to
make room (it never covers a button); a touch opens the emergency home (``EmergencyJourney.
open_from_banner``). Hidden, it takes no room and no touch."""

from __future__ import annotations

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
    size_hint_y: None
    height: S.touch if self.shown else 0
    opacity: 1 if self.shown else 0
    disabled: not self.shown
    font_size: S.font_body
    bold: True
    color: S.on_dark
    halign: "center"
    valign: "middle"
    shorten: True
    shorten_from: "right"
    text_size: self.width - T.px(48), None
    canvas.before:
        Color:
            rgba: (S.danger if self.state == "normal" else S.header) if self.shown else (0, 0, 0, 0)
        Rectangle:
            pos: self.pos
            size: self.size if self.shown else (0, 0)
''')


class EmergencyBanner(Automatable, ButtonBehavior, LazyText, Label):
    """The banner: ``show(message)`` while emergency mode is on, ``show(None)`` when it ends."""

    shown = BooleanProperty(False)

    def show(self, message: str | None) -> None:
        self.shown = message is not None
        self.text = _("Emergency: {message} (touch for help and notices)").format(message=message) \
            if message is not None else ""
