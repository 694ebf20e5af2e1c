"""The lock a running station holds on its data folder, so tools that must not run beside it
(``kiosk restore``) can tell it is there.

``flock`` on ``<data dir>/station.lock``: the kernel drops it when the process ends, however it
ends (a kill -9 leaves no stale lock to clean up). The file also names the holder's pid.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_FILE = "station.lock"


class StationLock:
    """Held from the station's start to its stop."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; return False when another process holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def running_pid(data_dir: Path) -> int | None:
    """The pid of the station running on this data folder, or None when none is."""
    path = data_dir / LOCK_FILE
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = path.read_text(errors="replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
