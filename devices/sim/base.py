"""What every simulator offers: start and stop, a URL to reach it, faults, a description."""

from __future__ import annotations

from typing import Any, Protocol

from .faults import find_fault


class Simulator(Protocol):
    name: str  # "printer", "idcard", "scanner", "camera"

    @property
    def url(self) -> str:
        """The device URL a driver opens to reach this simulator (tcp://…, /dev/pts/N, …)."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def inject_fault(self, fault: str, **params: Any) -> None: ...

    def clear_faults(self) -> None: ...

    def describe(self) -> dict[str, Any]:
        """Return the state a technician wants to see (active faults, counters, media)."""
        ...


class FaultSet:
    """Active faults of one simulator, validated against the one list in ``faults``."""

    def __init__(self, device: str) -> None:
        self.device = device
        self._active: dict[str, dict[str, Any]] = {}

    def add(self, name: str, **params: Any) -> None:
        find_fault(self.device, name)
        self._active[name] = params

    def remove(self, name: str) -> None:
        self._active.pop(name, None)

    def clear(self) -> None:
        self._active.clear()

    def __contains__(self, name: object) -> bool:
        return name in self._active

    def params(self, name: str) -> dict[str, Any]:
        return self._active.get(name, {})

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {name: dict(params) for name, params in self._active.items()}
