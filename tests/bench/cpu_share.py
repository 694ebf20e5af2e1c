"""Who used the CPU during a benchmark window: the platform's workers, PostgreSQL, the load
generator (this process) and everything else, in cores, read from /proc (Linux only).

On the project's 2-core machine the generator, the database and the platform share the same
cores; these figures say which of them a tail or a ceiling belongs to.
"""

from __future__ import annotations

import gc
import os
import time
from collections import defaultdict
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: its parent, its name and the CPU seconds it has used."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, rest = (entry / "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        fields = rest.split()
        found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def _descends(pid: int, root: int, processes: dict[int, tuple[int, str, float]]) -> bool:
    while pid > 1:
        if pid == root:
            return True
        pid = processes.get(pid, (0, "", 0.0))[0]
    return False


def snapshot(platform_pid: int) -> dict[str, float]:
    """CPU seconds used so far by each category's live processes, and the wall clock."""
    me = os.getpid()
    processes = _processes()
    used: dict[str, float] = defaultdict(float)
    for pid, (_parent, name, seconds) in processes.items():
        if pid == me:
            category = "generator"
        elif name == "postgres":
            category = "postgresql"
        elif _descends(pid, platform_pid, processes):
            category = "platform"
        else:
            category = "other"
        used[category] += seconds
    used["wall"] = time.monotonic()
    return dict(used)


def cores(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Cores each category used between two snapshots (processes that ended in between are lost)."""
    wall = after["wall"] - before["wall"]
    return {k: round(max(0.0, after.get(k, 0.0) - before.get(k, 0.0)) / wall, 2)
            for k in ("platform", "postgresql", "generator", "other")}


class GcPauses:
    """The longest full (generation 2) collection of this process while it is watched."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._began = 0.0

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._began)
