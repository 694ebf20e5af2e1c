"""``kiosk selftest``: the technician's test print, against the simulated printer over TCP."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from support.stack import Simulators, free_port, kiosk


def _selftest(data_dir: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(kiosk("selftest", "--data-dir", str(data_dir), "--json", *args),
                          capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout)


def test_selftest_prints_a_sample_whose_token_verifies(data_dir: Path, sims: Simulators) -> None:
    code, report = _selftest(data_dir)
    assert code == 0 and report["ok"] is True
    assert report["printer"]["url"] == "sim://"
    assert report["printer"]["resolved_url"] == sims.endpoints["devices"]["printer"]
    assert report["printer"]["status"]["code"] == "OK"
    job = sims.wait_for_jobs(1)[-1]
    assert job["qr_codes"][0]["payload"] == report["token"]
    receipt = Path(sims.endpoints["jobs_dir"], f"{job['id']:04d}.txt").read_text()
    assert report["serial"] in receipt
    assert "+08:00" in receipt and "+00:00" not in receipt  # the district's time (the default zone)

    verified = subprocess.run(kiosk("verify", report["token"], "--data-dir", str(data_dir)),
                              capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and verified.stdout.startswith("VALID: genuine")


def test_selftest_says_when_the_paper_is_out(data_dir: Path, sims: Simulators) -> None:
    sims.fault("printer", "paper_out")
    code, report = _selftest(data_dir)
    assert code != 0 and report["ok"] is False
    assert report["printer"]["status"]["code"] == "MEDIA_EMPTY"
    assert report["printer"]["error"] == "printer.media_empty"
    assert sims.jobs() == []


def test_selftest_says_when_the_printer_is_unreachable(data_dir: Path) -> None:
    closed = f"tcp://127.0.0.1:{free_port()}"
    code, report = _selftest(data_dir, "--printer", closed)
    assert code != 0 and report["printer"]["status"]["code"] == "NOT_REACHABLE"
    assert report["printer"]["url"] == closed


def test_selftest_reads_a_card_with_its_number_masked(data_dir: Path, sims: Simulators) -> None:
    sims.insert_card("1")
    done = subprocess.run(kiosk("selftest", "--data-dir", str(data_dir), "--idcard", "sim://"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ID card reader: OK" in done.stdout and "4601*************2" in done.stdout
    assert "460107195803179912" not in done.stdout + done.stderr


def test_selftest_card_read_failure_exits_non_zero(data_dir: Path, sims: Simulators) -> None:
    sims.insert_card("1")
    sims.fault("idcard", "silence")
    done = subprocess.run(kiosk("selftest", "--data-dir", str(data_dir), "--idcard", "sim://"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "ID card reader: FAILED — timeout" in done.stdout
