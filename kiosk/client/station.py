"""The station itself and its devices: what it offers now, its notices, the devices' states,
the camera; maintenance (technician PIN in every call); and the demo's simulated devices."""

from __future__ import annotations

import base64
from typing import Any, Protocol

from ..errors import BAD_RESPONSE, StationError
from ..records import Component, DeviceEvent, Fault, Notice, StationInfo, parse_faults
from .transport import PRINT_TIMEOUT, Calls, parsed, parsed_list


class StationStatusApi(Protocol):
    def station(self) -> StationInfo: ...
    def notices(self) -> list[Notice]: ...
    def components(self) -> list[Component]: ...
    def take_photo(self) -> bytes: ...
    def faults(self, pin: str) -> tuple[Fault, ...]: ...
    def selftest(self, component_id: str, pin: str) -> dict[str, Any]: ...
    def device_history(self, pin: str, limit: int = 40) -> list[DeviceEvent]: ...
    def inject_fault(self, device: str, fault: str, pin: str) -> None: ...
    def clear_faults(self, device: str, pin: str) -> None: ...
    def simulate_scan(self, sample: str = "latest_certificate") -> None: ...
    def simulate_card(self, resident: str = "1") -> None: ...
    def remove_simulated_card(self) -> None: ...


class StationStatusCalls(Calls):
    def station(self) -> StationInfo:
        """Describe the station and which services it offers now."""
        return parsed(StationInfo.parse, self._request("GET", "/api/station"))

    def notices(self) -> list[Notice]:
        """Today's community notices, newest first."""
        return parsed_list(Notice.parse, self._request("GET", "/api/notices"))

    def components(self) -> list[Component]:
        """Every device and its state."""
        return parsed_list(Component.parse, self._request("GET", "/api/components"))

    def take_photo(self) -> bytes:
        """The kiosk camera's current picture (JPEG)."""
        body = self._request("POST", "/api/camera/photo")
        try:
            return base64.b64decode(body["jpeg_base64"], validate=True)
        except (KeyError, TypeError, ValueError) as err:
            raise StationError.local(BAD_RESPONSE, detail="photo: not base64") from err

    def send_capture(self, capture_id: str, jpeg: bytes) -> None:
        """Hand the station the screen capture it asked for."""
        self._request("POST", f"/api/ui/captures/{capture_id}",
                      {"jpeg_base64": base64.b64encode(jpeg).decode("ascii")})

    # ---- maintenance (technician PIN in every call) ---------------------------------------------

    def faults(self, pin: str) -> tuple[Fault, ...]:
        """The one list of faults (also checks the PIN: a wrong one raises maintenance.wrong_pin)."""
        return parsed(parse_faults, self._request("GET", "/api/maintenance/faults", pin=pin))

    def selftest(self, component_id: str, pin: str) -> dict[str, Any]:
        """Test one device (the printer prints a sample); the outcome and its status."""
        body = self._request("POST", f"/api/maintenance/components/{component_id}/selftest", pin=pin,
                             timeout=PRINT_TIMEOUT)
        return dict(body) if isinstance(body, dict) else {}

    def device_history(self, pin: str, limit: int = 40) -> list[DeviceEvent]:
        """Recent device events, newest last."""
        return parsed_list(DeviceEvent.parse,
                           self._request("GET", f"/api/maintenance/history?limit={limit}", pin=pin))

    def inject_fault(self, device: str, fault: str, pin: str) -> None:
        """Give a simulated device a fault."""
        self._request("POST", f"/api/maintenance/sim/{device}/faults", {"fault": fault, "params": {}},
                      pin=pin)

    def clear_faults(self, device: str, pin: str) -> None:
        """Clear a simulated device's faults."""
        self._request("DELETE", f"/api/maintenance/sim/{device}/faults", pin=pin)

    # ---- the demo's simulated devices -----------------------------------------------------------

    def simulate_scan(self, sample: str = "latest_certificate") -> None:
        """Demo only: have the simulated scanner scan the newest certificate, request slip
        ("latest_ticket_slip") or application slip ("latest_pickup") this station printed; the
        scan then arrives as a ``code.scanned`` event like any real one."""
        self._request("POST", "/api/sim/scanner/scan", {"sample": sample})

    def simulate_card(self, resident: str = "1") -> None:
        """Place a demo resident's card on the simulated reader."""
        self._request("POST", "/api/sim/idcard/card", {"resident": resident})

    def remove_simulated_card(self) -> None:
        """Take the demo card off the simulated reader."""
        self._request("DELETE", "/api/sim/idcard/card")
