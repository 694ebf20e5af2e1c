"""Base45 (RFC 9285): bytes as text in the QR code alphanumeric alphabet.

Two bytes become three characters, a last odd byte two. Decoding is strict: any character
outside the 45-character alphabet, a length of 3n+1, or a group whose value does not fit
its bytes (``GGW`` = 65536) is an error, so one text never decodes two ways.
"""

from __future__ import annotations

import re
import struct

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
# Decoding is on every verification's path: validate with one regex and map characters to
# values with bytes.translate (both in C), then combine whole groups in one comprehension.
_VALID = re.compile(r"[0-9A-Z $%*+\-./:]*")
_TO_VALUES = bytes.maketrans(ALPHABET.encode("ascii"), bytes(range(len(ALPHABET))))


class Base45Error(ValueError):
    """The text is not valid base45."""


def encode(data: bytes) -> str:
    """Encode bytes as base45 text."""
    chars: list[str] = []
    for start in range(0, len(data), 2):
        pair = data[start:start + 2]
        number = int.from_bytes(pair, "big")
        width = 3 if len(pair) == 2 else 2
        for _ in range(width):
            number, digit = divmod(number, 45)
            chars.append(ALPHABET[digit])
    return "".join(chars)


def decode(text: str) -> bytes:
    """Decode base45 text; raise Base45Error on any deviation from RFC 9285."""
    if len(text) % 3 == 1:
        raise Base45Error(f"length {len(text)} is not 3n or 3n+2")
    if not _VALID.fullmatch(text):
        for index, char in enumerate(text):
            _value(char, index)  # raises for the first character outside the alphabet
    values = text.encode("ascii").translate(_TO_VALUES)
    whole = len(values) - len(values) % 3
    numbers = [a + b * 45 + c * 2025 for a, b, c in
               zip(values[0:whole:3], values[1:whole:3], values[2:whole:3], strict=True)]
    if numbers and max(numbers) > 0xFFFF:
        start = 3 * next(i for i, number in enumerate(numbers) if number > 0xFFFF)
        raise Base45Error(f"group at {start} ({text[start:start + 3]!r}) is too large")
    out = struct.pack(f">{len(numbers)}H", *numbers)
    if whole < len(values):  # a last group of two characters holds one byte
        number = values[whole] + values[whole + 1] * 45
        if number > 0xFF:
            raise Base45Error(f"group at {whole} ({text[whole:]!r}) is too large")
        out += bytes([number])
    return out


def _value(char: str, index: int) -> int:
    try:
        return _VALUE[char]
    except KeyError:
        raise Base45Error(f"character {char!r} at {index} is not in the alphabet") from None
