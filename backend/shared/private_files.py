"""Files only their owner may read, written atomically.

The data goes to a temporary file in the same folder, is fsynced, gets its mode, is renamed over
the target, and the folder is fsynced: a reader, a crash or a power cut leaves the old content
or the new, never half of it. Keys, tokens, enrolment and status files all go through here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["fsync_folder", "write_private_file"]


def write_private_file(path: Path, data: bytes, mode: int = 0o600, *,
                       folder_mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` readable by its owner only (0600, or ``mode``), atomically.

    A missing folder is created, with ``folder_mode`` when given (e.g. 0700 for keys)."""
    folder = path.parent
    if folder_mode is None:
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder.mkdir(parents=True, exist_ok=True, mode=folder_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # created 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # the umask never widens or narrows what was asked
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    return path


def fsync_folder(folder: Path) -> None:
    """Make what was renamed or created in ``folder`` durable across a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
