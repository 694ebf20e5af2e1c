"""The update's state file: the one record that survives a power cut at any step.

Standard library only: the boot guard (guard.py) reads it before the station's own code is
imported, so even a release that cannot start is rolled back. Every write is a temporary file,
fsync, rename, fsync of the folder: after a power cut the file is the old state or the new one.

Phases, in order: ``prepared`` (release folder complete), ``backed_up`` (database copied),
``switching`` (about to point ``current`` at the new release), ``trial`` (the new release runs
and must pass its health check), then ``committed``, or ``rolling_back`` → ``failed``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from backend.shared.private_files import fsync_folder

STATE_FILE = "update-state.json"
PREPARED, BACKED_UP, SWITCHING, TRIAL = "prepared", "backed_up", "switching", "trial"
COMMITTED, ROLLING_BACK, FAILED = "committed", "rolling_back", "failed"
FINAL = (COMMITTED, FAILED)


def state_path(root: Path) -> Path:
    return root / STATE_FILE


def read(root: Path) -> dict[str, Any] | None:
    """The update in progress (or the last one finished), or None."""
    try:
        value = json.loads(state_path(root).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable: treated as no update (current is whole either way)
    return value if isinstance(value, dict) else None


def write(root: Path, state: dict[str, Any]) -> None:
    """Replace the state durably (fsync the file, rename, fsync the folder)."""
    write_durably(state_path(root), json.dumps(state, sort_keys=True, indent=1).encode())


def write_durably(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    fsync_folder(target.parent)


def current_version(root: Path) -> str | None:
    """The release ``current`` points at (``releases/<version>``), or None without one."""
    try:
        return Path(os.readlink(root / "current")).name
    except OSError:
        return None


def switch_current(root: Path, version: str) -> None:
    """Point ``current`` at ``releases/<version>`` with one rename, durably; idempotent."""
    if current_version(root) == version:
        return
    tmp = root / f".current.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path("releases") / version)
    os.replace(tmp, root / "current")
    fsync_folder(root)
