"""Base45 (RFC 9285): bytes as text in the QR code alphanumeric alphabet.

Two bytes become three characters, a last odd byte two. Decoding is strict: any character
outside the 45-character alphabet, a length of 3n+1, or a group whose value does not fit
its bytes (``GGW`` = 65536) is an error, so one text never decodes two ways.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {char: value for value, char in enumerate(ALPHABET)}


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
    values = [_value(char, index) for index, char in enumerate(text)]
    out = bytearray()
    for start in range(0, len(values), 3):
        group = values[start:start + 3]
        number = sum(value * 45**power for power, value in enumerate(group))
        size = len(group) - 1
        if number >= 256**size:
            raise Base45Error(f"group at {start} ({text[start:start + 3]!r}) is too large")
        out += number.to_bytes(size, "big")
    return bytes(out)


def _value(char: str, index: int) -> int:
    try:
        return _VALUE[char]
    except KeyError:
        raise Base45Error(f"character {char!r} at {index} is not in the alphabet") from None
