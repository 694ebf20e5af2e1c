"""The ID card reader driver: GA 467 frames over any pyserial URL, bounded by timeouts.

``read_card()`` runs find → select → read basic information → parse → validate, and either
returns the card, returns None (no card on the reader) or raises one of ``devices.idcard.errors``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import serial

try:
    from termios import error as _TermiosError
except ImportError:  # not a POSIX system
    _TermiosError = OSError  # type: ignore[misc, assignment]

from ..model import ComponentInfo, ComponentKind, ComponentState, ComponentStatus, StatusCode
from ..urls import parse_device_url, pyserial_port, serial_settings
from .card import IdCard
from .errors import (
    CardDataError,
    CardExpiredError,
    CardRemovedError,
    IdCardError,
    InvalidIdNumberError,
    ReaderChecksumError,
    ReaderGarbageError,
    ReaderNotReachableError,
    ReaderStatusError,
    ReaderTimeoutError,
)
from .idnumber import validate_id_number
from .protocol import (
    DEFAULT_BAUDRATE,
    FIND_CARD,
    READ_BASIC,
    SELECT_CARD,
    BasicInfo,
    Command,
    FrameError,
    FrameReader,
    Reply,
    Request,
    Sw3,
    TextBlock,
)

log = logging.getLogger(__name__)

Clock = Callable[[], date]
DEFAULT_TIMEOUT = 2.0  # seconds for one reply; a real module needs well under a second to read
READ_SLICE = 0.02  # the port's own read timeout: how often the receive loop looks at the clock
QUIET_AFTER_GARBAGE = 0.15  # silence after noise that ends a reply early as garbage
CARD_GONE = frozenset({Sw3.NO_CARD, Sw3.SELECT_FAILED, Sw3.READ_FAILED})
# What a port raises when its device is gone (tcflush on a dead pty raises termios.error).
PORT_ERRORS = (serial.SerialException, OSError, _TermiosError)
_BAUDRATE = frozenset({"baudrate"})  # the one line setting a reader takes from its URL


class IdCardReader:
    """A GA 467 resident ID card reader module on a serial line (or a socket, pty, loop)."""

    def __init__(self, url: str, *, baudrate: int = DEFAULT_BAUDRATE,
                 timeout: float = DEFAULT_TIMEOUT, clock: Clock = date.today,
                 component_id: str = "idcard", simulated: bool = False) -> None:
        self.url = url
        parsed = parse_device_url(url)
        self._port_url = pyserial_port(parsed, keep=_BAUDRATE)
        self.baudrate = int(serial_settings(parsed, _BAUDRATE).get("baudrate", baudrate))
        self.timeout = timeout
        self.component_id = component_id
        self.simulated = simulated
        self._clock = clock
        self._port: serial.SerialBase | None = None
        self._lock = threading.Lock()

    # ---- connection -------------------------------------------------------------------------

    def open(self) -> None:
        """Open the port now (it is otherwise opened on first use)."""
        with self._lock:
            self._ensure_open()

    def close(self) -> None:
        """Close the port; the next command opens it again."""
        with self._lock:
            self._drop_port()

    def __enter__(self) -> IdCardReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_open(self) -> serial.SerialBase:
        if self._port is None:
            try:
                self._port = serial.serial_for_url(
                    self._port_url, baudrate=self.baudrate, timeout=READ_SLICE,
                    write_timeout=self.timeout)
            except (*PORT_ERRORS, ValueError) as err:
                raise ReaderNotReachableError(f"cannot open {self.url}: {err}") from err
        return self._port

    def _drop_port(self) -> None:
        port, self._port = self._port, None
        if port is None:
            return
        # pyserial's socket:// close() skips closing the socket when shutdown() fails because
        # the peer is already gone; close it ourselves so no descriptor leaks.
        sock = getattr(port, "_socket", None)
        try:
            port.close()
        except PORT_ERRORS:
            log.debug("closing %s failed", self.url, exc_info=True)
        if sock is not None:
            sock.close()

    # ---- component contract -----------------------------------------------------------------

    def info(self) -> ComponentInfo:
        """Describe the reader for the station's component list."""
        return ComponentInfo(
            id=self.component_id, kind=ComponentKind.ID_CARD_READER, url=self.url,
            simulated=self.simulated,
            characteristics={"protocol": "GA 467", "baudrate": self.baudrate,
                             "timeout_s": self.timeout, "reads": ["text", "photo"]},
        )

    def status(self) -> ComponentStatus:
        """Probe the reader with a harmless find-card command."""
        if not self._lock.acquire(timeout=self.timeout):
            return ComponentStatus(ComponentState.BUSY, StatusCode.OK, "reading a card")
        try:
            present = self._find()
        except IdCardError as err:
            return ComponentStatus.unavailable(err.status_code, f"{err.reason}: {err}")
        finally:
            self._lock.release()
        return ComponentStatus.ready("card present" if present else "no card")

    # ---- reading ----------------------------------------------------------------------------

    def find_card(self) -> bool:
        """Tell whether a card lies on the reader."""
        with self._lock:
            return self._find()

    def read_card(self) -> IdCard | None:
        """Read and validate the card on the reader; None when there is none."""
        with self._lock:
            if not self._find():
                return None
            self._expect_ok(self._transact(SELECT_CARD), "select")
            reply = self._transact(READ_BASIC)
            self._expect_ok(reply, "read")
        card = self._parse(reply.data)
        log.info("read ID card %r", card)
        return card

    def wait_for_card(self, poll_interval: float = 0.5,
                      stop_event: threading.Event | None = None,
                      max_wait: float | None = None) -> IdCard | None:
        """Poll until a card is read; None when stop_event is set or max_wait passes."""
        stop = stop_event or threading.Event()
        deadline = None if max_wait is None else time.monotonic() + max_wait
        while not stop.is_set():
            card = self.read_card()
            if card is not None:
                return card
            if deadline is not None and time.monotonic() + poll_interval > deadline:
                return None
            stop.wait(poll_interval)
        return None

    def _find(self) -> bool:
        reply = self._transact(FIND_CARD)
        if reply.sw1 == reply.sw2 == 0 and reply.sw3 == Sw3.CARD_FOUND:
            return True
        if reply.sw1 == reply.sw2 == 0 and reply.sw3 == Sw3.NO_CARD:
            return False
        raise self._status_error(reply, "find")

    def _expect_ok(self, reply: Reply, step: str) -> None:
        if reply.sw1 == reply.sw2 == 0 and reply.sw3 == Sw3.OK:
            return
        if reply.sw1 == reply.sw2 == 0 and reply.sw3 in CARD_GONE:
            raise CardRemovedError(f"card taken away during {step} ({reply.status_name})")
        raise self._status_error(reply, step)

    @staticmethod
    def _status_error(reply: Reply, step: str) -> ReaderStatusError:
        return ReaderStatusError(
            f"{step}: reader answered {reply.sw1:02X} {reply.sw2:02X} {reply.sw3:02X} "
            f"({reply.status_name})")

    def _parse(self, data: bytes) -> IdCard:
        try:
            info = BasicInfo.decode(data)
            block = TextBlock.decode(info.text)
        except FrameError as err:
            raise ReaderGarbageError(f"basic information: {err}") from err
        today = _as_date(self._clock())
        check = validate_id_number(block.id_number, today=today)
        if not check.valid:
            raise InvalidIdNumberError(
                f"ID number {check.masked} is invalid: {', '.join(check.problems)}", check=check)
        try:
            card = IdCard.from_text_block(block, info.photo)
        except ValueError as err:
            raise CardDataError(f"card text: {err}") from err
        if card.is_expired(today):
            raise CardExpiredError(f"card {card.id_number} expired on {card.valid_until}",
                                   valid_until=card.valid_until or today, card=card)
        return card

    # ---- frames on the wire -----------------------------------------------------------------

    def _transact(self, command: Command) -> Reply:
        """Send a command and return its reply, retrying once after a corrupted reply."""
        request = Request.for_command(command)
        try:
            return self._exchange(request)
        except (ReaderChecksumError, ReaderGarbageError) as err:
            log.warning("%s: corrupted reply (%s) from %s, retrying once",
                        request.name, err.reason, self.url)
        return self._exchange(request)

    def _exchange(self, request: Request) -> Reply:
        port = self._ensure_open()
        try:
            port.reset_input_buffer()  # a late or noisy byte must not prefix this reply
            port.write(request.encode())
            payload = self._receive(port, request.name)
        except serial.SerialTimeoutException as err:
            raise ReaderTimeoutError(f"{request.name}: writing to {self.url} timed out") from err
        except PORT_ERRORS as err:
            self._drop_port()
            raise ReaderNotReachableError(f"{request.name}: {self.url} went away: {err}") from err
        try:
            return Reply.decode(payload)
        except FrameError as err:
            raise ReaderGarbageError(f"{request.name}: {err}") from err

    def _receive(self, port: serial.SerialBase, name: str) -> bytes:
        frames = FrameReader()
        deadline = time.monotonic() + self.timeout
        last_byte_at: float | None = None
        while True:
            payload = self._next_payload(frames, name)
            if payload is not None:
                return payload
            if self._gave_up(frames, deadline, last_byte_at):
                break
            chunk = port.read(frames.wanted())
            if chunk:
                frames.feed(chunk)
                last_byte_at = time.monotonic()
        if frames.discarded or frames.pending:
            raise ReaderGarbageError(f"{name}: {frames.discarded + frames.pending} bytes "
                                     "that are not a complete frame")
        raise ReaderTimeoutError(f"{name}: no reply from {self.url} within {self.timeout} s")

    def _gave_up(self, frames: FrameReader, deadline: float, last_byte_at: float | None) -> bool:
        """Tell whether to stop waiting for the rest of a reply."""
        # A reply under way may take longer than the timeout (1295 bytes need 1.35 s at
        # 9600 baud): only a stall of ``timeout`` ends it. Frames are bounded by MAX_LENGTH.
        now = time.monotonic()
        if frames.in_frame and last_byte_at is not None:
            return now - last_byte_at >= self.timeout
        return now >= deadline or _quiet_after_noise(frames, last_byte_at, now)

    @staticmethod
    def _next_payload(frames: FrameReader, name: str) -> bytes | None:
        try:
            return frames.next_frame()
        except FrameError as err:
            raise ReaderChecksumError(f"{name}: {err}") from err

    def __repr__(self) -> str:
        return f"IdCardReader({self.url!r}, baudrate={self.baudrate})"


def _quiet_after_noise(frames: FrameReader, last_byte_at: float | None, now: float) -> bool:
    """Tell whether noise came and then the line went quiet without a frame starting."""
    return (frames.discarded > 0 and not frames.in_frame and last_byte_at is not None
            and now - last_byte_at >= QUIET_AFTER_GARBAGE)


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value
