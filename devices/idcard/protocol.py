"""The ID card reader module's serial protocol (GA 467 style), 115200 baud by default.

    request  AA AA AA 96 69 | LEN(2, big-endian) | CMD PARA | DATA | CHK
    reply    AA AA AA 96 69 | LEN(2, big-endian) | SW1 SW2 SW3 | DATA | CHK

LEN counts the bytes after it, checksum included; CHK is the XOR of every byte after the
preamble up to the checksum (length, command or status, data). This module is pure: it encodes
and decodes bytes and raises ``FrameError`` with a stable ``reason``; it does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import reduce

from .codes import ETHNICITIES, Sex, ethnicity_label, sex_from_label  # noqa: F401  (re-exported)

PREAMBLE = bytes.fromhex("AAAAAA9669")
DEFAULT_BAUDRATE = 115200
MAX_LENGTH = 0x1000  # longer than any reply (text + photo + fingerprint is about 2.3 KB)
MIN_LENGTH = 3  # a request's command, parameter and checksum
BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit


Command = tuple[int, int]  # a command byte and its parameter byte

FIND_CARD: Command = (0x20, 0x01)
SELECT_CARD: Command = (0x20, 0x02)
READ_BASIC: Command = (0x30, 0x01)
COMMAND_NAMES = {FIND_CARD: "find_card", SELECT_CARD: "select_card", READ_BASIC: "read_basic"}


class Sw3(IntEnum):
    """The third status word of a reply (SW1 SW2 are 00 00 when the module works)."""

    OK = 0x90
    NO_CONTENT = 0x91
    CARD_FOUND = 0x9F
    REQUEST_CHECKSUM = 0x10
    REQUEST_LENGTH = 0x11
    BAD_COMMAND = 0x21
    NOT_AUTHORISED = 0x23
    UNKNOWN_ERROR = 0x24
    CARD_AUTH_FAILED = 0x31
    UNKNOWN_CARD = 0x40
    READ_FAILED = 0x41
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


class FrameError(ValueError):
    """Bytes that are not a good frame; ``reason`` is checksum, garbage, length or text_block."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def checksum(body: bytes) -> int:
    """Return the XOR of the bytes after the preamble (length, command or status, data)."""
    return reduce(lambda acc, b: acc ^ b, body, 0)


def frame(payload: bytes) -> bytes:
    """Wrap a payload (command or status words plus data) into a complete frame."""
    length = len(payload) + 1
    if length > MAX_LENGTH:
        raise ValueError(f"payload of {len(payload)} bytes is too long for a frame")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def wire_seconds(nbytes: int, baudrate: int = DEFAULT_BAUDRATE) -> float:
    """Return how long nbytes take on a serial line at baudrate (8N1)."""
    return nbytes * BITS_PER_BYTE / baudrate


@dataclass(frozen=True)
class Request:
    command: int
    parameter: int
    data: bytes = b""

    @property
    def key(self) -> Command:
        return (self.command, self.parameter)

    @property
    def name(self) -> str:
        return COMMAND_NAMES.get(self.key, f"{self.command:02X}{self.parameter:02X}")

    def encode(self) -> bytes:
        """Return the request as a frame."""
        return frame(bytes([self.command, self.parameter]) + self.data)

    @classmethod
    def for_command(cls, command: Command, data: bytes = b"") -> Request:
        """Return the request for a command constant such as FIND_CARD."""
        return cls(command[0], command[1], data)

    @classmethod
    def decode(cls, payload: bytes) -> Request:
        """Build a request from a frame's payload."""
        if len(payload) < 2:
            raise FrameError("length", "a request needs a command and a parameter")
        return cls(payload[0], payload[1], bytes(payload[2:]))


@dataclass(frozen=True)
class Reply:
    sw3: int
    data: bytes = b""
    sw1: int = 0
    sw2: int = 0

    @property
    def ok(self) -> bool:
        return self.sw1 == 0 and self.sw2 == 0 and self.sw3 in (Sw3.OK, Sw3.CARD_FOUND)

    @property
    def status_name(self) -> str:
        try:
            return Sw3(self.sw3).name
        except ValueError:
            return f"0x{self.sw3:02X}"

    def encode(self) -> bytes:
        """Return the reply as a frame."""
        return frame(bytes([self.sw1, self.sw2, self.sw3]) + self.data)

    @classmethod
    def decode(cls, payload: bytes) -> Reply:
        """Build a reply from a frame's payload."""
        if len(payload) < 3:
            raise FrameError("length", "a reply needs three status words")
        return cls(sw1=payload[0], sw2=payload[1], sw3=payload[2], data=bytes(payload[3:]))


