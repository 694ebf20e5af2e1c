"""Graphics and symbol commands: bit images, raster images, QR codes, PDF417..., barcodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Protocol

from PIL import Image

from . import graphics
from .layout import Area, BitmapPiece, LineBuffer
from .modes import QR_LEVELS, Modes
from .page import Barcode, Block, Placeholder, QrSymbol, Raster
from .parser import Command
from .symbols import BARCODE_SYSTEMS, DrawnBarcode, SymbolError, draw_barcode, qr_matrix


class PrintingContext(Protocol):
    """What a graphic command needs of the interpreter (``interpreter.Interpreter`` is one): its
    modes and line buffer, the printable area, and where to report a command it cannot print."""

    modes: Modes
    line: LineBuffer
    ignored: Counter[str]

    def report(self, cmd: Command, note: str) -> None: ...
    def area(self, align: int | None = None) -> Area: ...
    def aligned_x(self, width: int) -> int: ...
    def at_line_start(self, cmd: Command) -> bool: ...
    def fits(self, cmd: Command, width: int, what: str) -> bool: ...

Handler = Callable[[PrintingContext, Command], list[Block]]
SYMBOL_NAMES = {48: "PDF417", 50: "MaxiCode", 51: "GS1 DataBar", 52: "Composite", 53: "Aztec",
                54: "DataMatrix"}


def _bit_image(self: PrintingContext, cmd: Command) -> list[Block]:  # ESC * m nL nH d...
    m, columns = cmd.args[0], cmd.args[1] + cmd.args[2] * 256
    if columns:
        self.line.add(BitmapPiece(graphics.column_image(m, columns, cmd.args[3:])),
                      self.modes.align)
    return []


def _raster(self: PrintingContext, cmd: Command) -> list[Block]:  # GS v 0 m xL xH yL yH d...
    args = cmd.args
    if not self.at_line_start(cmd):
        return []
    width_bytes, height = args[1] + args[2] * 256, args[3] + args[4] * 256
    if not width_bytes or not height:
        return []
    sx, sy = graphics.raster_scale(args[0])
    image = graphics.raster_image(width_bytes, height, args[5:], sx, sy)
    return _place_raster(self, cmd, image)


def _place_raster(self: PrintingContext, cmd: Command, image: Image.Image) -> list[Block]:
    room = self.area().width
    if image.width > room:  # the part beyond the printable area is not printed
        image = image.crop((0, 0, room, image.height))
    return [Raster(self.aligned_x(image.width), image, cmd.name)]


def _graphics(self: PrintingContext, cmd: Command) -> list[Block]:  # GS ( L, GS 8 L
    body = cmd.args[2:] if cmd.name == "GS ( L" else cmd.args[4:]
    if len(body) < 2 or body[0] != 48:
        self.report(cmd, f"{cmd.name} function not simulated")
        return []
    fn = body[1]
    if fn == 112:  # store graphics data in the print buffer
        self.modes.graphics["raster"] = bytes(body[2:])
        return []
    if fn == 50:  # print the stored graphics
        if not self.at_line_start(cmd):
            return []
        stored = self.modes.graphics.pop("raster", None)
        if stored is None:
            self.report(cmd, "graphics print with no stored graphics")
            return []
        return _place_raster(self, cmd, graphics.graphics_image(stored))
    self.ignored[f"{cmd.name} fn {fn}"] += 1
    return []


def _symbol(self: PrintingContext, cmd: Command) -> list[Block]:  # GS ( k pL pH cn fn ...
    args = cmd.args
    if len(args) < 4:
        self.report(cmd, "GS ( k too short")
        return []
    cn, fn, rest = args[2], args[3], bytes(args[4:])
    if cn == 49:
        return _qr(self, cmd, fn, rest)
    name = SYMBOL_NAMES.get(cn, f"2-D symbol cn={cn}")
    if fn == 80:
        self.modes.graphics[name] = rest[1:]
    elif fn == 81:
        data = self.modes.graphics.get(name, b"")
        self.report(cmd, f"{name} is not drawn by the simulator (data {data[:40]!r})")
        return [Placeholder(f"[{name} not drawn]")]
    else:
        self.ignored[f"GS ( k {name} fn {fn}"] += 1
    return []


def _qr(self: PrintingContext, cmd: Command, fn: int, rest: bytes) -> list[Block]:
    m = self.modes
    if fn == 65 and rest:
        m.qr_model = {49: 1, 50: 2, 51: 3}.get(rest[0], m.qr_model)
    elif fn == 67 and rest:
        m.qr_module = rest[0] if 1 <= rest[0] <= 16 else m.qr_module
    elif fn == 69 and rest:
        m.qr_ec = QR_LEVELS.get(rest[0], m.qr_ec)
    elif fn == 80:
        m.qr_data = rest[1:]
    elif fn == 81:
        return _print_qr(self, cmd)
    else:
        self.report(cmd, f"QR function {fn} is not simulated")
    return []


def _print_qr(self: PrintingContext, cmd: Command) -> list[Block]:
    m = self.modes
    if not self.at_line_start(cmd):
        return []
    if not m.qr_data:
        self.report(cmd, "QR print with no stored data: nothing printed")
        return []
    if m.qr_model == 3:
        self.report(cmd, "Micro QR is not drawn by the simulator")
        return [Placeholder("[Micro QR not drawn]")]
    if m.qr_model == 1:
        self.report(cmd, "QR model 1 drawn as model 2")
    try:
        matrix = qr_matrix(m.qr_data, m.qr_ec)
    except SymbolError as err:
        self.report(cmd, f"{err}: not printed")
        return []
    width = len(matrix) * m.qr_module
    if not self.fits(cmd, width, "QR code"):
        return []
    return [QrSymbol(self.aligned_x(width), m.qr_data, m.qr_module, m.qr_ec, m.qr_model, matrix)]


def _barcode(self: PrintingContext, cmd: Command) -> list[Block]:  # GS k m ...
    args, m = cmd.args, cmd.args[0]
    if not self.at_line_start(cmd):
        return []
    if m <= 6:
        if not args.endswith(b"\x00"):
            self.report(cmd, "barcode data without its NUL terminator: not printed")
            return []
        data = bytes(args[1:-1])
    else:
        data = bytes(args[2:2 + args[1]])
    system = BARCODE_SYSTEMS[m]
    try:
        drawn = draw_barcode(system, data)
    except SymbolError as err:
        self.report(cmd, f"{err}: not printed")
        return []
    return _place_barcode(self, cmd, system, data, drawn)


def _place_barcode(self: PrintingContext, cmd: Command, system: str, data: bytes,
                   drawn: DrawnBarcode) -> list[Block]:
    m = self.modes
    if drawn.problem:
        self.report(cmd, drawn.problem)
    width = len(drawn.modules) * m.barcode_module or 160
    if not self.fits(cmd, width, f"{system} barcode"):
        return []
    return [Barcode(self.aligned_x(width), system, data, drawn.content, drawn.modules,
                    m.barcode_module, m.barcode_height, m.hri, m.hri_font, drawn.problem)]


GRAPHIC_HANDLERS: dict[str, Handler] = {
    "ESC *": _bit_image, "GS v 0": _raster, "GS ( L": _graphics, "GS 8 L": _graphics,
    "GS ( k": _symbol, "GS k": _barcode,
}
