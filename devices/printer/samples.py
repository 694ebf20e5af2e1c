"""A sample certificate receipt with made-up data: for the technician's test print, the golden
files and byte-count measurements. It exercises everything a real certificate uses: a Chinese
title, key–value rows with full-width punctuation, a long wrapped value, a ~500-character base45
QR payload at level Q, a barcode and a cut.
"""

from __future__ import annotations

import hashlib

from .document import Barcode, Cut, Document, Feed, KeyValue, Qr, Separator, Text, Title

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45(data: bytes) -> str:
    """Encode bytes as base45 (RFC 9285)."""
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [BASE45[n % 45], BASE45[n // 45 % 45], BASE45[n // 2025]]
    if len(data) % 2:
        out += [BASE45[data[-1] % 45], BASE45[data[-1] // 45]]
    return "".join(out)


def sample_payload(size: int = 336) -> str:
    """Return a deterministic token shaped like a signed certificate QR (~1.5 × size chars)."""
    blocks = b"".join(hashlib.sha256(b"sample-%d" % i).digest() for i in range(size // 32 + 1))
    return "SQ1:" + base45(blocks[:size])


def sample_certificate() -> Document:
    """Return the sample residence certificate (居住证明) receipt."""
    return Document.of(
        Title("居住证明"),
        Text("Certificate of Residence", align="center"),
        Separator("="),
        KeyValue("证明编号", "JZ2026000123"),
        KeyValue("姓名", "张三"),
        KeyValue("身份证号", "4601*************2"),
        KeyValue("住址", "北京市东城区东华门街道多福巷社区（3号楼2单元401室）"),
        KeyValue("居住期限：", "2019年3月至今"),
        Text("兹证明：张三，自2019年3月起在本社区居住至今，情况属实。（特此证明）"),
        KeyValue("开具单位", "多福巷社区居民委员会"),
        KeyValue("开具时间", "2026-05-12 09:30"),
        Separator(),
        Qr(sample_payload(), ec="Q"),
        Text("扫码验证真伪 Scan to verify", align="center"),
        Barcode("JZ2026000123"),
        Text("有效期：30天（至2026-06-11）", align="center"),
        Feed(1),
        Cut(),
    )
