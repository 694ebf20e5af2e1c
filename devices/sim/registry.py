"""Where running simulators say how to reach them: ``<data dir>/sim/endpoints.json``.

``kiosk sim`` writes it; a station configured with ``sim://`` reads it, so the station opens the
simulator through the same transport it would use for hardware (tcp://, /dev/pts/N, …).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from devices.errors import DeviceNotReachableError

FILENAME = "endpoints.json"


@dataclass(frozen=True)
class SimEndpoints:
    control: str  # http://127.0.0.1:PORT of the simulators' control API
    devices: dict[str, str] = field(default_factory=dict)  # "printer" -> "tcp://127.0.0.1:9100"
    pid: int = 0
    jobs_dir: str = ""


def write_endpoints(sim_dir: Path, endpoints: SimEndpoints) -> Path:
    """Publish the endpoints atomically."""
    sim_dir.mkdir(parents=True, exist_ok=True)
    target = sim_dir / FILENAME
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(endpoints), indent=2), encoding="utf-8")
    os.replace(tmp, target)
    return target


def read_endpoints(sim_dir: Path) -> SimEndpoints:
    """Read the endpoints of the simulators running for a data folder."""
    target = sim_dir / FILENAME
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
        return SimEndpoints(**raw)
    except FileNotFoundError as err:
        raise DeviceNotReachableError(
            f"no simulators are running for this data folder ({target} missing): start `kiosk sim`"
        ) from err
    except (ValueError, TypeError) as err:
        raise DeviceNotReachableError(f"{target} is unreadable: {err}") from err


def clear_endpoints(sim_dir: Path, pid: int) -> None:
    """Remove the endpoints file if it is still the one this process wrote."""
    target = sim_dir / FILENAME
    try:
        if json.loads(target.read_text(encoding="utf-8")).get("pid") == pid:
            target.unlink()
    except (OSError, ValueError):
        pass


def resolve(device: str, sim_dir: Path) -> str:
    """Return the real URL behind ``sim://`` for a device (printer, idcard, scanner, camera)."""
    endpoints = read_endpoints(sim_dir)
    url = endpoints.devices.get(device)
    if not url:
        raise DeviceNotReachableError(f"the running simulators do not include a {device}")
    return url
