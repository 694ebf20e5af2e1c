"""The receipt printer: profiles as data, a document model, layout, ESC/POS rendering through
python-escpos, transports by URL, real-time status, and the driver the station depends on.

    profile = get_profile("58mm")
    printer: ReceiptPrinter = EscposPrinter("tcp://192.168.1.50:9100", profile)
    printer.status()                        # ComponentStatus, about 1 s at most
    printer.print_document(Document.of(Title("居住证明"), KeyValue("姓名", "张三"), Cut()))
"""

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
from .driver import EscposPrinter, PrintResult, ReceiptPrinter
from .profiles import PrinterProfile, get_profile, load_profiles, profile_names
from .render import render, render_bytes
from .status import PrinterStatus

__all__ = [
    "Barcode",
    "Block",
    "Cut",
    "Document",
    "DocumentError",
    "EscposPrinter",
    "Feed",
    "KeyValue",
    "PrintResult",
    "PrinterProfile",
    "PrinterStatus",
    "Qr",
    "ReceiptPrinter",
    "Separator",
    "Text",
    "Title",
    "get_profile",
    "load_profiles",
    "profile_names",
    "render",
    "render_bytes",
]
