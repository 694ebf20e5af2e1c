"""Shared widgets: buttons with pressed feedback, tiles, the top bar with the language switch,
the bottom navigation bar, the idle warning and the busy overlay. Layout lives in widgets.kv."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.constants
from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.layout import Layout
from kivy.uix.widget import Widget

from .style import S


class Automatable:
    """A widget the test-automation hook can name (``aid``) even when kv gave it no id."""

    aid = StringProperty("")


class LazyText:
    """A label that renders its text only while it is in the window. Every screen is built at
    start-up, so a language or mode switch would otherwise re-render the text of all of them
    before the next frame; a screen renders its own when it is shown (``refresh_text``)."""

    _stale = False

    def texture_update(self, *largs: Any) -> None:
        if self.get_root_window() is None:  # type: ignore[attr-defined]
            self._stale = True
            return
        self._stale = False
        super().texture_update(*largs)  # type: ignore[misc]


def refresh_text(root: Widget) -> None:
    """Render the text of every label under ``root`` that changed while it was not shown."""
    for widget in root.walk():
        if isinstance(widget, LazyText) and widget._stale:
            widget.texture_update()


class KLabel(Automatable, LazyText, Label):
    """A label that wraps to its width and grows to fit its text."""

    style = StringProperty("body")  # body | muted | title | large | small | danger | on_dark
    shown = BooleanProperty(True)  # False: takes no room (e.g. a hint left out in elderly mode)
    ink = ColorProperty(None, allownone=True)  # a colour of its own (e.g. on a coloured banner)


class FitList(Layout):
    """Labels stacked from the top that show, in order, as many whole entries as fit the list's
    height at the current text size; the rest take no room until there is room again (a larger
    mode, a longer language or a taller heading above never pushes text over its neighbours)."""

    spacing = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(size=self._trigger_layout, pos=self._trigger_layout, spacing=self._trigger_layout)

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        if not isinstance(widget, KLabel):
            raise TypeError("a FitList holds KLabels")
        widget.bind(texture_size=self._trigger_layout, height=self._trigger_layout)
        super().add_widget(widget, *args, **kwargs)

    def remove_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        widget.unbind(texture_size=self._trigger_layout, height=self._trigger_layout)
        super().remove_widget(widget, *args, **kwargs)

    def do_layout(self, *_args: Any) -> None:
        top, room = self.top, self.height
        for child in reversed(self.children):  # in the order they were added
            child.width, child.x = self.width, self.x
            wanted = _natural_height(child)
            child.shown = wanted <= room
            if child.shown:
                child.top = top
                top -= wanted + self.spacing
                room -= wanted + self.spacing
            else:
                room = -1.0  # keep the order: nothing after a hidden entry shows


def _natural_height(label: KLabel) -> float:
    """The height a KLabel takes when shown (as widgets.kv sizes it; none while hidden)."""
    return float(max(label.texture_size[1], S.font_small))


class BarTitle(Automatable, LazyText, Label):
    """The top bar's title (held down: the technician's way in)."""


class KioskButton(Automatable, ButtonBehavior, LazyText, Label):
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
    """Title, 长辈模式 (elderly mode) and the language switch: always in the same places. Holding
    the title down for ``HOLD_SECONDS`` is the technician's hidden way in (``on_hidden_entry``)."""

    HOLD_SECONDS = 1.5
    title = StringProperty("")
    elderly = BooleanProperty(False)
    __events__ = ("on_hidden_entry",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._hold: Any = None

    def on_touch_down(self, touch: Any) -> bool:
        title = self.ids.get("title")
        if title is not None and title.collide_point(*touch.pos):
            self._hold = Clock.schedule_once(lambda _dt: self.dispatch("on_hidden_entry"), self.HOLD_SECONDS)
        return bool(super().on_touch_down(touch))

    def on_touch_up(self, touch: Any) -> bool:
        if self._hold is not None:
            self._hold.cancel()
            self._hold = None
        return bool(super().on_touch_up(touch))

    def on_hidden_entry(self) -> None:
        """The title was held down long enough."""


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


class RecoveringOverlay(Automatable, ModalLayer):
    """暂停服务，正在恢复: over everything while the station is away (restarting, hung), so a touch
    never fails; gone as soon as the station is back."""


class DialogOverlay(Automatable, ModalLayer):
    """A question or an explanation over the screen. The app fills ``ids.lines`` and
    ``ids.buttons`` from the flow's ``state.dialog``."""

    title = StringProperty("")
    tone = StringProperty("plain")


class ChoiceButton(KioskButton):
    """A button that is chosen or not (ready phrases, reasons, yes/no): when chosen it is filled
    and starts with a tick, so the choice never rests on colour alone."""

    chosen = BooleanProperty(False)
    label = StringProperty("")


class IconButton(Automatable, ButtonBehavior, BoxLayout):
    """A big button with a picture above its words (the rating levels)."""

    icon = StringProperty("")
    text = StringProperty("")
    chosen = BooleanProperty(False)


class PictureImage(Automatable, Image):
    """An image from bytes (a JPEG photo, or a QR code drawn with the qrcode library)."""

    def show_jpeg(self, data: bytes | None) -> None:
        """Show a JPEG (or nothing)."""
        self.texture = CoreImage(io.BytesIO(data), ext="jpg").texture if data else None
        self.opacity = 1 if data else 0

    def show_qr(self, payload: str | None) -> None:
        """Show ``payload`` as a QR code, sharp-edged (or nothing)."""
        if not payload:
            self.texture, self.opacity = None, 0
            return
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
        code.add_data(payload)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image().save(buffer, format="PNG")
        buffer.seek(0)
        texture = CoreImage(buffer, ext="png").texture
        texture.mag_filter = "nearest"
        self.texture, self.opacity = texture, 1
