"""Printer profiles: the shipped data, and validation that says what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devices.errors import DeviceConfigError
from devices.printer.profiles import (
    get_profile,
    load_profiles,
    profile_from_dict,
    profile_names,
)

GOOD: dict[str, Any] = {
    "description": "test printer",
    "paper_width_mm": 58,
    "dpi": 203,
    "dot_width": 384,
    "columns": 32,
    "needs_fs_and": True,
    "cjk_encoding": "gb18030",
    "native_qr": True,
    "cutter": "partial",
    "code_page": "CP437",
    "code_page_number": 0,
    "job_end_query": True,
}


@pytest.mark.parametrize(
    ("name", "dots", "columns", "cutter", "native_qr"),
    [("58mm", 384, 32, "partial", True), ("80mm", 576, 48, "full", True),
     ("58mm-basic", 384, 32, "none", False)],
)
def test_shipped_profiles(name: str, dots: int, columns: int, cutter: str, native_qr: bool) -> None:
    profile = get_profile(name)
    assert (profile.dot_width, profile.columns, profile.cutter, profile.native_qr) == (
        dots, columns, cutter, native_qr)
    assert profile.needs_fs_and
    assert profile.characteristics()["profile"] == name


def test_58mm_geometry() -> None:
    profile = get_profile("58mm")
    assert profile.printable_width_mm == pytest.approx(48.05, abs=0.01)
    assert profile.mm_to_dots(45) == 359
    assert profile.side_margin_dots == 39  # about 5 mm of blank paper each side


def test_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(DeviceConfigError, match="58mm, 58mm-basic, 80mm"):
        get_profile("57mm")
    assert profile_names() == ["58mm", "58mm-basic", "80mm"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dot_width": None}, "dot_width must be int"),
        ({"dot_width": True}, "dot_width must be int"),
        ({"dot_width": 380}, "not a multiple of 8"),
        ({"dot_width": 0}, "must be positive"),
        ({"columns": 8}, "columns at least 16"),
        ({"columns": 64}, "under 8 dots"),
        ({"dot_width": 640}, "wider than 58 mm"),
        ({"cutter": "guillotine"}, "cutter 'guillotine'"),
        ({"cjk_encoding": "big5"}, "cjk_encoding 'big5'"),
        ({"code_page": "CP999"}, "code_page 'CP999'"),
        ({"code_page_number": 300}, "code_page_number 300"),
        ({"native_qr": "yes"}, "native_qr must be bool"),
        ({"colour": "red"}, r"unknown field.*colour"),
    ],
)
def test_invalid_profile_is_refused_with_the_reason(change: dict[str, Any], message: str) -> None:
    data = {**GOOD, **change}
    with pytest.raises(DeviceConfigError, match=message):
        profile_from_dict("broken", data)


def test_missing_fields_are_named() -> None:
    data = {k: v for k, v in GOOD.items() if k not in ("dpi", "cutter")}
    with pytest.raises(DeviceConfigError, match="missing cutter, dpi"):
        profile_from_dict("broken", data)


def test_several_problems_are_reported_together() -> None:
    with pytest.raises(DeviceConfigError, match=r"cutter.*cjk_encoding"):
        profile_from_dict("broken", {**GOOD, "cutter": "x", "cjk_encoding": "x"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"profiles": {}}', "version"),
        ('{"version": 1, "profiles": {"a": 5}}', "expected an object"),
    ],
)
def test_bad_profiles_file(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "profiles.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(DeviceConfigError, match=message):
        load_profiles(file)


def test_profiles_file_is_loaded_from_a_path(tmp_path: Path) -> None:
    file = tmp_path / "profiles.json"
    file.write_text(json.dumps({"version": 1, "profiles": {"mine": GOOD}}), encoding="utf-8")
    assert load_profiles(file)["mine"].columns == 32
    with pytest.raises(DeviceConfigError, match="cannot read"):
        load_profiles(tmp_path / "absent.json")
