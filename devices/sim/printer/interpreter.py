"""Apply framed ESC/POS commands to the printer's modes and line buffer, producing printed blocks.

The interpreter knows what a command means; it does not know whether there is paper (the session
decides whether a block is printed) and it does not answer status queries (see ``status``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .codepages import CHINESE, DEFAULT_CODE_PAGE, code_page
from .graphic_commands import GRAPHIC_HANDLERS
from .layout import Area, LineBuffer, TabPiece, layout
from .modes import Modes
from .page import (
    DEFAULT_LINE_SPACING,
    FONT_CELLS,
    Block,
    Cut,
    Feed,
    graphic_lines,
)
from .parser import TEXT, UNKNOWN, Command

REALTIME = frozenset({"DLE EOT", "DLE ENQ", "DLE DC4", "GS r", "GS I"})
# Accepted and harmless, but not simulated: counted in the job record, not reported as unknown.
IGNORED = frozenset({
    "NUL", "CAN", "BEL", "CR", "ESC p", "ESC SP", "ESC $", "ESC \\", "ESC =", "ESC ?", "ESC %",
    "ESC R", "ESC r", "ESC U", "ESC V", "ESC T", "ESC L", "ESC S", "ESC W", "ESC c", "ESC B",
    "ESC &", "ESC <", "GS P", "GS a", "GS b", "GS |", "GS T", "GS E", "GS $", "GS \\", "GS ^",
    "GS :", "GS *", "GS /", "FS C", "FS S", "FS 2", "FS p",
})
HRI_POSITIONS = {0: "", 1: "above", 2: "below", 3: "both"}


@dataclass(frozen=True)
class Problem:
    """A command the simulated printer did not understand or would not print."""

    offset: int
    raw: bytes
    note: str

    def as_dict(self) -> dict[str, object]:
        return {"offset": self.offset, "length": len(self.raw), "bytes": self.raw[:32].hex(" "),
                "note": self.note}


Handler = Callable[["Interpreter", Command], list[Block]]


class Interpreter:
    """The printing half of a printer: modes, line buffer, and the blocks they print."""

    def __init__(self, modes: Modes, dot_width: int) -> None:
        self.modes = modes
        self.dot_width = dot_width
        self.line = LineBuffer()
        self.problems: list[Problem] = []
        self.ignored: Counter[str] = Counter()
        self.single_byte_high = 0  # bytes >= 0x80 printed while Chinese mode was off

    def apply(self, cmd: Command) -> list[Block]:
        """Apply one command and return the blocks it printed."""
        handler = HANDLERS.get(cmd.name)
        if handler is not None:
            return handler(self, cmd)
        if cmd.name in IGNORED:
            self.ignored[cmd.name] += 1
        elif cmd.name == UNKNOWN:
            self.report(cmd, "unknown command")
        elif cmd.name not in REALTIME:
            self.report(cmd, f"{cmd.name} is not simulated")
        return []

    def report(self, cmd: Command, note: str) -> None:
        """Record a problem with a command."""
        self.problems.append(Problem(cmd.offset, cmd.raw, note))

    def leftover_chars(self) -> int:
        """Return how many bytes wait in the line buffer (never printed without LF)."""
        return sum(len(getattr(piece, "data", b"")) for piece in self.line.pieces)

    # -- helpers -------------------------------------------------------------------------------

    def area(self, align: int | None = None) -> Area:
        """Return the printable area as GS L / GS W set it."""
        x = min(self.modes.left_margin, self.dot_width - 1)
        width = min(self.modes.area_width or self.dot_width, self.dot_width - x)
        return Area(x, width, self.modes.align if align is None else align,
                    self.modes.line_spacing)

    def flush(self) -> list[Block]:
        """Print the line buffer (if anything is in it) as one or more lines."""
        if self.line.empty:
            return []
        pieces, align = self.line.take()
        return list(layout(pieces, self.area(align)))

    def aligned_x(self, width: int) -> int:
        """Return where a graphic of this width starts under the current alignment."""
        area = self.area()
        shift = {1: (area.width - width) // 2, 2: area.width - width}.get(area.align, 0)
        return area.x + max(0, shift)

    def at_line_start(self, cmd: Command) -> bool:
        """Report and return False when a graphic command arrives with text in the buffer."""
        if self.line.empty:
            return True
        self.report(cmd, f"{cmd.name} ignored: the print buffer is not empty (send LF first)")
        return False

    def fits(self, cmd: Command, width: int, what: str) -> bool:
        """Report and return False when a graphic is wider than the printable area."""
        room = self.area().width
        if width <= room:
            return True
        self.report(cmd, f"{what} is {width} dots wide, the printable area {room}: not printed")
        return False


# -- text and paper movement ---------------------------------------------------------------------

def _text(self: Interpreter, cmd: Command) -> list[Block]:
    m = self.modes
    codec = CHINESE if m.chinese else (code_page(m.code_page) or DEFAULT_CODE_PAGE)
    if not m.chinese:
        self.single_byte_high += sum(1 for b in cmd.raw if b >= 0x80)
    self.line.add_text(cmd.raw, m.ascii_style(), m.cjk_style(), codec, m.align)
    return []


def _lf(self: Interpreter, cmd: Command) -> list[Block]:
    return self.flush() or [Feed(self.modes.line_spacing, 1)]


def _ff(self: Interpreter, cmd: Command) -> list[Block]:
    return self.flush()


def _ht(self: Interpreter, cmd: Command) -> list[Block]:
    cell = FONT_CELLS[self.modes.font][0] * self.modes.ascii_width
    self.line.add(TabPiece(tuple(c * cell for c in self.modes.tab_columns)), self.modes.align)
    return []


def _feed_lines(self: Interpreter, cmd: Command) -> list[Block]:  # ESC d n
    n = cmd.args[0]
    printed = self.flush()
    blank = n - 1 if printed else n
    spacing = self.modes.line_spacing
    return printed + ([Feed(spacing * blank, blank)] if blank > 0 else [])


def _feed_dots(self: Interpreter, cmd: Command) -> list[Block]:  # ESC J n
    n = cmd.args[0]
    printed = self.flush()
    if printed or n == 0:
        return printed
    return [Feed(n, graphic_lines(n))]


def _init(self: Interpreter, cmd: Command) -> list[Block]:  # ESC @
    if not self.line.empty:
        self.report(cmd, f"ESC @ discarded {self.leftover_chars()} unprinted bytes (no LF)")
        self.line.take()
    self.modes.reset()
    return []


def _set(apply: Callable[[Modes, int], None]) -> Handler:
    """Return a handler that applies the command's first parameter byte to the modes."""

    def handler(self: Interpreter, cmd: Command) -> list[Block]:
        apply(self.modes, cmd.args[0])
        return []

    return handler


