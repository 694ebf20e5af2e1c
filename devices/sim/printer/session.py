"""One connection's worth of printing: parse, interpret, print or discard, answer status at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import status
from .interpreter import REALTIME, Interpreter, Problem
from .modes import Modes
from .page import Block, Page
from .parser import Command, EscPosParser
from .state import PrinterState

# Commands that put something on paper (or into the line buffer): a connection that sends
# one of these is a print job; one that only asks for status is not.
PRINTING = frozenset({
    "TEXT", "LF", "FF", "HT", "ESC d", "ESC J", "ESC *", "GS v 0", "GS ( L", "GS 8 L", "GS k",
    "GS ( k", "GS V", "ESC i", "ESC m",
})
# Commands whose data a real-time sequence could hide in (see realtime_in_data).
_DATA_COMMANDS = frozenset({"ESC *", "GS v 0", "GS ( L", "GS 8 L", "GS ( k", "GS k"})
_REALTIME_IN_DATA = re.compile(rb"\x10\x04[\x01-\x04]")


def now_iso() -> str:
    """Return the current time as an ISO 8601 string with timezone."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Reply:
    offset: int
    command: str
    sent: bytes

    def as_dict(self) -> dict[str, object]:
        return {"offset": self.offset, "command": self.command, "reply": self.sent.hex(" ")}


@dataclass
class SessionResult:
    """What a finished connection delivered, before it is rendered and stored."""

    started: str
    ended: str
    raw: bytes
    page: Page
    reason: str | None
    problems: list[Problem]
    replies: list[Reply]
    ignored: dict[str, int]
    warnings: list[str] = field(default_factory=list)


class Session:
    """The printer's side of one TCP connection."""

    def __init__(self, state: PrinterState, modes: Modes, dot_width: int, *,
                 realtime_in_data: bool = False) -> None:
        self.state = state
        self.parser = EscPosParser()
        self.interpreter = Interpreter(modes, dot_width)
        self.page = Page(dot_width)
        self.realtime_in_data = realtime_in_data
        self.started = now_iso()
        self.raw = bytearray()
        self.replies: list[Reply] = []
        self.reason: str | None = None  # why printing stopped, once it has
        self.printable = False

    @property
    def modes(self) -> Modes:
        return self.interpreter.modes

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the wire; return the bytes to send back now."""
        self.raw += data
        out = bytearray()
        for cmd in self.parser.feed(data):
            out += self._answer(cmd.name, cmd.args, cmd.offset)
            if cmd.name in REALTIME:
                continue
            self._print(cmd.name in PRINTING, self._interpret(cmd))
            if self.realtime_in_data and cmd.name in _DATA_COMMANDS:
                for match in _REALTIME_IN_DATA.finditer(cmd.raw):
                    out += self._answer("DLE EOT", match.group()[2:], cmd.offset + match.start())
        return bytes(out)

    def _answer(self, name: str, args: bytes, offset: int) -> bytes:
        if name not in REALTIME or self.state.offline:
            return b""
        sent = status.reply(name, args, self.state.condition())
        if sent is None:
            return b""
        self.replies.append(Reply(offset, name, sent))
        return sent

    def _interpret(self, cmd: Command) -> list[Block]:
        if self.reason is not None:
            return []  # stopped: the rest of the job is discarded
        return self.interpreter.apply(cmd)

    def _print(self, printing: bool, blocks: list[Block]) -> None:
        if printing:
            self.printable = True
            if self.reason is None:
                self.reason = self.state.blocker()
        for block in blocks:
            if self.reason is not None:
                return
            self.reason = self.state.take_lines(block.lines)
            if self.reason is None:
                self.page.blocks.append(block)

    def finish(self, end_reason: str | None = None) -> SessionResult | None:
        """Close the session; return what it printed, or None if it was not a print job."""
        if not self.printable:
            return None
        reason = self.reason or self._truncation() or end_reason
        return SessionResult(self.started, now_iso(), bytes(self.raw), self.page, reason,
                             list(self.interpreter.problems), list(self.replies),
                             dict(self.interpreter.ignored), self._warnings())

    def _truncation(self) -> str | None:
        pending = self.parser.pending
        if not pending:
            return None
        return (f"connection closed inside a command at offset {self.parser.pending_offset} "
                f"({len(pending)} bytes received: {pending[:8].hex(' ')} ...)")

    def _warnings(self) -> list[str]:
        warnings = []
        leftover = self.interpreter.leftover_chars()
        if leftover and self.reason is None:
            warnings.append(f"{leftover} bytes left in the line buffer without LF: not printed")
        if self.interpreter.single_byte_high:
            warnings.append(
                f"{self.interpreter.single_byte_high} bytes >= 0x80 printed as code-page "
                "characters while Chinese mode was off (send FS & before GB18030 text)")
        return warnings
