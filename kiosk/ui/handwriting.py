"""The handwriting pad: a square a finger writes one character on. It only collects strokes (in
pad coordinates, y down, see ``kiosk.handwriting.recognizer.Ink``) and draws them; the keyboard
overlay asks a Recognizer for candidates after each stroke."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from kivy.graphics import Color, Line, Rectangle
from kivy.uix.widget import Widget

from kiosk.handwriting.recognizer import Ink, Recognizer, RecognizerUnavailable

from . import theme
from .style import S
from .widgets import Automatable


@lru_cache(maxsize=1)
def recognizer() -> Recognizer | None:
    """The engine, loaded once (zinnia's model is ~10 MB; the font templates load in the background,
    zinnia answering alone until then or without them); None when zinnia is not installed."""
    from kiosk.handwriting.fused import FusedRecognizer

    try:
        return FusedRecognizer()
    except RecognizerUnavailable:
        return None


class HandwritingPad(Automatable, Widget):
    """Write here: each touch from down to up is one stroke; ``on_stroke`` follows each one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ink = Ink(1.0, 1.0)
        self.on_stroke: Callable[[Ink], None] = lambda _ink: None
        self.bind(pos=self.redraw, size=self.redraw)

    # ---- touches --------------------------------------------------------------------------------

    def on_touch_down(self, touch: Any) -> bool:
        if not self.collide_point(*touch.pos) or self.disabled:
            return False
        touch.grab(self)
        # Where the finger came down: when a frame is slow (candidates being drawn), Kivy hands
        # over the touch's start already moved along, and the stroke would lose its beginning.
        self._add(touch.opos, new_stroke=True)
        if touch.pos != touch.opos:
            self._add(touch.pos)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is not self:
            return False
        self._add(touch.pos)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self._add(touch.pos)
        self.on_stroke(self.ink)
        return True

    def _add(self, pos: tuple[float, float], *, new_stroke: bool = False) -> None:
        # Pad coordinates: from the top-left corner, y down; a finger sliding off stays on the edge.
        x = min(max(pos[0] - self.x, 0.0), self.width)
        y = min(max(self.top - pos[1], 0.0), self.height)
        self.ink.width, self.ink.height = self.width, self.height
        self.ink.add_point(x, y, new_stroke=new_stroke)
        self.redraw()

    # ---- editing --------------------------------------------------------------------------------

    def undo(self) -> None:
        self.ink.undo()
        self.redraw()

    def clear(self) -> None:
        self.ink.clear()
        self.redraw()

    # ---- drawing --------------------------------------------------------------------------------

    def redraw(self, *_args: Any) -> None:
        self.canvas.clear()
        with self.canvas:
            Color(*S.surface)
            Rectangle(pos=self.pos, size=self.size)
            Color(*S.outline)
            Line(rectangle=(self.x, self.y, self.width, self.height), width=2)
            # 米字格 guide lines, faint: where the middle of a character goes
            Color(*S.outline[:3], 0.18)
            cx, cy = self.center
            Line(points=[self.x, cy, self.right, cy], width=1, dash_length=8, dash_offset=8)
            Line(points=[cx, self.y, cx, self.top], width=1, dash_length=8, dash_offset=8)
            Color(*S.text)
            for stroke in self.ink.strokes:
                points = [c for x, y in stroke for c in (self.x + x, self.top - y)]
                if len(points) == 2:
                    points += points
                Line(points=points, width=theme.px(6 if S.elderly else 5), cap="round", joint="round")
