"""The udev rules are well-formed: every key is one udev knows, with a valid operator."""

from __future__ import annotations

import re
from pathlib import Path

RULES = Path(__file__).resolve().parents[3] / "deploy" / "udev" / "60-kiosk-devices.rules"
PAIR = re.compile(r'\s*([A-Z_]+)(\{[^}]+\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)')
MATCH_KEYS = {"ACTION", "SUBSYSTEM", "KERNEL", "ATTR", "ATTRS", "ENV", "KERNELS", "SUBSYSTEMS", "DRIVERS"}
ASSIGN_KEYS = {"MODE", "GROUP", "OWNER", "SYMLINK", "TAG", "ENV", "GOTO", "LABEL", "RUN"}


def _pairs(line: str) -> list[tuple[str, str, str]]:
    pairs, position = [], 0
    while position < len(line):
        found = PAIR.match(line, position)
        assert found, f"cannot read {line[position:]!r}"
        pairs.append((found.group(1), found.group(3), found.group(4)))
        position = found.end()
    return pairs


def test_every_rule_line_is_well_formed() -> None:
    rules = [line for line in RULES.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(rules) >= 8
    for line in rules:
        for key, op, _value in _pairs(line):
            if op in ("==", "!="):
                assert key in MATCH_KEYS, line
            else:
                assert key in ASSIGN_KEYS, line


def test_devices_get_stable_links_and_group_access_not_world_access() -> None:
    text = RULES.read_text()
    for link in ("kiosk-printer", "kiosk-scanner", "kiosk-camera"):
        assert f'SYMLINK+="{link}' in text
    modes = re.findall(r'MODE="(\d+)"', text)
    assert modes and all(mode.endswith("0") for mode in modes), "no device may be world-accessible"
    assert 'LABEL="kiosk_end"' in text and 'GOTO="kiosk_end"' in text
