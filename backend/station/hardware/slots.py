"""A driver slot: the configured URL of one device, resolved to a driver when needed.

``sim://`` is resolved through the simulators' registry in the data folder each time the driver
is (re)built, so a station started before its simulators finds them once they are up.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from devices.errors import DeviceError
from devices.sim import registry

DriverT = TypeVar("DriverT")


class DriverSlot(Generic[DriverT]):
    def __init__(self, name: str, configured_url: str, sim_dir: Path,
                 build: Callable[[str, bool], DriverT]) -> None:
        self.name = name
        self.configured_url = configured_url
        self.simulated = configured_url.startswith("sim://")
        self._sim_dir = sim_dir
        self._build = build
        self._driver: DriverT | None = None
        self._lock = threading.Lock()

    @property
    def resolved_url(self) -> str:
        """The URL the driver really opens (the simulator's for sim://)."""
        if not self.simulated:
            return self.configured_url
        return registry.resolve(self.name, self._sim_dir)

    def get(self) -> DriverT:
        """Return the driver, building it on first use; raise DeviceError if unreachable."""
        with self._lock:
            if self._driver is None:
                self._driver = self._build(self.resolved_url, self.simulated)
            return self._driver

    def reset(self) -> None:
        """Forget the driver so the next use resolves and opens the device again."""
        with self._lock:
            driver, self._driver = self._driver, None
        close = getattr(driver, "close", None)
        if callable(close):
            with contextlib.suppress(DeviceError, OSError):
                close()

    def sim_control_url(self) -> str | None:
        if not self.simulated:
            return None
        try:
            return registry.read_endpoints(self._sim_dir).control
        except DeviceError:
            return None
