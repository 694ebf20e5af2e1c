"""Printer profiles as data (like python-escpos's capabilities database), validated on load.

A profile says what the paper and the printer can do: dot width and text columns, whether
Chinese needs the printer's Chinese mode switched on (FS &), which double-byte encoding its font
uses, whether it renders QR codes itself (GS ( k) or needs a raster image, which cutter it has,
and whether it answers GS r 1 once everything sent before it has been printed.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from devices.errors import DeviceConfigError

PROFILES_FILE = Path(__file__).with_name("profiles.json")

Cutter = Literal["full", "partial", "none"]
CUTTERS: tuple[str, ...] = ("full", "partial", "none")
# Double-byte encodings a Chinese printer font is built for.
CJK_ENCODINGS: tuple[str, ...] = ("gb18030", "gbk", "gb2312")
# The narrowest character cell (dots) a real printer font has; catches columns typed wrong.
MIN_CELL_DOTS = 8
# Double-size text halves the columns; a Chinese character then still needs two of them.
MIN_COLUMNS = 16


@dataclass(frozen=True)
class PrinterProfile:
    """What one model of receipt printer and its paper can do."""

    name: str
    description: str
    paper_width_mm: float
    dpi: int
    dot_width: int  # printable width in dots
    columns: int  # font A characters per line at normal size
    needs_fs_and: bool  # Chinese mode must be switched on (FS &) before double-byte text
    cjk_encoding: str
    native_qr: bool  # GS ( k; otherwise QR codes go as raster images
    cutter: Cutter
    code_page: str  # single-byte code page for ASCII text, a python-escpos encoding name
    code_page_number: int  # its number for ESC t on this printer
    job_end_query: bool  # answers GS r 1 after printing what came before it

    @property
    def printable_width_mm(self) -> float:
        return self.dot_width * 25.4 / self.dpi

    @property
    def side_margin_dots(self) -> int:
        """Blank paper on each side of the printable area, in dots (part of a code's quiet zone)."""
        return self.mm_to_dots((self.paper_width_mm - self.printable_width_mm) / 2)

    def mm_to_dots(self, mm: float) -> int:
        """Return how many whole dots fit in a length in millimetres."""
        return int(mm * self.dpi / 25.4)

    def characteristics(self) -> dict[str, Any]:
        """Return the profile as plain data for ComponentInfo."""
        return {"profile": self.name, **{k: v for k, v in asdict(self).items() if k != "name"}}


_TYPES: dict[str, tuple[type, ...]] = {
    "description": (str,),
    "paper_width_mm": (int, float),
    "dpi": (int,),
    "dot_width": (int,),
    "columns": (int,),
    "needs_fs_and": (bool,),
    "cjk_encoding": (str,),
    "native_qr": (bool,),
    "cutter": (str,),
    "code_page": (str,),
    "code_page_number": (int,),
    "job_end_query": (bool,),
}


def profile_from_dict(name: str, data: Any) -> PrinterProfile:
    """Build and validate one profile; raise DeviceConfigError saying what is wrong."""
    where = f"printer profile {name!r}"
    if not isinstance(data, dict):
        raise DeviceConfigError(f"{where}: expected an object, got {type(data).__name__}")
    _check_keys(where, data)
    for key, types in _TYPES.items():
        value = data[key]
        # bool is an int in Python; a JSON true must not pass as a dot width.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise DeviceConfigError(f"{where}: {key} must be {types[0].__name__}, got {value!r}")
    profile = PrinterProfile(name=name, **data)
    _check_values(where, profile)
    return profile


def _check_keys(where: str, data: dict[str, Any]) -> None:
    expected = {f.name for f in fields(PrinterProfile)} - {"name"}
    missing, unknown = expected - data.keys(), data.keys() - expected
    if missing:
        raise DeviceConfigError(f"{where}: missing {', '.join(sorted(missing))}")
    if unknown:
        raise DeviceConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")


def _check_values(where: str, p: PrinterProfile) -> None:
    problems = []
    if p.dpi <= 0 or p.dot_width <= 0 or p.columns < MIN_COLUMNS:
        problems.append(f"dpi and dot_width must be positive and columns at least {MIN_COLUMNS}")
    elif p.dot_width % 8:
        problems.append(f"dot_width {p.dot_width} is not a multiple of 8")
    elif p.dot_width // p.columns < MIN_CELL_DOTS:
        problems.append(f"{p.columns} columns in {p.dot_width} dots is under {MIN_CELL_DOTS} dots")
    elif p.printable_width_mm > p.paper_width_mm:
        problems.append(f"{p.dot_width} dots at {p.dpi} dpi is wider than {p.paper_width_mm} mm")
    if p.cutter not in CUTTERS:
        problems.append(f"cutter {p.cutter!r} is not one of {', '.join(CUTTERS)}")
    if p.cjk_encoding not in CJK_ENCODINGS:
        problems.append(f"cjk_encoding {p.cjk_encoding!r} is not one of {', '.join(CJK_ENCODINGS)}")
    if not _known_code_page(p.code_page):
        problems.append(f"code_page {p.code_page!r} is not an encoding python-escpos knows")
    if not 0 <= p.code_page_number <= 255:
        problems.append(f"code_page_number {p.code_page_number} is not 0-255")
    if problems:
        raise DeviceConfigError(f"{where}: " + "; ".join(problems))


def _known_code_page(name: str) -> bool:
    from escpos.codepages import CodePages  # heavy import (loads the capabilities database)

    data = CodePages.data.get(name.upper())
    if not data:
        return False
    python_name = data.get("python_encode")
    return "data" in data or (python_name is not None and _codec_exists(python_name))


def _codec_exists(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def load_profiles(path: Path | str | None = None) -> dict[str, PrinterProfile]:
    """Load and validate every profile in a profiles file (default: the shipped one)."""
    file = Path(path) if path is not None else PROFILES_FILE
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise DeviceConfigError(f"cannot read printer profiles {file}: {err}") from err
    except json.JSONDecodeError as err:
        raise DeviceConfigError(f"printer profiles {file} is not valid JSON: {err}") from err
    if not isinstance(raw, dict) or raw.get("version") != 1 or not isinstance(
        raw.get("profiles"), dict
    ):
        raise DeviceConfigError(f"printer profiles {file}: expected {{'version': 1, 'profiles': {{...}}}}")
    profiles = cast(dict[str, Any], raw["profiles"])
    return {name: profile_from_dict(name, data) for name, data in profiles.items()}


@cache
def _shipped() -> dict[str, PrinterProfile]:
    return load_profiles()


def get_profile(name: str) -> PrinterProfile:
    """Return a shipped profile by name; raise DeviceConfigError listing the names that exist."""
    profiles = _shipped()
    if name not in profiles:
        raise DeviceConfigError(
            f"unknown printer profile {name!r}; profiles: {', '.join(sorted(profiles))}"
        )
    return profiles[name]


def profile_names() -> list[str]:
    """Return the names of the shipped profiles."""
    return sorted(_shipped())
