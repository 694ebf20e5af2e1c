"""Serial scan engines (USB CDC-ACM or RS-232): one scanned code per line.

The port is opened by pyserial URL (``serial.serial_for_url``), so ``/dev/ttyACM0``,
``socket://127.0.0.1:7000`` (a serial device server, or the simulator over TCP), ``loop://``
and ``rfc2217://`` all work. Engines end each code with CR, LF or CR LF, whichever they are set
to; ``Terminator.ANY`` (the default) accepts all three. With ``aim_ids=True`` an AIM symbology
identifier the engine prefixes (``]Q1``…) is removed and reported as the symbology.
"""

from __future__ import annotations

import logging
import time
from enum import StrEnum

import serial

from devices.errors import DataCorruptedError, DeviceNotReachableError
from devices.model import ComponentInfo, ComponentKind

from .base import DEFAULT_DUPLICATE_WINDOW, Clock, ScannerBase
from .events import MAX_PAYLOAD_BYTES, ScannedCode, Symbology, check_text, split_aim

log = logging.getLogger(__name__)

# A read waits at most this long for a first byte; a timeout may overrun by up to this much.
_POLL_SECONDS = 0.05


class Terminator(StrEnum):
    """What ends a scanned line."""

    CR = "cr"
    LF = "lf"
    CRLF = "crlf"
    ANY = "any"  # CR, LF or CR LF


_SEPARATORS: dict[Terminator, bytes] = {
    Terminator.CR: b"\r", Terminator.LF: b"\n", Terminator.CRLF: b"\r\n"}


class LineFramer:
    """Split a byte stream into lines; refuse a line longer than ``max_length`` bytes."""

    def __init__(self, terminator: Terminator = Terminator.ANY,
                 max_length: int = MAX_PAYLOAD_BYTES) -> None:
        self.terminator = Terminator(terminator)
        self.max_length = max_length
        self._buffer = bytearray()
        self._discarding = False  # inside an over-long line: drop bytes up to its end

    def feed(self, chunk: bytes) -> None:
        """Add bytes read from the port."""
        self._buffer += chunk

    def next_line(self) -> bytes | None:
        """Return the next complete, non-empty line, or None; raise on an over-long line."""
        while True:
            end, skip = self._find_end()
            if end < 0:
                self._check_overflow()
                return None
            line = bytes(self._buffer[:end])
            del self._buffer[:end + skip]
            if self._discarding:
                self._discarding = False  # the tail of a refused line
            elif len(line) > self.max_length:
                raise DataCorruptedError(f"scanned line of {len(line)} bytes is too long")
            elif line:
                return line

    def clear(self) -> None:
        """Drop everything buffered."""
        self._buffer.clear()
        self._discarding = False

    def _find_end(self) -> tuple[int, int]:
        if self.terminator is not Terminator.ANY:
            separator = _SEPARATORS[self.terminator]
            return self._buffer.find(separator), len(separator)
        ends = [i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0]
        if not ends:
            return -1, 0
        end = min(ends)
        # A CR LF pair is one terminator; a lone LF arriving later makes an empty line.
        return end, 2 if self._buffer[end:end + 2] == b"\r\n" else 1

    def _check_overflow(self) -> None:
        if len(self._buffer) <= self.max_length:
            return
        size = len(self._buffer)
        self._buffer.clear()
        if self._discarding:
            return
        self._discarding = True
        raise DataCorruptedError(f"scanned line longer than {self.max_length} bytes ({size}+)")


class SerialScanner(ScannerBase):
    """A scan engine on a serial port; ``read_code`` returns the next new code.

    A read raises DataCorruptedError for a line that is too long or not text in ``encoding``
    (the line is dropped; the next read goes on with the next line), and
    DeviceNotReachableError when the port goes away.
    """

    def __init__(self, url: str, baudrate: int = 9600,
                 terminator: Terminator | str = Terminator.ANY, *, source_id: str = "scanner",
                 encoding: str = "utf-8", max_length: int = MAX_PAYLOAD_BYTES,
                 aim_ids: bool = False, duplicate_window: float = DEFAULT_DUPLICATE_WINDOW,
                 clock: Clock = time.monotonic, simulated: bool = False) -> None:
        super().__init__(ComponentInfo(source_id, ComponentKind.BARCODE_SCANNER, url, simulated,
                                       {"baudrate": baudrate, "terminator": str(terminator)}),
                         duplicate_window=duplicate_window, clock=clock)
        self.url = url
        self.encoding = encoding
        self.aim_ids = aim_ids
        self._framer = LineFramer(Terminator(terminator), max_length)
        self._port = _open(url, baudrate)

    def drain(self) -> None:
        """Drop whatever the engine sent and was not read yet."""
        self._framer.clear()
        self._port.reset_input_buffer()

    def close(self) -> None:
        """Close the port."""
        # pyserial's socket:// close() skips closing its socket when shutdown() fails, which
        # it does once the peer has hung up; close the socket ourselves (closing twice is safe).
        sock = getattr(self._port, "_socket", None)
        self._port.close()
        if sock is not None:
            sock.close()

    def _receive(self, timeout: float) -> None:
        # What has arrived; else, if there is time, the first byte within one poll period.
        # The port's timeout stays fixed: setting it re-applies termios on every read.
        with self._device_io():
            try:
                waiting = self._port.in_waiting
                chunk = self._port.read(waiting or 1) if waiting or timeout > 0 else b""
            except (serial.SerialException, OSError) as err:
                raise DeviceNotReachableError(f"scanner {self.url}: {err}") from err
        self._framer.feed(chunk)

    def _buffered_code(self) -> ScannedCode | None:
        while (line := self._framer.next_line()) is not None:
            code = self._code_of(line)
            if code is not None:
                return code
        return None

    def _code_of(self, line: bytes) -> ScannedCode | None:
        symbology, data = split_aim(line) if self.aim_ids else (Symbology.UNKNOWN, line)
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError as err:
            raise DataCorruptedError(f"scan of {len(data)} bytes is not {self.encoding}") from err
        check_text(text)
        if not self._is_new(data):
            return None
        return ScannedCode(self.info.id, symbology, data, text)


def _open(url: str, baudrate: int) -> serial.SerialBase:
    try:
        # exclusive: a second process on the same port would steal scans.
        return serial.serial_for_url(url, baudrate=baudrate, timeout=_POLL_SECONDS,
                                     exclusive=_local(url))
    except (serial.SerialException, OSError, ValueError) as err:
        raise DeviceNotReachableError(f"scanner {url}: {err}") from err


def _local(url: str) -> bool | None:
    # pyserial accepts ``exclusive`` for local ports only; URL handlers reject the argument.
    return True if url.startswith("/") else None
