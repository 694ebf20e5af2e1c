"""The component state model, after IATA CUSS 2: a state, a status code that says why, events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class ComponentKind(StrEnum):
    RECEIPT_PRINTER = "receipt_printer"
    ID_CARD_READER = "id_card_reader"
    BARCODE_SCANNER = "barcode_scanner"
    CAMERA = "camera"


class ComponentState(StrEnum):
    READY = "READY"
    BUSY = "BUSY"
    UNAVAILABLE = "UNAVAILABLE"


class StatusCode(StrEnum):
    OK = "OK"
    MEDIA_LOW = "MEDIA_LOW"
    MEDIA_EMPTY = "MEDIA_EMPTY"
    MEDIA_JAMMED = "MEDIA_JAMMED"
    COVER_OPEN = "COVER_OPEN"
    HARDWARE_ERROR = "HARDWARE_ERROR"
    NOT_REACHABLE = "NOT_REACHABLE"
    NOT_RESPONDING = "NOT_RESPONDING"
    TIMEOUT = "TIMEOUT"
    DATA_CORRUPTED = "DATA_CORRUPTED"


class Severity(StrEnum):
    NORMAL = "NORMAL"
    WARNING = "WARNING"
    ALARM = "ALARM"


# A component can still work with these codes (paper is low, not out).
USABLE_CODES = frozenset({StatusCode.OK, StatusCode.MEDIA_LOW})


def severity_of(code: StatusCode) -> Severity:
    """Return how serious a status code is for the people watching the station."""
    if code is StatusCode.OK:
        return Severity.NORMAL
    if code is StatusCode.MEDIA_LOW:
        return Severity.WARNING
    return Severity.ALARM


@dataclass(frozen=True)
class ComponentStatus:
    """What a component is doing now and why."""

    state: ComponentState
    code: StatusCode
    detail: str = ""

    @property
    def usable(self) -> bool:
        return self.state is not ComponentState.UNAVAILABLE and self.code in USABLE_CODES

    @classmethod
    def ready(cls, detail: str = "") -> ComponentStatus:
        return cls(ComponentState.READY, StatusCode.OK, detail)

    @classmethod
    def unavailable(cls, code: StatusCode, detail: str = "") -> ComponentStatus:
        return cls(ComponentState.UNAVAILABLE, code, detail)

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "code": self.code.value, "detail": self.detail}


@dataclass(frozen=True)
class ComponentInfo:
    """The static description of a component: what it is and how it is reached."""

    id: str
    kind: ComponentKind
    url: str
    simulated: bool
    characteristics: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "url": self.url,
            "simulated": self.simulated,
            "characteristics": dict(self.characteristics),
        }


@dataclass(frozen=True)
class DeviceEvent:
    """A change worth telling the UI, the staff and the platform about."""

    component_id: str
    type: str  # e.g. "status", "card_inserted", "card_read", "code_scanned", "job"
    severity: Severity
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_dict(self) -> dict[str, Any]:
        return {
            "component_id": self.component_id,
            "type": self.type,
            "severity": self.severity.value,
            "data": dict(self.data),
            "at": self.at.isoformat(),
        }
