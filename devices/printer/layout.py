"""Fit text to a receipt: display width, wrapping, key–value rows.

Widths are in columns of the printer's font A. Printable ASCII takes one column. East Asian
Wide and Fullwidth characters (汉字, full-width punctuation such as ，：（）) take two. So does every
other non-ASCII character on these printers, because it is sent through the printer's Chinese
double-byte font (GB18030), whose cells are two columns wide (e.g. "·" in 阿卜杜·买买提, "é").
A line never ends in the middle of a character: wrapping works on whole characters only.
"""

from __future__ import annotations

import re
import unicodedata

# A line should not start with closing punctuation (simple 禁则 / kinsoku).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…,.;:?!)]}")
# Runs of spaces, runs of non-space ASCII (latin words), or one other character.
_TOKENS = re.compile(r" +|[!-~]+|[^ !-~]")
# Categories dropped from printed text: controls (ESC/POS injection), format characters,
# combining marks left over after NFC, private use, unassigned, surrogates.
_DROPPED = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Mn", "Mc", "Me"})


def sanitize(text: str) -> str:
    """Return text safe to print: NFC, newlines kept, tabs as spaces, control codes removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_clean_char(ch) for ch in text.replace("\t", " "))


def _clean_char(ch: str) -> str:
    if ch == "\n":
        return ch
    category = unicodedata.category(ch)
    if category in _DROPPED:
        return ""
    if category == "Zs" and unicodedata.east_asian_width(ch) not in ("W", "F"):
        return " "  # no-break and thin spaces print as a plain space; 　 (U+3000) stays wide
    return ch


def char_width(ch: str) -> int:
    """Return the columns one character takes on the printer (1 for ASCII, else 2)."""
    if " " <= ch <= "~":
        return 1
    if ch in "\n\r\t" or unicodedata.category(ch) in _DROPPED:
        return 0
    return 2


def display_width(text: str) -> int:
    """Return the columns a single line of text takes on the printer."""
    return sum(char_width(ch) for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Wrap text to lines of at most ``width`` columns; explicit newlines start new lines."""
    if width < 2:
        raise ValueError(f"cannot wrap to {width} column(s): a Chinese character needs two")
    lines: list[str] = []
    for paragraph in sanitize(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return lines


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    lines: list[list[str]] = [[]]
    for token in _TOKENS.findall(paragraph):
        _place(lines, token, width)
    return ["".join(line).rstrip(" ") for line in lines]


def _place(lines: list[list[str]], token: str, width: int) -> None:
    line = lines[-1]
    room = width - display_width("".join(line))
    if token.startswith(" "):
        # Spaces survive inside a line and as a paragraph's indent, never at a wrapped line's start.
        if line or len(lines) == 1:
            line.append(token[: max(room, 0)])
        return
    if display_width(token) <= room:
        line.append(token)
    elif not token.isascii():
        _break_before(lines, token, width)
    elif len(token) <= width:
        lines.append([token])
    else:
        _break_long_word(lines, token, room, width)


def _break_before(lines: list[list[str]], token: str, width: int) -> None:
    """Start a new line with a wide character, taking the previous one along before 。，）."""
    previous = lines[-1]
    carry: list[str] = []
    if (token in NO_LINE_START and len(previous) > 1 and not previous[-1].startswith(" ")
            and display_width(previous[-1]) + display_width(token) <= width):
        carry.append(previous.pop())
    lines.append([*carry, token])


def _break_long_word(lines: list[list[str]], word: str, room: int, width: int) -> None:
    """Fill the current line with the start of a word longer than a line, then whole lines."""
    if room > 0:
        lines[-1].append(word[:room])
        word = word[room:]
    for start in range(0, len(word), width):
        lines.append([word[start : start + width]])


def key_value_lines(key: str, value: str, width: int, *, indent: int = 2) -> list[str]:
    """Lay out a row: value right-aligned on the key's line, or wrapped under it if too long."""
    key, value = _one_line(key), _one_line(value)
    gap = width - display_width(key) - display_width(value)
    if gap >= 1 and key and value:
        return [key + " " * gap + value]
    lines = wrap(key, width) if key else []
    if value:
        lines += [" " * indent + line for line in wrap(value, width - indent)]
    return lines or [""]


def _one_line(text: str) -> str:
    return " ".join(sanitize(text).split("\n")).strip(" ")
