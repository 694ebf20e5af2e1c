"""Device URLs: how the configuration names a device and its transport.

    tcp://HOST:PORT                      network printer, raw port (9100)
    serial:///dev/ttyUSB0?baudrate=9600  serial printer
    usb://VID:PID                        USB printer (pyusb), hexadecimal ids
    file:///dev/usb/lp0                  a printer device file (one-way)
    /dev/ttyACM0, socket://HOST:PORT, loop://, rfc2217://…   serial devices (pyserial URLs)
    sim://                               the simulator registered in the data folder
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from .errors import DeviceConfigError

PRINTER_SCHEMES = frozenset({"tcp", "serial", "usb", "file", "sim"})
SERIAL_SCHEMES = frozenset({"serial", "socket", "loop", "rfc2217", "spy", "sim", "file"})


@dataclass(frozen=True)
class DeviceUrl:
    """A parsed device URL."""

    raw: str
    scheme: str
    host: str = ""
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def simulated(self) -> bool:
        return self.scheme == "sim"


def parse_device_url(raw: str, *, allowed: frozenset[str] | None = None) -> DeviceUrl:
    """Parse and validate a device URL; raise DeviceConfigError with the reason if it is wrong."""
    text = (raw or "").strip()
    if not text:
        raise DeviceConfigError("empty device URL")
    if text.startswith("/dev/"):
        # A bare device path is how pyserial and people name serial ports.
        return DeviceUrl(raw=text, scheme="serial", path=text)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if not scheme:
        raise DeviceConfigError(f"device URL {text!r} has no scheme (e.g. tcp://, serial://, sim://)")
    if allowed is not None and scheme not in allowed:
        raise DeviceConfigError(
            f"device URL {text!r}: scheme {scheme!r} is not one of {sorted(allowed)}"
        )
    params = dict(parse_qsl(parts.query))
    if scheme == "usb":
        return _parse_usb(text, parts.netloc, params)
    try:
        port = parts.port
    except ValueError as err:
        raise DeviceConfigError(f"device URL {text!r}: bad port") from err
    url = DeviceUrl(raw=text, scheme=scheme, host=parts.hostname or "", port=port,
                    path=parts.path, params=params)
    _check(url)
    return url


def _check(url: DeviceUrl) -> None:
    if url.scheme in {"tcp", "socket", "rfc2217"} and (not url.host or url.port is None):
        raise DeviceConfigError(f"device URL {url.raw!r} needs a host and a port")
    if url.scheme == "serial" and not url.path:
        raise DeviceConfigError(f"device URL {url.raw!r} needs a device path")
    if url.scheme == "file" and not url.path:
        raise DeviceConfigError(f"device URL {url.raw!r} needs a file path")


def _parse_usb(text: str, netloc: str, params: dict[str, str]) -> DeviceUrl:
    vid, _, pid = netloc.partition(":")
    try:
        int(vid, 16), int(pid, 16)
    except ValueError as err:
        raise DeviceConfigError(f"device URL {text!r}: expected usb://VID:PID in hex") from err
    return DeviceUrl(raw=text, scheme="usb", host=vid.lower(), path=pid.lower(), params=params)


def usb_ids(url: DeviceUrl) -> tuple[int, int]:
    """Return (vendor id, product id) of a usb:// URL."""
    return int(url.host, 16), int(url.path, 16)
