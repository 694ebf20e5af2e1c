"""Shared widgets: buttons with pressed feedback, tiles, the top bar with the language switch,
the bottom navigation bar, the idle warning and the busy overlay. Layout lives in widgets.kv."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget


class Automatable:
    """A widget the test-automation hook can name (``aid``) even when kv gave it no id."""

    aid = StringProperty("")


class KLabel(Automatable, Label):
    """A label that wraps to its width and grows to fit its text."""

    style = StringProperty("body")  # body | muted | title | large | small | danger | on_dark
    shown = BooleanProperty(True)  # False: takes no room (e.g. a hint left out in elderly mode)
    ink = ColorProperty(None, allownone=True)  # a colour of its own (e.g. on a coloured banner)


class KioskButton(Automatable, ButtonBehavior, Label):
    """A big button; darker while pressed, so every touch is visibly felt."""

    kind = StringProperty("primary")  # primary | secondary | on_dark (outlined on the top bar)


class LanguageButton(KioskButton):
    """中文 / English on the top bar (body-size text, so both fit in elderly mode too)."""


class Tile(Automatable, ButtonBehavior, BoxLayout):
    """A home-screen or list tile: icon, title, a line saying what it is or why not."""

    title = StringProperty("")
    note = StringProperty("")
    icon = StringProperty("")
    available = BooleanProperty(True)


class InfoCard(Automatable, BoxLayout):
    """A white card holding text that is not a button (e.g. a type that cannot be chosen)."""

    title = StringProperty("")
    note = StringProperty("")
    tone = StringProperty("plain")  # plain | notice


class BusySpinner(Widget):
    """A turning arc while ``active``: the kiosk is working, not frozen. It steps a dozen times a
    second rather than animating every frame, to spare the software renderer."""

    angle = NumericProperty(0)
    active = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._event: Any = None

    def on_active(self, _widget: Widget, active: bool) -> None:
        if active and self._event is None:
            self._event = Clock.schedule_interval(self._step, 1 / 12)
        elif not active and self._event is not None:
            self._event.cancel()
            self._event = None

    def _step(self, _dt: float) -> None:
        self.angle = (self.angle - 30) % 360


class TopBar(BoxLayout):
    """Title, 长辈模式 (elderly mode) and the language switch: always in the same places."""

    title = StringProperty("")
    elderly = BooleanProperty(False)


class NavBar(BoxLayout):
    """Back, the voice buttons (listen again, mute) and Home: always in the same places."""

    can_back = BooleanProperty(True)
    can_home = BooleanProperty(True)
    can_listen = BooleanProperty(True)
    muted = BooleanProperty(False)
    hidden = BooleanProperty(False)  # the attract screen has no navigation

    def on_touch_down(self, touch: Any) -> bool:
        # Hidden, its (disabled) buttons still stand where they were and would eat touches.
        return False if self.hidden else bool(super().on_touch_down(touch))


class IdleBanner(Automatable, FloatLayout):
    seconds = NumericProperty(0)
    shown = BooleanProperty(False)


class BusyOverlay(Automatable, FloatLayout):
    message = StringProperty("")
    shown = BooleanProperty(False)

    def on_touch_down(self, touch: Any) -> bool:
        return bool(self.shown)  # nothing underneath reacts while the kiosk waits

    def on_touch_up(self, touch: Any) -> bool:
        return bool(self.shown)


class LanguageSwitch(BoxLayout):
    """中文 / English, always in the top-right corner."""

    languages = ListProperty([])


class ModalLayer(FloatLayout):
    """Over the screen while ``shown``: takes every touch then (nothing underneath reacts), and
    none while hidden. (A disabled Kivy widget would swallow touches even when invisible.)"""

    shown = BooleanProperty(False)

    def on_touch_down(self, touch: Any) -> bool:
        if not self.shown:
            return False
        super().on_touch_down(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if not self.shown:
            return False
        super().on_touch_up(touch)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        if not self.shown:
            return False
        super().on_touch_move(touch)
        return True


class DialogOverlay(Automatable, ModalLayer):
    """A question or an explanation over the screen. The app fills ``ids.lines`` and
    ``ids.buttons`` from the flow's ``state.dialog``."""

    title = StringProperty("")
    tone = StringProperty("plain")
