"""Pinyin letters → candidate characters and words, from the dictionary shipped in assets/pinyin
(see its README for where the data comes from). Toneless pinyin, ü typed as ``v``.

Letters are split into syllables (the fewest; the last may be unfinished, as people type), then
candidates are the words whose reading matches, most frequent first, followed by the characters
of the first syllable. Choosing a candidate consumes as many syllables as it has characters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import assets

MAX_LETTERS = 30
RARE_READING = 50  # a character's other readings count this many times less


@dataclass(frozen=True)
class Candidate:
    text: str
    letters: int  # how many of the typed letters it stands for


class PinyinEngine:
    """Look candidates up in a character table and a word table."""

    def __init__(self, chars: list[tuple[str, int, tuple[str, ...]]],
                 words: list[tuple[str, int, tuple[str, ...]]]) -> None:
        self._chars: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for char, freq, readings in chars:
            for rank, reading in enumerate(readings):
                # The usual reading first: 见 is jian; its rare reading xian must not outrank 先.
                self._chars[reading].append((freq if rank == 0 else freq // RARE_READING, char))
        for entries in self._chars.values():
            entries.sort(key=lambda e: -e[0])
        self.syllables = frozenset(self._chars)
        self._prefixes = frozenset(s[:i] for s in self.syllables for i in range(1, len(s) + 1))
        self._words: dict[str, list[tuple[int, str, tuple[str, ...]]]] = defaultdict(list)
        for word, freq, syllables in words:
            if len(syllables) == len(word) and all(r in self.syllables for r in syllables):
                self._words[syllables[0]].append((freq, word, syllables))

    @classmethod
    def load(cls, folder: Path | None = None) -> PinyinEngine:
        """Read assets/pinyin/chars.tsv and words.tsv."""
        folder = folder or assets.path("pinyin")
        return cls(_read(folder / "chars.tsv"), _read(folder / "words.tsv"))

    def segment(self, letters: str) -> list[str]:
        """Split letters into the fewest syllables; the last may be unfinished ([] if impossible)."""
        letters = letters.lower()[:MAX_LETTERS]
        return list(self._segment(letters)) if letters else []

    def _segment(self, letters: str) -> tuple[str, ...]:
        best: dict[int, tuple[str, ...]] = {0: ()}
        for end in range(1, len(letters) + 1):
            for start in range(max(0, end - 6), end):
                if start not in best:
                    continue
                piece = letters[start:end]
                ok = piece in self.syllables or (end == len(letters) and piece in self._prefixes)
                if ok and (end not in best or len(best[start]) + 1 < len(best[end])):
                    best[end] = (*best[start], piece)
        return best.get(len(letters), ())

    def candidates(self, letters: str, limit: int = 60) -> list[Candidate]:
        """Return what ``letters`` may stand for: matching words, then characters."""
        parts = self.segment(letters)
        if not parts:
            return []
        found: list[Candidate] = []
        seen: set[str] = set()
        for n in range(len(parts), 1, -1):  # the longest words first
            for word in self._matching_words(parts[:n]):
                if word not in seen:
                    seen.add(word)
                    found.append(Candidate(word, sum(len(p) for p in parts[:n])))
        for char in self._matching_chars(parts[0], last=len(parts) == 1):
            if char not in seen:
                seen.add(char)
                found.append(Candidate(char, len(parts[0])))
        return found[:limit]

    def _matching_words(self, parts: list[str]) -> list[str]:
        *whole, last = parts
        hits = [(freq, word) for freq, word, reading in self._words.get(parts[0], ())
                if len(reading) == len(parts) and list(reading[:-1]) == whole
                and reading[-1].startswith(last)]
        if parts[0] not in self.syllables:
            return []
        return [word for _freq, word in sorted(hits, key=lambda h: -h[0])]

    def _matching_chars(self, part: str, *, last: bool) -> list[str]:
        exact = [c for _f, c in self._chars.get(part, ())]
        if not last:
            return exact
        longer = sorted((e for s, entries in self._chars.items() if s != part and s.startswith(part)
                         for e in entries), key=lambda e: -e[0])
        return exact + [c for _f, c in longer]


def _read(path: Path) -> list[tuple[str, int, tuple[str, ...]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            text, freq, reading = line.split("\t")
            rows.append((text, int(freq), tuple(reading.split())))
    return rows


@lru_cache(maxsize=1)
def engine() -> PinyinEngine:
    """Return the shipped dictionary's engine (loaded once, about 50 ms)."""
    return PinyinEngine.load()
