"""What a scanner delivers (``ScannedCode``) and the checks every payload passes first.

The scanner layer delivers bytes and, where they are UTF-8, text. It does not interpret them:
the backend decides whether a payload is a certificate token (``ZM1:`` + base45), a ticket
slip or a resident QR. What it does check is that a payload could be a scan at all: not empty,
not longer than any QR code can hold, no control characters in text from a serial line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from devices.errors import DataCorruptedError
from devices.model import DeviceEvent, Severity

# A version-40 QR code holds at most 2,953 bytes; a longer "scan" is line noise.
MAX_PAYLOAD_BYTES = 4096
BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_CHARS = frozenset(BASE45_ALPHABET)
# A token prefix in the EU DCC style ("HC1:"): a few upper-case letters or digits and a colon.
_TOKEN_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,3}:")
# C0 controls allowed in a scan: tab, and the GS1 / ISO 15434 separators (EOT, GS, RS).
_ALLOWED_CONTROLS = frozenset("\t\x04\x1d\x1e")


class Symbology(StrEnum):
    """Names of the symbologies, the same whichever decoder or scan engine read them."""

    QR_CODE = "QR_CODE"
    CODE_128 = "CODE_128"
    CODE_39 = "CODE_39"
    EAN_13 = "EAN_13"
    EAN_8 = "EAN_8"
    UPC_A = "UPC_A"
    UPC_E = "UPC_E"
    DATA_MATRIX = "DATA_MATRIX"
    PDF417 = "PDF417"
    UNKNOWN = "UNKNOWN"


# QR for tokens and slips, the common 1-D codes for goods and paper forms.
DEFAULT_SYMBOLOGIES: frozenset[Symbology] = frozenset({
    Symbology.QR_CODE, Symbology.CODE_128, Symbology.CODE_39, Symbology.EAN_13,
    Symbology.EAN_8, Symbology.UPC_A, Symbology.UPC_E,
})

# AIM symbology identifiers (ISO/IEC 15424) a scan engine can prefix: "]Q1" + QR payload.
_AIM_CODES: dict[str, Symbology] = {
    "Q": Symbology.QR_CODE, "C": Symbology.CODE_128, "A": Symbology.CODE_39,
    "d": Symbology.DATA_MATRIX, "L": Symbology.PDF417,
}


@dataclass(frozen=True)
class ScannedCode:
    """One code read by one scanner, at one moment."""

    source_id: str
    symbology: str
    data: bytes
    text: str | None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __repr__(self) -> str:
        # Payloads can be a resident's sign-in token: keep them out of logs and tracebacks.
        return (f"ScannedCode(source_id={self.source_id!r}, symbology={str(self.symbology)!r}, "
                f"{len(self.data)} bytes, at={self.at.isoformat()})")

    def as_dict(self) -> dict[str, Any]:
        """Return the code as JSON-ready data (bytes as hex)."""
        return {"source_id": self.source_id, "symbology": self.symbology,
                "data_hex": self.data.hex(), "text": self.text, "at": self.at.isoformat()}

    def as_event(self) -> DeviceEvent:
        """Return the ``code_scanned`` event the station pushes to the UI."""
        return DeviceEvent(self.source_id, "code_scanned", Severity.NORMAL,
                           {"symbology": self.symbology, "text": self.text,
                            "data_hex": self.data.hex()}, at=self.at)


def text_of(data: bytes) -> str | None:
    """Return the payload as text if it is valid UTF-8 (ASCII included), else None."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def check_length(data: bytes, *, max_length: int = MAX_PAYLOAD_BYTES) -> None:
    """Raise DataCorruptedError if a payload is empty or longer than a scan can be."""
    if not data:
        raise DataCorruptedError("empty scan")
    if len(data) > max_length:
        raise DataCorruptedError(f"scan of {len(data)} bytes is longer than {max_length}")


def check_text(text: str) -> None:
    """Raise DataCorruptedError if text holds control characters no code carries."""
    for char in text:
        if (char < " " or char == "\x7f") and char not in _ALLOWED_CONTROLS:
            raise DataCorruptedError(f"scan holds control character {ord(char):#04x}")


def is_printable_ascii(text: str) -> bool:
    """Return True if every character is printable ASCII (space to tilde)."""
    return all(" " <= char <= "~" for char in text)


def is_base45(text: str) -> bool:
    """Return True if the text uses only the base45 alphabet (QR alphanumeric mode)."""
    return all(char in _BASE45_CHARS for char in text)


def is_base45_token(text: str, prefix: str | None = None) -> bool:
    """Return True if text looks like a prefixed base45 token, e.g. ``ZM1:6BFOXN*TS0BI$ZD4N9``."""
    if prefix is not None:
        head_ok = text.startswith(prefix)
        body = text[len(prefix):]
    else:
        match = _TOKEN_PREFIX.match(text)
        head_ok = match is not None
        body = text[match.end():] if match else ""
    return head_ok and bool(body) and is_base45(body)


def split_aim(data: bytes) -> tuple[str, bytes]:
    """Split an AIM identifier (``]Q1``…) off a payload; return (symbology, rest)."""
    if len(data) >= 3 and data[:1] == b"]":
        letter = chr(data[1])
        if letter == "E":  # ]E0 is EAN-13 (and UPC-A), ]E4 is EAN-8
            return (Symbology.EAN_8 if data[2:3] == b"4" else Symbology.EAN_13), data[3:]
        if letter in _AIM_CODES:
            return _AIM_CODES[letter], data[3:]
        return Symbology.UNKNOWN, data[3:]
    return Symbology.UNKNOWN, data
