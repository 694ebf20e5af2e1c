"""Regenerate the golden code images and their exact payloads (expected.json).

Run from the repository root: ``.venv/bin/python tests/unit/devices/scanner/golden/make_golden.py``.
The images are checked in, so a change in qrcode or python-barcode cannot silently change what
the decoder tests read; run this only to add a case, and look at the diff.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from PIL import Image

from devices.scanner.events import BASE45_ALPHABET
from devices.sim.camera import code128_symbol, qr_symbol

HERE = Path(__file__).resolve().parent


def base45_token(length: int, seed: int) -> str:
    """Return a ``ZM1:`` token of ``length`` characters drawn from the base45 alphabet."""
    rng = random.Random(seed)
    return "ZM1:" + "".join(rng.choice(BASE45_ALPHABET) for _ in range(length - 4))


# name -> (symbology, payload, how to draw it)
CASES: dict[str, tuple[str, bytes, dict[str, object]]] = {
    "qr_ascii": ("QR_CODE", b"ZM-TICKET-2026-000123", {}),
    # zbar without binary mode reads this as Shift-JIS mojibake (中国 -> 荳ｭ蝗ｽ).
    "qr_utf8_chinese": ("QR_CODE", "中国北京市朝阳区幸福街道".encode(), {}),
    "qr_base45_q": ("QR_CODE", base45_token(516, seed=45).encode("ascii"), {"ec": "Q"}),
    "qr_binary": ("QR_CODE", b"\x00\x01\xfe\xff" + "社区".encode("gb18030"), {}),
    "code128": ("CODE_128", b"ZM-2026-000123", {}),
}


def draw(symbology: str, payload: bytes, options: dict[str, object]) -> Image.Image:
    """Return the image of one case."""
    if symbology == "CODE_128":
        return code128_symbol(payload.decode("ascii"))
    data: str | bytes = payload.decode("ascii") if payload.isascii() else payload
    return qr_symbol(data, ec=str(options.get("ec", "M")), module_px=3)


def main() -> None:
    expected = {}
    for name, (symbology, payload, options) in CASES.items():
        draw(symbology, payload, options).save(HERE / f"{name}.png", optimize=True)
        text = payload.decode("utf-8") if _utf8(payload) else None
        expected[f"{name}.png"] = {"symbology": symbology, "data_hex": payload.hex(), "text": text}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


if __name__ == "__main__":
    main()
