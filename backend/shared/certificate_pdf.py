"""An A4 PDF copy of a certificate, with the same QR as the printed receipt.

Rendered from plain data (``CertificatePage``) so the station (for its own copy) and the platform
(for the resident's phone download) produce the same document. The QR is drawn as vector modules
from the ``qrcode`` library's matrix at error-correction level Q, so it scans exactly like the
receipt's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

import assets

FONT = "KioskCJK"
MARGIN = 22 * mm
VERIFY_HINT = "扫描二维码核验真伪 · Scan the QR code to verify this certificate"


@dataclass(frozen=True)
class CertificatePage:
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    token: str
    identifier: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value), shown as a table
    issuer: str = ""
    note: str = ""  # e.g. "副本 COPY"


@cache
def _register_font() -> str:
    path, index = assets.cjk_font()
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=index))
    return FONT


def render_pdf(page: CertificatePage) -> bytes:
    """Return the PDF bytes of one certificate on one A4 page."""
    font = _register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)  # invariant: same input, same bytes
    canvas.setTitle(f"{page.title_zh} {page.identifier}")
    width, height = A4
    y = height - MARGIN
    canvas.setFont(font, 26)
    canvas.drawCentredString(width / 2, y - 10 * mm, page.title_zh)
    canvas.setFont(font, 13)
    canvas.drawCentredString(width / 2, y - 18 * mm, page.title_en)
    if page.note:
        canvas.setFont(font, 11)
        canvas.drawRightString(width - MARGIN, y, page.note)
    y -= 32 * mm
    y = _paragraph(canvas, page.text_zh, y, font, 14, width)
    y = _paragraph(canvas, page.text_en, y - 4 * mm, font, 11, width)
    y = _facts(canvas, page.facts, y - 8 * mm, font)
    _qr(canvas, page.token, width - MARGIN - 45 * mm, MARGIN + 18 * mm, 45 * mm)
    canvas.setFont(font, 10)
    canvas.drawString(MARGIN, MARGIN + 8 * mm, VERIFY_HINT)
    canvas.drawString(MARGIN, MARGIN, page.identifier)
    if page.issuer:
        canvas.setFont(font, 14)
        canvas.drawString(MARGIN, MARGIN + 40 * mm, f"出具单位：{page.issuer}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _paragraph(canvas: Canvas, text: str, y: float, font: str, size: float, width: float) -> float:
    """Draw wrapped text; return the y below it. CJK wraps anywhere, latin at spaces."""
    canvas.setFont(font, size)
    usable = width - 2 * MARGIN
    for line in _wrap(text, font, size, usable):
        canvas.drawString(MARGIN, y, line)
        y -= size * 1.6
    return y


def _wrap(text: str, font: str, size: float, usable: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = current + token
        if current and pdfmetrics.stringWidth(candidate, font, size) > usable:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isascii() and not char.isspace():
            word += char
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(char)
    if word:
        tokens.append(word)
    return tokens


def _facts(canvas: Canvas, facts: list[tuple[str, str]], y: float, font: str) -> float:
    canvas.setFont(font, 12)
    for label, value in facts:
        canvas.drawString(MARGIN, y, label)
        canvas.drawString(MARGIN + 45 * mm, y, value)
        y -= 8 * mm
    return y


def _qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    module = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                canvas.rect(x + col_index * module, y + size - (row_index + 1) * module, module, module,
                            stroke=0, fill=1)
