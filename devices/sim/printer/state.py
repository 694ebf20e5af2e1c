"""The simulated printer's physical state: paper, cover, cutter, line, and the faults that set them.

Shared by every connection and by the technician's controls, so every access takes the lock.
"""

from __future__ import annotations

import threading
from typing import Any

from devices.sim.base import FaultSet
from devices.sim.faults import find_fault

from .status import Condition, Paper

# Faults that take parameters, and which ones.
_PARAMS: dict[str, frozenset[str]] = {
    "paper_out": frozenset({"after_lines"}),
    "slow": frozenset({"bytes_per_second"}),
}


class PrinterState:
    """Paper level, faults and the paper counter; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults = FaultSet("printer")
        self._lines_left: int | None = None  # paper left before paper_out(after_lines) trips
        self._lines_total = 0

    def inject(self, name: str, **params: Any) -> None:
        """Switch a fault on (validated against devices.sim.faults)."""
        find_fault("printer", name)
        _check_params(name, params)
        with self._lock:
            self._faults.add(name, **params)
            if name == "paper_out":
                after = params.get("after_lines")
                self._lines_left = None if after is None else int(after)

    def clear(self) -> None:
        """Switch every fault off and load a full roll."""
        with self._lock:
            self._faults.clear()
            self._lines_left = None

    def refill(self) -> None:
        """Load a full roll of paper."""
        with self._lock:
            self._faults.remove("paper_low")
            self._faults.remove("paper_out")
            self._lines_left = None

    def condition(self) -> Condition:
        """Return what the sensors say now."""
        with self._lock:
            return Condition(self._paper(), "cover_open" in self._faults, "jam" in self._faults)

    @property
    def offline(self) -> bool:
        with self._lock:
            return "offline" in self._faults

    def bytes_per_second(self) -> float | None:
        """Return the throttled line rate, or None when reading at full speed."""
        with self._lock:
            if "slow" not in self._faults:
                return None
            return float(self._faults.params("slow")["bytes_per_second"])

    def blocker(self) -> str | None:
        """Return why nothing can be printed now ("offline", "cover_open", ...), or None."""
        with self._lock:
            return self._blocker()

    def take_lines(self, lines: int) -> str | None:
        """Use paper for a block; return why it could not be printed, or None if it was."""
        with self._lock:
            reason = self._blocker()
            if reason is not None:
                return reason
            if self._lines_left is not None and "paper_out" in self._faults:
                if lines > self._lines_left:
                    self._lines_left = 0
                    return "paper_out"
                self._lines_left -= lines
            self._lines_total += lines
            return None

    def describe(self) -> dict[str, Any]:
        """Return paper, faults and counters for a technician."""
        with self._lock:
            return {
                "paper": self._paper().value,
                "lines_until_paper_out": self._lines_left,
                "lines_printed_total": self._lines_total,
                "faults": self._faults.as_dict(),
            }

    def _paper(self) -> Paper:
        if "paper_out" in self._faults:
            if self._lines_left is None or self._lines_left <= 0:
                return Paper.OUT
            return Paper.NEAR_END  # the near-end sensor sees the roll is almost gone
        return Paper.NEAR_END if "paper_low" in self._faults else Paper.OK

    def _blocker(self) -> str | None:
        if "offline" in self._faults:
            return "offline"
        if "cover_open" in self._faults:
            return "cover_open"
        if "jam" in self._faults:
            return "jam"
        return "paper_out" if self._paper() is Paper.OUT else None


def _check_params(name: str, params: dict[str, Any]) -> None:
    allowed = _PARAMS.get(name, frozenset())
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(f"fault {name!r} takes no parameter(s) {sorted(unknown)}")
    if name == "slow" and not float(params.get("bytes_per_second", 0)) > 0:
        raise ValueError("fault 'slow' needs bytes_per_second > 0")
    after = params.get("after_lines")
    if after is not None and int(after) < 0:
        raise ValueError("after_lines must be >= 0")
