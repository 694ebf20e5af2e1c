"""Which services the station can offer now, after CUSS: each service names the components it
requires, so an empty printer stops printing services only; staff can suspend the station."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from devices.model import ComponentStatus, StatusCode


class ServiceState(StrEnum):
    AVAILABLE = "AVAILABLE"
    ACTIVE = "ACTIVE"  # a resident is using it
    UNAVAILABLE = "UNAVAILABLE"
    SUSPENDED = "SUSPENDED"  # by staff


class Reason(StrEnum):
    HARDWARE = "hardware"
    CONSUMABLES = "consumables"
    BACKEND = "backend"
    HOURS = "hours"
    INTERNAL = "internal"


CONSUMABLE_CODES = frozenset({StatusCode.MEDIA_EMPTY, StatusCode.MEDIA_JAMMED})


@dataclass(frozen=True)
class ServiceDefinition:
    code: str
    requires: tuple[str, ...]  # component ids
    needs_platform: bool = False
    saves_records: bool = False  # out of service while the storage is full


SERVICES: tuple[ServiceDefinition, ...] = (
    ServiceDefinition("certificates", ("printer", "idcard"), saves_records=True),
    ServiceDefinition("verify", ("scanner",)),
    ServiceDefinition("requests", (), saves_records=True),
    ServiceDefinition("progress", (), saves_records=True),  # ratings
    ServiceDefinition("notices", ()),
    ServiceDefinition("help", ()),
    ServiceDefinition("volunteers", (), saves_records=True),  # duties (志愿者签到)
)


@dataclass(frozen=True)
class ServiceStatus:
    code: str
    state: ServiceState
    reason: Reason | None = None
    blocking: tuple[tuple[str, str], ...] = ()  # (component id, status code) that stop it
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "state": self.state.value,
                "reason": self.reason.value if self.reason else None,
                "blocking": [{"component": c, "code": s} for c, s in self.blocking],
                "note": self.note}


def evaluate(service: ServiceDefinition, components: Mapping[str, ComponentStatus], *,
             suspended_reason: str | None = None, active: bool = False,
             storage_fault: str | None = None) -> ServiceStatus:
    """Return a service's state from its components' states and the station's."""
    if suspended_reason is not None:
        return ServiceStatus(service.code, ServiceState.SUSPENDED, Reason.INTERNAL,
                             note=suspended_reason)
    if storage_fault is not None and service.saves_records:
        return ServiceStatus(service.code, ServiceState.UNAVAILABLE, Reason.INTERNAL, note=storage_fault)
    blocking = tuple(
        (cid, (components[cid].code if cid in components else StatusCode.NOT_REACHABLE).value)
        for cid in service.requires
        if cid not in components or not components[cid].usable
    )
    if blocking:
        consumable = all(StatusCode(code) in CONSUMABLE_CODES for _, code in blocking)
        return ServiceStatus(service.code, ServiceState.UNAVAILABLE,
                             Reason.CONSUMABLES if consumable else Reason.HARDWARE, blocking)
    return ServiceStatus(service.code, ServiceState.ACTIVE if active else ServiceState.AVAILABLE)
