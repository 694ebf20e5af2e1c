"""`kiosk bench`: options after a benchmark's name reach that benchmark's script."""

from __future__ import annotations

import subprocess
import sys

from support.stack import REPO


def _kiosk_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kioskcli", "bench", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)


def test_options_after_a_name_go_to_that_benchmark() -> None:
    shown = _kiosk_bench("scale", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "--worker-cores" in shown.stdout  # the scale script's own help, not kiosk's


def test_options_with_several_benchmarks_are_refused() -> None:
    refused = _kiosk_bench("verify", "scale", "--parts", "verify")
    assert refused.returncode == 2 and "name exactly one" in refused.stdout
