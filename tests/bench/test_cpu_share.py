"""The benchmarks' CPU accounting: who used the cores during a window, read from /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_share import GcPauses, cores, snapshot

BUSY = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"


def test_a_busy_worker_started_by_the_platform_counts_as_the_platform() -> None:
    # `kiosk platform --workers N` starts its workers as children: their CPU is the platform's.
    busy = BUSY.replace("0.6", "3")
    root = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {busy!r}])"],
                            start_new_session=True)
    try:
        time.sleep(0.3)
        before = snapshot(root.pid)
        time.sleep(0.5)
        used = cores(before, snapshot(root.pid))
    finally:
        os.killpg(root.pid, signal.SIGKILL)
        root.wait()
    assert used["platform"] > 0.2 and used["generator"] < 0.2


def test_cores_used_by_a_running_child_and_by_this_process() -> None:
    child = subprocess.Popen([sys.executable, "-c", BUSY.replace("0.6", "3")])
    try:
        before = snapshot(child.pid)
        end = time.process_time() + 0.5  # the generator (this process) busy too
        while time.process_time() < end:
            pass
        used = cores(before, snapshot(child.pid))
    finally:
        child.kill()
        child.wait()
    assert used["platform"] > 0.2 and used["generator"] > 0.2
    assert set(used) == {"platform", "postgresql", "generator", "other"}


def test_gc_pauses_records_the_longest_full_collection() -> None:
    import gc

    with GcPauses() as pauses:
        gc.collect()
    assert pauses.longest > 0.0
    with GcPauses() as quiet:
        gc.collect(0)  # a young collection is not a full one
    assert quiet.longest == 0.0


def test_a_capped_process_is_held_only_while_the_cap_is_held() -> None:
    from cpu_share import capped, cpu_cap_available

    if not cpu_cap_available():
        pytest.skip("making CPU groups needs root and the cgroup cpu controller")
    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        with capped([child.pid], 0.2) as cap:
            free = _cores_of(child.pid, 0.6)
            with cap.held():
                held = _cores_of(child.pid, 0.6)
            freed = _cores_of(child.pid, 0.6)
    finally:
        child.kill()
        child.wait()
    assert held < 0.3 < min(free, freed)


def _cores_of(pid: int, seconds: float) -> float:
    time.sleep(0.1)  # a new quota takes effect from the next period
    before = snapshot(pid)
    time.sleep(seconds)
    return cores(before, snapshot(pid))["platform"]


def test_a_benchmark_stopped_by_sigterm_removes_its_cpu_groups() -> None:
    from cpu_share import cpu_cap_available

    if not cpu_cap_available():
        pytest.skip("making CPU groups needs root and the cgroup cpu controller")
    script = ("import sys, time\nsys.path.insert(0, sys.argv[1])\n"
              "from cpu_share import capped, stop_cleanly_on_sigterm\nstop_cleanly_on_sigterm()\n"
              "import subprocess\nchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
              "try:\n    with capped([child.pid], 0.2) as cap:\n        print(cap.groups[0], flush=True)\n"
              "        time.sleep(60)\nfinally:\n    child.kill()\n")
    bench = subprocess.Popen([sys.executable, "-c", script, str(Path(__file__).parent)], stdout=subprocess.PIPE,
                             text=True)
    assert bench.stdout is not None
    group = Path(bench.stdout.readline().strip())
    assert group.is_dir()
    bench.send_signal(signal.SIGTERM)
    assert bench.wait(10) == 128 + signal.SIGTERM
    assert not group.exists()
