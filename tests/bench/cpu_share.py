"""Who used the CPU during a benchmark window: the platform's workers, PostgreSQL, the load
generator (this process) and everything else, in cores, read from /proc (Linux only).

On the project's 2-core machine the generator, the database and the platform share the same
cores; these figures say which of them a tail or a ceiling belongs to.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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


def worker_pids(platform_pid: int) -> list[int]:
    """The platform's worker processes: its children started by multiprocessing (``--workers
    N``), or the platform process itself when it serves alone."""
    processes = _processes()
    children = [pid for pid, (parent, _name, _seconds) in processes.items() if parent == platform_pid]
    spawned = [pid for pid in children if b"spawn_main" in _cmdline(pid)]
    return sorted(spawned) or [platform_pid]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# The quota is granted per 10 ms, not the default 100 ms: a worker that spent its share early in a
# period is stopped for the rest of it, and with 100 ms periods those stops (up to 70 ms at a
# 0.3-core quota) alone broke a 100 ms p99 at a third of the quota's throughput (measured).
PERIOD_US = 10_000


def stop_cleanly_on_sigterm() -> None:
    """Turn SIGTERM (``kill``, ``timeout``) into SystemExit, so a stopped benchmark still runs its
    ``finally`` blocks: the CPU groups it made are removed and its platform stopped (a killed run
    left its groups behind)."""
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(128 + signal.SIGTERM))


class CpuCap:
    """Processes in CPU control groups of their own: free until ``held()``, and each held to the
    same share of a core while it lasts."""

    def __init__(self, groups: list[Path], cores: float) -> None:
        self.groups = groups
        self.cores = cores

    @contextmanager
    def held(self) -> Iterator[None]:
        for group in self.groups:
            _set_quota(group, round(self.cores * PERIOD_US))
        try:
            yield
        finally:
            for group in self.groups:
                _set_quota(group, None)


@contextmanager
def capped(pids: list[int], cores: float) -> Iterator[CpuCap]:
    """Put each process in a CPU group of its own, to be held to ``cores`` of CPU (a CFS quota)
    while ``CpuCap.held()`` lasts.

    On 2 shared cores two workers cannot show they scale: the second one's core is already the
    database's and the load generator's. Held, each worker is a model of a worker with a core
    to itself on a larger machine, and the machine keeps the spare CPU the database and the
    generator need. The hold is for the measured windows only: enrolling and priming new stations
    under it (each first beat a full path of ~13 ms of CPU) took over 12 minutes for 1,000
    stations (measured), and that is set-up, not what is measured. Needs root and the cgroup
    ``cpu`` controller (v1 or v2)."""
    made: list[Path] = []
    try:
        try:
            for n, pid in enumerate(pids):
                group = _cpu_group(f"kiosk-bench-{os.getpid()}-{n}")
                made.append(group)
                (group / "cgroup.procs").write_text(str(pid))
        except OSError as error:
            raise SystemExit(f"cannot cap the workers' CPU ({error}): this needs root and the cgroup cpu "
                             "controller") from error
        yield CpuCap(made, cores)
    finally:
        for group in made:
            _release(group)


_V1 = Path("/sys/fs/cgroup/cpu")


def _cpu_group(name: str) -> Path:
    """A new CPU group, its quota granted per ``PERIOD_US`` and unlimited for now."""
    group = (_V1 if (_V1 / "cpu.cfs_quota_us").exists() else Path("/sys/fs/cgroup")) / name
    group.mkdir()
    if (group / "cpu.cfs_period_us").exists():
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
    _set_quota(group, None)
    return group


def _set_quota(group: Path, quota_us: int | None) -> None:
    """Hold the group to ``quota_us`` of CPU per period, or free it (None)."""
    if (group / "cpu.cfs_quota_us").exists():  # cgroup v1
        (group / "cpu.cfs_quota_us").write_text(str(quota_us if quota_us is not None else -1))
    else:
        (group / "cpu.max").write_text(f"{quota_us if quota_us is not None else 'max'} {PERIOD_US}")


def cpu_cap_available() -> bool:
    """Whether this process may make CPU groups (root and a cgroup cpu controller)."""
    root = _V1 if (_V1 / "cpu.cfs_quota_us").exists() else Path("/sys/fs/cgroup")
    return os.access(root, os.W_OK) and ((root / "cpu.cfs_quota_us").exists()
                                          or "cpu" in _read(root / "cgroup.subtree_control"))


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _release(group: Path) -> None:
    """Move what is left back to the parent group and remove the group."""
    try:
        for pid in (group / "cgroup.procs").read_text().split():
            with suppress(OSError):  # the process has ended
                (group.parent / "cgroup.procs").write_text(pid)
        group.rmdir()
    except OSError:
        pass
