"""The boot guard: runs before every start of the station (``ExecStartPre=`` under systemd, the
release's entry point under ``kiosk up``) and decides what a pending update means.

Standard library only and nothing from the release under trial, so a new release that cannot even
import is still rolled back: ``switching`` is resolved to whichever release ``current`` points at
(the rename happened or it did not); each start of a release on ``trial`` is counted, and too many
starts (a crash loop) or a trial past its deadline switch ``current`` back. Finishing the rollback
(restoring the database, reporting ``update.failed``) is the old release's job on its next start.

    python3 -m backend.station.updates.guard --root /opt/kiosk
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

try:
    from . import journal
except ImportError:  # run as a copied script
    import journal  # type: ignore[no-redef]

MAX_STARTS = 3  # starts of a release on trial before it counts as a crash loop
TRIAL_SECONDS = 120  # the health check's deadline; the guard allows it twice over (restarts)


def guard(root: Path, *, now: float | None = None, max_starts: int = MAX_STARTS,
          trial_seconds: float = TRIAL_SECONDS) -> str:
    """Settle the state before a start; return what was decided (for the log)."""
    state = journal.read(root)
    if not state or state.get("phase") in journal.FINAL:
        return "nothing pending"
    now = time.time() if now is None else now
    current = journal.current_version(root)
    phase = state["phase"]
    if phase == journal.SWITCHING:
        if current == state["version"]:
            state.update(phase=journal.TRIAL, switched_at=now, starts=0)
        else:  # the switch never happened: the old release goes on and tries again
            state["phase"] = journal.BACKED_UP
            journal.write(root, state)
            return "switch not done; old release runs"
    if state["phase"] == journal.TRIAL:
        return _trial_start(root, state, current, now, max_starts, trial_seconds)
    if state["phase"] == journal.ROLLING_BACK:
        journal.switch_current(root, state["previous"])
        return f"rolling back to {state['previous']}"
    return f"{phase}: old release runs"


def _trial_start(root: Path, state: dict[str, Any], current: str | None, now: float, max_starts: int,
                 trial_seconds: float) -> str:
    if current != state["version"]:  # someone switched by hand: the update is over
        state.update(phase=journal.FAILED, reason="current changed by hand", reported=False)
        journal.write(root, state)
        return "current changed by hand"
    state["starts"] = int(state.get("starts", 0)) + 1
    overdue = now - float(state.get("switched_at", now)) > 2 * trial_seconds
    if state["starts"] > max_starts or overdue:
        reason = (f"crash loop: {state['starts'] - 1} starts without passing the health check"
                  if not overdue else "health check not passed in time")
        state.update(phase=journal.ROLLING_BACK, reason=reason, code="update.crash_loop")
        journal.write(root, state)
        journal.switch_current(root, state["previous"])
        return f"rolled back to {state['previous']}: {reason}"
    journal.write(root, state)
    return f"trial start {state['starts']} of {state['version']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/opt/kiosk"))
    args = parser.parse_args(argv)
    sys.stderr.write(f"kiosk update guard: {guard(args.root)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