class FrameReader:
    """Incremental frame reader: feed bytes as they come, take payloads as frames complete.

    Bytes before a preamble are skipped (and counted in ``discarded``), so the reader
    resynchronises after line noise; a frame with a bad checksum is dropped and reported.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.discarded = 0

    def feed(self, data: bytes) -> None:
        """Append bytes received from the line."""
        self._buffer += data

    @property
    def pending(self) -> int:
        return len(self._buffer)

    @property
    def in_frame(self) -> bool:
        """Tell whether a frame has started (its preamble is at the front of the buffer)."""
        return self._buffer.startswith(PREAMBLE)

    def wanted(self) -> int:
        """Return how many more bytes could complete the next frame (at least 1)."""
        self._sync()
        if len(self._buffer) < len(PREAMBLE) + 2:
            return max(1, len(PREAMBLE) + 2 - len(self._buffer))
        total = len(PREAMBLE) + 2 + int.from_bytes(self._buffer[5:7], "big")
        return max(1, total - len(self._buffer))

    def next_frame(self) -> bytes | None:
        """Return the next complete payload, None if more bytes are needed; FrameError if bad."""
        while True:
            self._sync()
            if len(self._buffer) < len(PREAMBLE) + 2:
                return None
            length = int.from_bytes(self._buffer[5:7], "big")
            if MIN_LENGTH <= length <= MAX_LENGTH:
                break
            self._skip(1)  # not a real frame start: look for the next preamble
        end = len(PREAMBLE) + 2 + length
        if len(self._buffer) < end:
            return None
        body = bytes(self._buffer[len(PREAMBLE):end])
        del self._buffer[:end]
        if checksum(body[:-1]) != body[-1]:
            raise FrameError("checksum", f"checksum {body[-1]:02X} != {checksum(body[:-1]):02X}")
        return body[2:-1]

    def _sync(self) -> None:
        found = self._buffer.find(PREAMBLE)
        if found > 0:
            self._skip(found)
        elif found < 0:
            # Keep a tail that may be the start of a preamble split across reads.
            keep = 0
            for size in range(len(PREAMBLE) - 1, 0, -1):
                if self._buffer.endswith(PREAMBLE[:size]):
                    keep = size
                    break
            self._skip(len(self._buffer) - keep)

    def _skip(self, count: int) -> None:
        self.discarded += count
        del self._buffer[:count]


# ---- the 256-byte text block of "read basic information" -----------------------------------

TEXT_BLOCK_SIZE = 256
PHOTO_SIZE = 1024
# (field, bytes) in card order; UCS-2 little-endian, padded with spaces.
TEXT_FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 30), ("sex", 2), ("ethnicity", 4), ("birth_date", 16), ("address", 70),
    ("id_number", 36), ("authority", 30), ("valid_from", 16), ("valid_until", 16),
)
RESERVED_SIZE = TEXT_BLOCK_SIZE - sum(size for _, size in TEXT_FIELDS)
LONG_TERM = "长期"


@dataclass(frozen=True)
class TextBlock:
    """The card's text fields as stored, unparsed (dates are YYYYMMDD strings)."""

    name: str
    sex: str
    ethnicity: str
    birth_date: str
    address: str
    id_number: str
    authority: str
    valid_from: str
    valid_until: str
    reserved: bytes = " ".encode("utf-16-le") * (RESERVED_SIZE // 2)

    def encode(self) -> bytes:
        """Return the 256-byte block; raise ValueError if a field does not fit or is not UCS-2."""
        out = bytearray()
        for field_name, size in TEXT_FIELDS:
            out += _encode_field(field_name, getattr(self, field_name), size)
        if len(self.reserved) != RESERVED_SIZE:
            raise ValueError(f"reserved area must be {RESERVED_SIZE} bytes")
        return bytes(out + self.reserved)

    @classmethod
    def decode(cls, block: bytes) -> TextBlock:
        """Parse a 256-byte block into its fields (trailing spaces and NULs removed)."""
        if len(block) != TEXT_BLOCK_SIZE:
            raise FrameError("text_block", f"text block is {len(block)} bytes, not 256")
        values: dict[str, str] = {}
        offset = 0
        for field_name, size in TEXT_FIELDS:
            values[field_name] = _decode_field(field_name, block[offset:offset + size])
            offset += size
        return cls(**values, reserved=bytes(block[offset:]))


def _encode_field(name: str, value: str, size: int) -> bytes:
    if any(ord(ch) > 0xFFFF for ch in value):
        raise ValueError(f"field {name} has a character outside UCS-2")
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"field {name} is {len(raw)} bytes, at most {size} fit")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def _decode_field(name: str, raw: bytes) -> str:
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError as err:
        raise FrameError("text_block", f"field {name} is not UCS-2") from err
    return text.rstrip(" \x00")


@dataclass(frozen=True)
class BasicInfo:
    """The data of a "read basic information" reply: the text block and the opaque photo."""

    text: bytes
    photo: bytes

    def encode(self) -> bytes:
        """Return the reply data: text length, photo length, text, photo."""
        return (len(self.text).to_bytes(2, "big") + len(self.photo).to_bytes(2, "big")
                + self.text + self.photo)

    @classmethod
    def decode(cls, data: bytes) -> BasicInfo:
        """Split reply data into text block and photo, checking the lengths it announces."""
        if len(data) < 4:
            raise FrameError("length", "basic information is shorter than its length words")
        text_len = int.from_bytes(data[0:2], "big")
        photo_len = int.from_bytes(data[2:4], "big")
        if text_len != TEXT_BLOCK_SIZE or len(data) != 4 + text_len + photo_len:
            raise FrameError("length", f"basic information lengths {text_len}+{photo_len} "
                                       f"do not match {len(data) - 4} data bytes")
        return cls(text=bytes(data[4:4 + text_len]), photo=bytes(data[4 + text_len:]))
