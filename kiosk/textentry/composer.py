"""What the letter keyboards type: a ``Composer`` holds the committed text and, in pinyin mode,
the letters being composed with their candidates, a page at a time (big keys, few per page)."""

from __future__ import annotations

from .pinyin import Candidate, PinyinEngine

PAGE_SIZE = 6


class Composer:
    """Text typed on an on-screen keyboard; with an engine, letters compose Chinese."""

    def __init__(self, engine: PinyinEngine | None = None, *, max_length: int = 200,
                 page_size: int = PAGE_SIZE) -> None:
        self.engine = engine
        self.max_length = max_length
        self.page_size = page_size
        self.text = ""
        self.letters = ""  # pinyin being composed (pinyin mode only)
        self.page = 0
        self.upper = False  # English mode: the next letters are capitals

    @property
    def composing(self) -> bool:
        return bool(self.letters)

    def candidates(self) -> list[Candidate]:
        """Return every candidate for the letters typed so far."""
        return self.engine.candidates(self.letters) if self.engine and self.letters else []

    def page_of_candidates(self) -> list[Candidate]:
        """Return the candidates on the current page."""
        start = self.page * self.page_size
        return self.candidates()[start:start + self.page_size]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.candidates()) // self.page_size))

    def key(self, char: str) -> None:
        """A letter, digit or punctuation key."""
        if self.engine is not None and char.isascii() and char.isalpha():
            if len(self.letters) < 30:
                self.letters += char.lower()
                self.page = 0
            return
        if self.letters:
            self.choose(0)  # punctuation after pinyin: take the first candidate, as IMEs do
        self._add(char.upper() if self.upper and char.isalpha() else char)

    def choose(self, index: int) -> None:
        """Take candidate ``index`` of the current page; its letters leave the composition."""
        shown = self.page_of_candidates()
        if not 0 <= index < len(shown):
            return
        chosen = shown[index]
        self._add(chosen.text)
        self.letters = self.letters[chosen.letters:]
        self.page = 0

    def space(self) -> None:
        """Space: take the first candidate while composing, else type a space."""
        if self.letters:
            if self.page_of_candidates():
                self.choose(0)
            return
        self._add(" ")

    def backspace(self) -> None:
        """Delete the last letter being composed, else the last character typed."""
        if self.letters:
            self.letters = self.letters[:-1]
            self.page = 0
        else:
            self.text = self.text[:-1]

    def next_page(self) -> None:
        self.page = min(self.page + 1, self.pages - 1)

    def previous_page(self) -> None:
        self.page = max(self.page - 1, 0)

    def shift(self) -> None:
        """English mode: capitals on/off."""
        self.upper = not self.upper

    def clear(self) -> None:
        self.text, self.letters, self.page = "", "", 0

    def _add(self, text: str) -> None:
        self.text = (self.text + text)[: self.max_length]
