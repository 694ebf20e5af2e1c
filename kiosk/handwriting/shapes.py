"""A second, stroke-order-free reading of the ink: its SHAPE, compared with the characters of the
CJK fonts Debian ships (offline handwriting recognition's classic way, with font glyphs as the
templates).

- The ink is drawn as lines of a fixed width into a small grey image, fitted by its bounding box
  (aspect kept), as each template character of a font is.
- Feature (``features``): the image's gradient direction, split into ``DIRECTIONS`` directions
  (each pixel's gradient shared between its two nearest), each direction's plane blurred and sampled
  by a Gaussian on a ``GRID`` × ``GRID`` grid; square-rooted and scaled to length 1. Nearest
  templates by cosine (one matrix product over all of them).
- Templates: the 6,763 characters of GB 2312 (levels 1 and 2), in each font of ``FONTS`` that is
  installed, computed once and kept in the user's cache folder (``template_cache``). None installed:
  ``FontTemplates`` raises ``RecognizerUnavailable`` and the recognizer reads with zinnia alone.

Nothing here learns from handwriting: the templates are the fonts' own glyphs."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .normalize import smooth
from .recognizer import Ink, RecognizerUnavailable

log = logging.getLogger(__name__)

# Fonts from Debian packages (scripts/setup installs them), each a .ttc and the face to use.
# Not the Arphic fonts (fonts-arphic-ukai, -uming): the benchmark's strokes (Make Me a Hanzi) were
# traced from AR PL UKai and KaitiM GB, and templates from them would be the answers.
FONTS: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),  # fonts-noto-cjk, SC face
    (Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),
)
# Without them, the kiosk's own UI font (its glyphs are further from handwriting: fewer right).
FALLBACK_FONTS: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),  # fonts-wqy-microhei
)

SIZE = 64  # the feature image, px
HIRES = 4  # drawn this many times larger, then reduced (anti-aliased)
MARGIN = 0.08  # of SIZE, on each side
INK_WIDTH = 0.03  # the ink's line width, of the fitted square
SMOOTH = 6  # the ink smoothed first (normalize.smooth's reach)
GRID = 8
DIRECTIONS = 8
SIGMA = 0.5  # the blur, in grid cells
VERSION = 1  # bump when the feature changes (the cache is keyed on it)


def gb2312() -> str:
    """The 6,763 characters of GB 2312 (levels 1 and 2: rows 16–87), from the codec itself."""
    chars = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def _sampler() -> np.ndarray:
    """GRID × SIZE: each row a Gaussian over the image's pixels centred on one grid cell."""
    centres = (np.arange(GRID) + 0.5) * SIZE / GRID
    pixels = np.arange(SIZE) + 0.5
    sigma = SIGMA * SIZE / GRID
    weights = np.exp(-0.5 * ((pixels[None, :] - centres[:, None]) / sigma) ** 2)
    return weights / weights.sum(axis=1, keepdims=True)


_SAMPLE = _sampler()


def features(image: np.ndarray) -> np.ndarray:
    """The feature vector (length DIRECTIONS × GRID², unit length) of a SIZE × SIZE image, ink high."""
    a = image.astype(np.float32)
    # Sobel gradients
    padded = np.pad(a, 1, mode="edge")
    gx = (padded[:-2, 2:] + 2 * padded[1:-1, 2:] + padded[2:, 2:]
          - padded[:-2, :-2] - 2 * padded[1:-1, :-2] - padded[2:, :-2])
    gy = (padded[2:, :-2] + 2 * padded[2:, 1:-1] + padded[2:, 2:]
          - padded[:-2, :-2] - 2 * padded[:-2, 1:-1] - padded[:-2, 2:])
    magnitude = np.hypot(gx, gy)
    angle = np.arctan2(gy, gx) * (DIRECTIONS / (2 * np.pi))  # in direction units
    lower = np.floor(angle)
    share = angle - lower
    lower = lower.astype(np.int64) % DIRECTIONS
    upper = (lower + 1) % DIRECTIONS
    pixel = np.arange(SIZE * SIZE)
    planes = (np.bincount((lower.ravel() * SIZE * SIZE + pixel), (magnitude * (1 - share)).ravel(),
                          DIRECTIONS * SIZE * SIZE)
              + np.bincount((upper.ravel() * SIZE * SIZE + pixel), (magnitude * share).ravel(),
                            DIRECTIONS * SIZE * SIZE)).reshape(DIRECTIONS, SIZE, SIZE)
    pooled = _SAMPLE @ planes @ _SAMPLE.T  # DIRECTIONS × GRID × GRID
    vector = np.sqrt(pooled.reshape(-1))
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm > 0 else vector).astype(np.float32)


