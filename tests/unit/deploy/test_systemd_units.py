"""The shipped systemd units pass ``systemd-analyze verify`` and keep their sandbox exposure low.

``verify`` checks that ExecStart's program exists, so each unit is checked as installed: the
release path ``/opt/kiosk/current`` points at this test's interpreter prefix (which has
``bin/kiosk``), and cage, when not installed here, at a stand-in executable. The exposure table
of every unit is written to ``test-artifacts/deploy/exposure.txt`` (the README quotes it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "deploy"
# What `systemd-analyze security` may score each unit at most (0 = best, 10 = unprotected).
EXPOSURE_LIMIT = {"kiosk-station.service": 4.0, "kiosk-platform.service": 4.0,
                  "kiosk-sim.service": 4.0, "kiosk-ui.service": 4.0}

pytestmark = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                reason="systemd-analyze is missing (scripts/setup --test installs systemd)")


def _as_installed(unit: Path, folder: Path) -> Path:
    text = unit.read_text().replace("/opt/kiosk/current", sys.prefix)
    if not Path("/usr/bin/cage").exists():
        stand_in = folder / "cage"
        stand_in.write_text("#!/bin/sh\n")
        stand_in.chmod(0o755)
        text = text.replace("/usr/bin/cage", str(stand_in))
    target = folder / unit.name
    target.write_text(text)
    return target


def test_every_unit_is_shipped() -> None:
    assert {u.name for u in UNITS} == set(EXPOSURE_LIMIT)


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_unit_passes_systemd_analyze_verify(unit: Path, tmp_path: Path) -> None:
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(_as_installed(unit, tmp_path))],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


def test_sandbox_exposure_stays_low(tmp_path: Path) -> None:
    lines = []
    for unit in UNITS:
        done = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                               str(_as_installed(unit, tmp_path))], capture_output=True, text=True,
                              timeout=60)
        found = re.search(r"Overall exposure level for \S+: ([0-9.]+)", done.stdout)
        assert found, done.stdout + done.stderr
        exposure = float(found.group(1))
        lines.append(f"{unit.name}\t{exposure}")
        assert exposure < EXPOSURE_LIMIT[unit.name], f"{unit.name} exposure {exposure}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "exposure.txt").write_text("\n".join(lines) + "\n")


def test_watched_services_notify_and_restart_for_ever() -> None:
    for name in ("kiosk-station.service", "kiosk-platform.service", "kiosk-sim.service",
                 "kiosk-ui.service"):
        text = (DEPLOY / "systemd" / name).read_text()
        for setting in ("Type=notify", "Restart=always", "StartLimitIntervalSec=0", "NoNewPrivileges=yes",
                        "ProtectSystem=strict", "PrivateTmp=yes"):
            assert setting in text, f"{name} lacks {setting}"
        # The same promise as `kiosk up`'s supervisor: a ping every 10 s, killed after 3 missed.
        assert re.search(r"^WatchdogSec=30$", text, re.M), name


def test_the_screen_reaches_only_loopback_and_has_no_way_out() -> None:
    text = (DEPLOY / "systemd" / "kiosk-ui.service").read_text()
    assert "IPAddressDeny=any" in text and "IPAddressAllow=localhost" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert " -s " not in exec_line, "cage -s would allow switching to another VT"
    assert "--station http://127.0.0.1:" in exec_line