def _print_mode(m: Modes, n: int) -> None:  # ESC ! n
    m.font, m.bold, m.underline = n & 1, bool(n & 0x08), 1 if n & 0x80 else 0
    m.ascii_height, m.ascii_width = (2 if n & 0x10 else 1), (2 if n & 0x20 else 1)


def _char_size(m: Modes, n: int) -> None:  # GS ! n
    m.ascii_width = m.cjk_width = ((n >> 4) & 7) + 1
    m.ascii_height = m.cjk_height = (n & 7) + 1


def _cjk_mode(m: Modes, n: int) -> None:  # FS ! n
    m.cjk_width, m.cjk_height = (2 if n & 0x04 else 1), (2 if n & 0x08 else 1)
    m.cjk_underline = 1 if n & 0x80 else 0


def _code_page(self: Interpreter, cmd: Command) -> list[Block]:  # ESC t n
    self.modes.code_page = cmd.args[0]
    if code_page(cmd.args[0]) is None:
        self.report(cmd, f"code page {cmd.args[0]} is not in the simulated printer; using CP437")
    return []


def _tabs(self: Interpreter, cmd: Command) -> list[Block]:  # ESC D n1 ... NUL
    self.modes.tab_columns = tuple(b for b in cmd.args if b)
    return []


def _margin(attr: str) -> Handler:
    def handler(self: Interpreter, cmd: Command) -> list[Block]:
        setattr(self.modes, attr, cmd.args[0] + cmd.args[1] * 256)
        return []

    return handler


def _cut(self: Interpreter, cmd: Command) -> list[Block]:  # GS V m [n], ESC i, ESC m
    m = cmd.args[0] if cmd.name == "GS V" else (ord("i") if cmd.name == "ESC i" else 1)
    blocks = self.flush()
    if m in (65, 66) and cmd.args[1]:
        blocks.append(Feed(cmd.args[1], 0))
    return [*blocks, Cut(partial=m in (1, 49, 66, 98, 104))]


HANDLERS: dict[str, Handler] = {
    TEXT: _text, "LF": _lf, "FF": _ff, "HT": _ht, "ESC d": _feed_lines, "ESC J": _feed_dots,
    "ESC @": _init, "ESC t": _code_page, "ESC D": _tabs, "GS V": _cut, "ESC i": _cut,
    "ESC m": _cut, "GS L": _margin("left_margin"), "GS W": _margin("area_width"),
    "ESC !": _set(_print_mode),
    "ESC E": _set(lambda m, n: setattr(m, "bold", bool(n & 1))),
    "ESC G": _set(lambda m, n: setattr(m, "bold", bool(n & 1))),
    "ESC -": _set(lambda m, n: setattr(m, "underline", n & 3 if n & 3 != 3 else 0)),
    "ESC a": _set(lambda m, n: setattr(m, "align", n & 3 if n & 3 != 3 else 0)),
    "ESC M": _set(lambda m, n: setattr(m, "font", n & 1)),
    "ESC 2": lambda self, cmd: _spacing(self, DEFAULT_LINE_SPACING),
    "ESC 3": lambda self, cmd: _spacing(self, cmd.args[0]),
    "ESC A": lambda self, cmd: _spacing(self, cmd.args[0] * 203 // 60),
    "ESC +": lambda self, cmd: _spacing(self, cmd.args[0] * 203 // 360),
    "ESC {": _set(lambda m, n: setattr(m, "upside_down", bool(n & 1))),
    "GS !": _set(_char_size),
    "GS B": _set(lambda m, n: setattr(m, "invert", bool(n & 1))),
    "GS h": _set(lambda m, n: setattr(m, "barcode_height", n or m.barcode_height)),
    "GS w": _set(lambda m, n: setattr(m, "barcode_module", n if 1 <= n <= 6 else 3)),
    "GS H": _set(lambda m, n: setattr(m, "hri", HRI_POSITIONS[n & 3])),
    "GS f": _set(lambda m, n: setattr(m, "hri_font", n & 1)),
    "FS &": lambda self, cmd: _chinese(self, True),
    "FS .": lambda self, cmd: _chinese(self, False),
    "FS !": _set(_cjk_mode),
    "FS -": _set(lambda m, n: setattr(m, "cjk_underline", n & 3 if n & 3 != 3 else 0)),
    "FS W": _set(lambda m, n: _cjk_mode(m, 0x0C if n & 1 else 0)),
}


def _spacing(self: Interpreter, dots: int) -> list[Block]:
    self.modes.line_spacing = dots
    return []


def _chinese(self: Interpreter, on: bool) -> list[Block]:
    self.modes.chinese = on
    return []


HANDLERS.update(GRAPHIC_HANDLERS)
