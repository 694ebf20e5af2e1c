"""Render a receipt document to ESC/POS through python-escpos calls on any printer object.

The same code drives ``escpos.printer.Dummy`` (golden bytes, and the driver's in-memory job) and
the real transports. What python-escpos cannot do is done here:

* Chinese: python-escpos has no Chinese code page, and prints full-width punctuation (，：（）)
  as ``?``. Every non-ASCII run goes out as GB18030 (or GBK) bytes via ``_raw``, wrapped in
  FS & (Chinese mode on) … FS . (off) when the profile needs it; ASCII goes through ``text()``.
* Size: ``set(double_width=…)`` may not enlarge Chinese; ``set(custom_size=True, width=2,
  height=2)`` (GS !) does.
* QR: native ``GS ( k`` when the profile has it, with alignment set first (``center=True``
  raises NotImplementedError for native codes) and the error-correction level always given
  (python-escpos's default is L); otherwise a raster image. The module size follows from the
  QR version so the code fits the paper (see ``symbols``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .document import (
    Barcode,
    Block,
    Cut,
    Document,
    DocumentError,
    Feed,
    KeyValue,
    Qr,
    Separator,
    Text,
    Title,
)
from .layout import key_value_lines, wrap
from .profiles import PrinterProfile
from .symbols import barcode_module_dots, qr_size

FS_AND = b"\x1c&"  # select Chinese character mode
FS_DOT = b"\x1c."  # cancel Chinese character mode
TEAR_FEED_LINES = 6  # python-escpos's cut() feeds as much before cutting
_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
_QR_EC = {"L": 0, "M": 1, "Q": 2, "H": 3}  # escpos.constants.QR_ECLEVEL_*


def escpos_profile(profile: PrinterProfile) -> Any:
    """Return a python-escpos capabilities profile equivalent to ours."""
    from escpos.capabilities import Profile

    escpos = Profile(columns=profile.columns, features=_features(profile))
    # An instance attribute: python-escpos's classes share one profile_data per class.
    escpos.profile_data = {
        "name": f"kiosk-{profile.name}",
        "vendor": "Generic",
        "notes": profile.description,
        "codePages": {str(profile.code_page_number): profile.code_page.upper()},
        "colors": {"0": "black"},
        "fonts": {"0": {"name": "Font A", "columns": profile.columns}},
        "media": {"dpi": profile.dpi,
                  "width": {"mm": profile.paper_width_mm, "pixels": profile.dot_width}},
        "features": escpos.features,
    }
    return escpos


def _features(profile: PrinterProfile) -> dict[str, bool]:
    return {
        "barcodeA": True, "barcodeB": True, "bitImageRaster": True, "bitImageColumn": True,
        "graphics": False, "highDensity": True, "pdf417Code": False, "pulseBel": False,
        "pulseStandard": False, "starCommands": False, "qrCode": profile.native_qr,
        "paperFullCut": profile.cutter == "full",
        "paperPartCut": profile.cutter in ("full", "partial"),
    }


def render(doc: Document, profile: PrinterProfile, printer: Any) -> None:
    """Send the document to a python-escpos printer object built with ``escpos_profile``."""
    _Renderer(printer, profile).document(doc)


def render_bytes(doc: Document, profile: PrinterProfile) -> bytes:
    """Return the ESC/POS job for a document, rendered through ``escpos.printer.Dummy``."""
    from escpos.printer import Dummy

    printer = Dummy(profile=escpos_profile(profile))
    render(doc, profile, printer)
    return bytes(printer.output)


@dataclass
class _Pen:
    """The text style the printer is in, so only changes are sent (ESC @ starts at these)."""

    align: str = "left"
    bold: bool = False
    size: int = 1


class _Renderer:
    def __init__(self, printer: Any, profile: PrinterProfile) -> None:
        self.printer = printer
        self.profile = profile
        self.pen = _Pen()

    def document(self, doc: Document) -> None:
        self.printer.hw("INIT")  # ESC @
        # ESC @ reset the printer's code page, so python-escpos's memory of it is stale.
        self.printer.magic.encoding = None
        self.printer.charcode(self.profile.code_page.upper())
        for block in doc.blocks:
            self.block(block)

    def block(self, block: Block) -> None:
        handlers = {Title: self.title, Text: self.text, KeyValue: self.key_value,
                    Separator: self.separator, Qr: self.qr, Barcode: self.barcode,
                    Feed: self.feed, Cut: self.cut}
        handlers[type(block)](block)  # type: ignore[operator]

    def style(self, *, align: str = "left", bold: bool = False, size: int = 1) -> None:
        changes: dict[str, Any] = {}
        if align != self.pen.align:
            changes["align"] = align
        if bold != self.pen.bold:
            changes["bold"] = bold
        if size != self.pen.size:
            changes.update(custom_size=True, width=size, height=size)
        if changes:
            self.printer.set(**changes)
        self.pen = _Pen(align, bold, size)

    def line(self, line: str) -> None:
        """Print one laid-out line: ASCII as text, everything else as Chinese double bytes."""
        for run in _RUNS.findall(line):
            if run.isascii():
                self.printer.text(run)
            else:
                self.printer._raw(self.chinese(run))
        self.printer.text("\n")

    def chinese(self, run: str) -> bytes:
        data = run.encode(self.profile.cjk_encoding, errors="replace")
        return FS_AND + data + FS_DOT if self.profile.needs_fs_and else data

    def paragraph(self, text: str, *, align: str, bold: bool, size: int) -> None:
        self.style(align=align, bold=bold, size=size)
        for line in wrap(text, self.profile.columns // size):
            self.line(line)

    def title(self, block: Title) -> None:
        self.paragraph(block.text, align="center", bold=True, size=2)

    def text(self, block: Text) -> None:
        self.paragraph(block.text, align=block.align, bold=block.bold, size=block.size)

    def key_value(self, block: KeyValue) -> None:
        self.style()
        for line in key_value_lines(block.key, block.value, self.profile.columns):
            self.line(line)

    def separator(self, block: Separator) -> None:
        self.style()
        self.line(block.char * self.profile.columns)

    def qr(self, block: Qr) -> None:
        native = self.profile.native_qr
        size = qr_size(block, self.profile, border_modules=0 if native else 1)
        if native:
            self.style(align="center")
            self.printer.qr(block.data, ec=_QR_EC[block.ec], size=size.module_dots, native=True)
            self.printer.text("\n")
        else:
            self.style()  # python-escpos centres the image itself by padding it
            self.printer.qr(block.data, ec=_QR_EC[block.ec], size=size.module_dots,
                            native=False, image_arguments={"impl": "bitImageRaster",
                                                           "center": True})

    def barcode(self, block: Barcode) -> None:
        from escpos.exceptions import Error as EscposError

        dots = barcode_module_dots(block, self.profile)
        code = block.data
        if block.symbology == "CODE128":
            code = "{B" + code.replace("{", "{{")  # code set B; "{{" is a literal brace
        self.style(align="center")
        try:
            # barcode() would print "Using hardware barcode renderer" to stdout on every call;
            # _hw_barcode is what it calls once it has chosen the printer's own renderer.
            self.printer._hw_barcode(code, block.symbology, height=block.height_dots, width=dots,
                                     pos="BELOW" if block.show_text else "OFF", font="A",
                                     align_ct=False, function_type="B", check=True)
        except EscposError as err:
            raise DocumentError(f"{block.symbology} barcode {block.data!r}: {err}") from err
        self.printer.text("\n")

    def feed(self, block: Feed) -> None:
        self.style(align=self.pen.align)
        self.printer.ln(block.lines)

    def cut(self, block: Cut) -> None:
        if self.profile.cutter == "none":
            self.printer.print_and_feed(TEAR_FEED_LINES)
        else:
            self.printer.cut(mode="PART" if block.mode == "partial" else "FULL")
