"""Generate the decoder benchmark's image set: 640×480 camera-like frames with known payloads.

    python tests/bench/decoder_frames.py OUT_DIR [--per-category N] [--seed S]

writes ``OUT_DIR/<category>-NNN.png`` and ``OUT_DIR/manifest.json`` (file, category,
symbology, payload hex). ``bench_decoders.py`` builds the same set in memory.

Categories: clean QR slips; blurred (Gaussian radius 1.0–2.2); rotated (5–175°); small-module
(2 px per module, ~120-byte payloads); Chinese UTF-8 in byte mode; ~516-character base45
tokens at error correction Q (the size of a signed residence certificate, FIELD-NOTES);
CODE128 slip numbers. Every frame has sensor grain (``--noise``, default ±8 grey levels); zbar
is markedly slower on grainy frames than on clean renderings, so the grain matters.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from devices.scanner.events import BASE45_ALPHABET
from devices.sim.camera import code128_symbol, compose_frame, qr_symbol

# Common characters of certificates and addresses, so payloads read like the real ones.
COMMON_HANZI = ("居住证明申请人姓名性别民族出生年月日身份号码户籍地址省市区县街道社区村组号楼单元室"
                "北京上海广州深圳朝阳海淀西城东城幸福和平人民解放建设中山长安新华光明胜利东南西北"
                "无犯罪记录收入婚姻状况未婚已婚离异经营场所用途办理事项有效期至年月日盖章服务中心")
# Sensor grain: ± this many grey levels, uniform (σ ≈ 4.6), as a cheap webcam in kiosk light.
DEFAULT_NOISE = 8
CATEGORIES = ("clean", "blurred", "rotated", "small_module", "chinese_utf8", "base45_q",
              "code128")


@dataclass(frozen=True)
class BenchFrame:
    """One frame of the set and the bytes a decoder must return for it."""

    name: str
    category: str
    symbology: str
    payload: bytes
    image: Image.Image


def slip_number(rng: random.Random) -> str:
    """Return a ticket-slip style payload, e.g. ``ZM-T-2026-004217``."""
    return f"ZM-T-{rng.randint(2024, 2027)}-{rng.randint(0, 999999):06d}"


def base45_token(rng: random.Random, length: int = 516) -> str:
    """Return a ``ZM1:`` base45 token of ``length`` characters."""
    return "ZM1:" + "".join(rng.choice(BASE45_ALPHABET) for _ in range(length - 4))


def chinese_text(rng: random.Random) -> str:
    """Return 4–40 characters of certificate-like Chinese with a little ASCII."""
    words = "".join(rng.choice(COMMON_HANZI) for _ in range(rng.randint(4, 36)))
    return f"{words}{rng.choice(['', '：', ' 1号', ' 2026年'])}"


def _frame(rng: random.Random, noise: int, payload: str, *, ec: str = "M", module_px: int = 4,
           angle: float = 0.0, blur: float = 0.0) -> tuple[bytes, Image.Image]:
    symbol = qr_symbol(payload, ec=ec, module_px=module_px)
    frame = compose_frame(symbol, angle=angle, blur=blur, noise=noise,
                          seed=rng.randint(0, 10**6))
    return payload.encode("utf-8"), frame


def _make(category: str, rng: random.Random, noise: int) -> tuple[str, bytes, Image.Image]:
    if category == "code128":
        text = slip_number(rng)
        symbol = code128_symbol(text, module_px=2)
        frame = compose_frame(symbol, noise=noise, seed=rng.randint(0, 10**6))
        return "CODE_128", text.encode(), frame
    makers: dict[str, Callable[[], tuple[bytes, Image.Image]]] = {
        "clean": lambda: _frame(rng, noise, slip_number(rng)),
        "blurred": lambda: _frame(rng, noise, slip_number(rng), blur=rng.uniform(1.0, 2.2)),
        "rotated": lambda: _frame(rng, noise, slip_number(rng), angle=rng.uniform(5, 175)),
        "small_module": lambda: _frame(rng, noise, base45_token(rng, 120), module_px=2),
        "chinese_utf8": lambda: _frame(rng, noise, chinese_text(rng), module_px=rng.choice([3, 4])),
        "base45_q": lambda: _frame(rng, noise, base45_token(rng), ec="Q", module_px=4),
    }
    payload, image = makers[category]()
    return "QR_CODE", payload, image


def generate(per_category: int = 20, seed: int = 2026, noise: int = DEFAULT_NOISE
             ) -> Iterator[BenchFrame]:
    """Yield ``per_category`` frames of every category, the same ones for the same seed."""
    rng = random.Random(seed)
    for category in CATEGORIES:
        for index in range(per_category):
            symbology, payload, image = _make(category, rng, noise)
            yield BenchFrame(f"{category}-{index:03d}", category, symbology, payload, image)


def write(out: Path, per_category: int, seed: int, noise: int) -> int:
    """Write the set as PNG files plus manifest.json; return how many frames."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for frame in generate(per_category, seed, noise):
        frame.image.save(out / f"{frame.name}.png")
        manifest.append({"file": f"{frame.name}.png", "category": frame.category,
                         "symbology": frame.symbology, "payload_hex": frame.payload.hex()})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return len(manifest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-category", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--noise", type=int, default=DEFAULT_NOISE, help="grain, ± grey levels")
    args = parser.parse_args()
    count = write(args.out, args.per_category, args.seed, args.noise)
    print(f"wrote {count} frames to {args.out}")


if __name__ == "__main__":
    main()
