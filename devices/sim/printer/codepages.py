"""Character tables: ESC t code pages for single-byte text, GB18030 for Chinese mode."""

from __future__ import annotations

# ESC t n -> Python codec, after the Epson table python-escpos's capability database uses.
CODE_PAGES: dict[int, str] = {
    0: "cp437", 1: "cp932", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865",
    13: "cp857", 14: "cp737", 15: "iso8859_7", 16: "cp1252", 17: "cp866", 18: "cp852",
    19: "cp858", 21: "cp874", 32: "cp720", 33: "cp775", 34: "cp855", 35: "cp861", 36: "cp862",
    37: "cp864", 38: "cp869", 39: "iso8859_2", 40: "iso8859_15", 44: "cp1125", 45: "cp1250",
    46: "cp1251", 47: "cp1253", 48: "cp1254", 49: "cp1255", 50: "cp1256", 51: "cp1257",
    52: "cp1258",
}
DEFAULT_CODE_PAGE = "cp437"
CHINESE = "gb18030"


def code_page(n: int) -> str | None:
    """Return the codec of ESC t n, or None if the simulated printer has no such table."""
    return CODE_PAGES.get(n)


def decode_single_byte(data: bytes, codec: str) -> str:
    """Decode each byte on its own, as a printer without a multi-byte mode does."""
    return "".join(_single(b, codec) for b in data)


def _single(byte: int, codec: str) -> str:
    if byte < 0x80:
        return chr(byte)
    return bytes([byte]).decode(codec, errors="replace")


def decode_chinese(data: bytes) -> list[tuple[str, bool]]:
    """Decode Chinese-mode bytes into (character, is double-byte) pairs; bad bytes become U+FFFD.

    In Chinese mode bytes below 0x80 are single-byte ASCII and everything else is part of a
    GB18030 multi-byte character, so a decoded character is double-byte exactly when it is not
    ASCII.
    """
    return [(char, ord(char) >= 0x80) for char in data.decode(CHINESE, errors="replace")]
