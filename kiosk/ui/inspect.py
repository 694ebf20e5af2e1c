"""Describing what is on screen for the test-automation hook: every visible widget that has a
name or a text, where it is in window coordinates with a top-left origin (what xdotool needs),
and for labels whether the text fits its box."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

Rect = tuple[float, float, float, float]  # x, y (bottom-left origin), width, height
NOWHERE: Rect = (0.0, 0.0, 0.0, 0.0)


def describe(window: Any, *, all_screens: bool = False) -> list[dict[str, Any]]:
    """Return the visible, named or labelled widgets of the window, top-most last (with
    ``all_screens`` also those of the screens not shown, with ``on_screen`` false)."""
    names: dict[int, str] = {}
    for widget in _walk_all(window):
        for name, child in getattr(widget, "ids", {}).items():
            names.setdefault(id(getattr(child, "__self__", child)), name)  # ids hold weak proxies
    out: list[dict[str, Any]] = []
    full = (0.0, 0.0, float(window.width), float(window.height))
    for widget, clip in _visible(window, full, all_screens):
        name = getattr(widget, "aid", "") or names.get(id(widget), "")
        text = getattr(widget, "text", "")
        if name or (isinstance(widget, Label) and text):
            out.append(_entry(widget, name, clip, window.height))
    return out


def _walk_all(widget: Any) -> Iterator[Any]:
    yield widget
    for child in widget.children:
        yield from _walk_all(child)


def _visible(widget: Any, clip: Rect, all_screens: bool) -> Iterator[tuple[Widget, Rect]]:
    for child in reversed(widget.children):  # kivy keeps the top-most child first
        if child.opacity <= 0:
            continue
        yield child, clip
        inner = clip
        if isinstance(child, ScrollView):
            inner = _intersect(clip, _window_rect(child))
        if isinstance(child, ScreenManager):
            yield from _screens(child, inner, all_screens)
        else:
            yield from _visible(child, inner, all_screens)


def _screens(manager: ScreenManager, clip: Rect, all_screens: bool) -> Iterator[tuple[Widget, Rect]]:
    current = manager.current_screen
    if current is not None:
        yield current, clip
        yield from _visible(current, clip, all_screens)
    if all_screens:
        for screen in manager.screens:
            if screen is not current:  # not in the window: nothing of it is on screen
                yield screen, NOWHERE
                yield from _visible(screen, NOWHERE, all_screens)


def _entry(widget: Widget, name: str, clip: Rect, window_height: float) -> dict[str, Any]:
    x, y, w, h = _window_rect(widget)
    visible = _intersect(clip, (x, y, w, h))
    cx, cy = visible[0] + visible[2] / 2, visible[1] + visible[3] / 2
    entry: dict[str, Any] = {
        "id": name, "kind": type(widget).__name__, "text": getattr(widget, "text", ""),
        "rect": {"x": round(x), "y": round(window_height - (y + h)), "w": round(w), "h": round(h)},
        "visible": {"x": round(visible[0]), "y": round(window_height - (visible[1] + visible[3])),
                    "w": round(visible[2]), "h": round(visible[3])},  # what a scroll view shows
        "center": {"x": round(cx), "y": round(window_height - cy)},
        "on_screen": visible[2] > 0 and visible[3] > 0,
        "disabled": bool(widget.disabled),
    }
    if isinstance(widget, Label):
        tw, th = widget.texture_size
        entry["label"] = {"texture": [round(tw), round(th)], "box": [round(w), round(h)],
                          "font_size": round(float(widget.font_size)),
                          "clipped": tw > w + 1 or th > h + 1,
                          # what the text is drawn in (Kivy draws a disabled label in disabled_color)
                          "color": [round(float(c), 4)
                                    for c in (widget.disabled_color if widget.disabled else widget.color)]}
    if isinstance(widget, Image):  # a picture shows only once its texture is there
        entry["image"] = {"texture": list(widget.texture.size) if widget.texture is not None else None}
    return entry


def _window_rect(widget: Widget) -> Rect:
    x1, y1 = widget.to_window(widget.x, widget.y)
    x2, y2 = widget.to_window(widget.right, widget.top)
    return (float(x1), float(y1), float(x2 - x1), float(y2 - y1))


def _intersect(a: Rect, b: Rect) -> Rect:
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x1, y1, max(0.0, x2 - x1), max(0.0, y2 - y1))