def _fit(points: Sequence[tuple[float, float]], size: float) -> tuple[float, float, float]:
    """Scale and offsets fitting these points' bounding box, aspect kept, centred in the square."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = size * (1 - 2 * MARGIN) / extent
    return (scale, size / 2 - (max(xs) + min(xs)) / 2 * scale, size / 2 - (max(ys) + min(ys)) / 2 * scale)


def render_ink(ink: Ink, width: float = INK_WIDTH, reach: int = SMOOTH) -> np.ndarray:
    """The ink smoothed, as lines ``width`` (of the square) wide, fitted into SIZE × SIZE, ink 1.0."""
    big = SIZE * HIRES
    canvas = Image.new("L", (big, big), 0)
    strokes = [smooth(s, reach) for s in ink.strokes if s]
    points = [p for s in strokes for p in s]
    if points:
        scale, ox, oy = _fit(points, big)
        draw = ImageDraw.Draw(canvas)
        line_width = max(1, round(width * big))
        radius = line_width / 2
        for stroke in strokes:
            xy = [(x * scale + ox, y * scale + oy) for x, y in stroke]
            if len(xy) > 1:
                draw.line(xy, fill=255, width=line_width, joint="curve")
            for x, y in (xy[0], xy[-1]):  # round ends
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(canvas.resize((SIZE, SIZE), Image.Resampling.BOX), np.float32) / 255.0


def render_glyph(font: Any, char: str) -> np.ndarray | None:
    """The font's glyph of ``char`` fitted into SIZE × SIZE like the ink; None if it has none."""
    big = SIZE * HIRES
    canvas = Image.new("L", (big * 2, big * 2), 0)
    ImageDraw.Draw(canvas).text((big // 2, big // 2), char, font=font, fill=255)
    box = canvas.getbbox()
    if box is None:
        return None
    left, top, right, bottom = box
    glyph = canvas.crop(box)
    extent = max(right - left, bottom - top)
    scale = big * (1 - 2 * MARGIN) / extent
    w, h = max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale))
    glyph = glyph.resize((w, h), Image.Resampling.BILINEAR)
    fitted = Image.new("L", (big, big), 0)
    fitted.paste(glyph, ((big - w) // 2, (big - h) // 2))
    return np.asarray(fitted.resize((SIZE, SIZE), Image.Resampling.BOX), np.float32) / 255.0


def _has_glyph(font: Any, char: str, missing: bytes) -> bool:
    """Whether the font draws ``char`` as something other than its 'missing' box."""
    mask = font.getmask(char)
    return bool(mask.getbbox()) and bytes(mask) != missing


def build(fonts: Iterable[tuple[Path, int]], chars: str) -> np.ndarray:
    """The feature matrix: one block of ``len(chars)`` rows per font, in the order of ``chars``
    (zeros where the font has no glyph: they resemble nothing)."""
    blocks = []
    for path, index in fonts:
        font = ImageFont.truetype(str(path), SIZE * HIRES, index=index)
        missing = bytes(font.getmask("\U0010fffd"))
        block = np.zeros((len(chars), DIRECTIONS * GRID * GRID), np.float32)
        for row, char in enumerate(chars):
            image = render_glyph(font, char) if _has_glyph(font, char, missing) else None
            if image is not None:
                block[row] = features(image)
        blocks.append(block)
    return np.concatenate(blocks)


def template_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kiosk" / "handwriting"


class FontTemplates:
    """The templates of the installed fonts of ``FONTS`` (built once, then read from the cache)."""

    def __init__(self, fonts: Sequence[tuple[Path, int]] | None = None, chars: str | None = None,
                 cache: Path | None = None, *,
                 fallback: Sequence[tuple[Path, int]] | None = None) -> None:
        fonts = FONTS if fonts is None else fonts
        fallback = FALLBACK_FONTS if fallback is None else fallback
        present = ([(path, index) for path, index in fonts if path.is_file()]
                   or [(path, index) for path, index in fallback if path.is_file()])
        if not present:
            raise RecognizerUnavailable(
                "no CJK font for the handwriting templates (apt-get install fonts-noto-cjk)")
        chars = gb2312() if chars is None else chars
        key = hashlib.sha256(repr((VERSION, SIZE, HIRES, MARGIN, GRID, DIRECTIONS, SIGMA, chars,
                                   [(str(p), i, p.stat().st_size, int(p.stat().st_mtime))
                                    for p, i in present])).encode()).hexdigest()[:16]
        folder = template_cache() if cache is None else cache
        path = folder / f"templates-{key}.npy"
        matrix: np.ndarray | None = None
        if path.is_file():
            try:
                matrix = np.load(path)
                if matrix.shape != (len(present) * len(chars), DIRECTIONS * GRID * GRID):
                    raise ValueError(f"shape {matrix.shape}")
            except (OSError, ValueError) as exc:
                log.warning("handwriting templates at %s unreadable (%s): building them again", path, exc)
                matrix = None
        if matrix is None:
            log.info("handwriting: building the font templates (%d characters, %d fonts) into %s",
                     len(chars), len(present), path)
            matrix = build(present, chars)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=folder, suffix=".partial", delete=False) as out:
                    np.save(out, matrix.astype(np.float16))
                Path(out.name).replace(path)  # whole or not at all, even with several builders
            except OSError as exc:
                log.warning("handwriting templates not cached at %s: %s", path, exc)
        self.chars = chars
        self.index = {char: i for i, char in enumerate(chars)}
        self.fonts = present
        self.matrix = np.asarray(matrix, np.float32)

    def scores(self, ink: Ink, width: float = INK_WIDTH) -> np.ndarray:
        """Each character's (of ``self.chars``) cosine similarity with the ink, the best over the
        fonts (0 for empty ink)."""
        if ink.empty:
            return np.zeros(len(self.chars), np.float32)
        similarity = self.matrix @ features(render_ink(ink, width))
        return similarity.reshape(len(self.fonts), len(self.chars)).max(axis=0)

    def top(self, ink: Ink, limit: int = 20, width: float = INK_WIDTH) -> list[tuple[str, float]]:
        """The ``limit`` characters most like the ink, most alike first, with their similarity."""
        if ink.empty or limit <= 0:
            return []
        return self.best(self.scores(ink, width), limit)

    def best(self, scores: np.ndarray, limit: int) -> list[tuple[str, float]]:
        """The ``limit`` characters of highest ``scores`` (from ``scores``), highest first."""
        best = scores
        limit = min(limit, len(best))
        first = np.argpartition(-best, limit - 1)[:limit]
        first = first[np.argsort(-best[first])]
        return [(self.chars[i], float(best[i])) for i in first]


if __name__ == "__main__":  # build the cache ahead (scripts/setup)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        FontTemplates()
    except RecognizerUnavailable as exc:
        log.warning("handwriting: %s", exc)
