"""What any handwriting recognizer offers the pad: ink in, candidates out, best first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

Point = tuple[float, float]
Stroke = Sequence[Point]


@dataclass
class Ink:
    """The strokes written on a pad of ``width`` × ``height``, in pad coordinates: x to the right,
    y DOWNWARDS from the pad's top-left corner (as on paper; Kivy's y-up is flipped by the pad)."""

    width: float
    height: float
    strokes: list[list[Point]] = field(default_factory=list)

    def add_point(self, x: float, y: float, *, new_stroke: bool = False) -> None:
        if new_stroke or not self.strokes:
            self.strokes.append([])
        self.strokes[-1].append((x, y))

    def undo(self) -> None:
        """Take the last stroke back."""
        if self.strokes:
            self.strokes.pop()

    def clear(self) -> None:
        self.strokes.clear()

    @property
    def empty(self) -> bool:
        return not any(self.strokes)


@dataclass(frozen=True)
class Candidate:
    text: str
    score: float  # the recognizer's own measure: higher is better, comparable within one answer


class Recognizer(Protocol):
    def recognize(self, ink: Ink, limit: int = 10) -> list[Candidate]:
        """Return up to ``limit`` candidates for ``ink``, most likely first ([] for empty ink)."""
        ...


class RecognizerUnavailable(RuntimeError):
    """The engine or its model is not installed (the pad then is not offered)."""

    code = "handwriting.unavailable"
