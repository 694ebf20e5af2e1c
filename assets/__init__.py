"""Data the product ships: fonts, the certificate catalog, the demo register, translations,
images and sounds. This package holds no logic beyond finding its files.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# Simplified-Chinese fonts, best first. A font placed in assets/fonts/ wins; otherwise the one the
# set-up script installs from Debian (fonts-wqy-microhei). Noto's .ttc opens the Japanese face by
# default, so it comes last and only with its SC face index.
_SYSTEM_CJK_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)


class AssetNotFoundError(FileNotFoundError):
    """A file the product needs is missing; the message says how to get it."""


def path(*parts: str) -> Path:
    """Return the path of a shipped asset, e.g. ``path("catalog", "certificates.yaml")``."""
    return ROOT.joinpath(*parts)


def cjk_font() -> tuple[Path, int]:
    """Return (font file, face index) of a font that renders Simplified Chinese."""
    override = os.environ.get("KIOSK_FONT")
    if override:
        if not Path(override).is_file():
            raise AssetNotFoundError(f"KIOSK_FONT={override} is not a file")
        return Path(override), 0
    for candidate in sorted(path("fonts").glob("*.tt[fc]")):
        return candidate, 0
    for name, index in _SYSTEM_CJK_FONTS:
        if Path(name).is_file():
            return Path(name), index
    raise AssetNotFoundError(
        "no Simplified-Chinese font found: run scripts/setup (installs fonts-wqy-microhei) "
        "or set KIOSK_FONT to a .ttf/.ttc file"
    )
