"""Device URLs: how the configuration names a device and its transport.

    tcp://HOST:PORT                      network printer, raw port (9100)
    serial:///dev/ttyUSB0?baudrate=9600  serial printer
    usb://VID:PID                        USB printer (pyusb), hexadecimal ids
    file:///dev/usb/lp0                  a printer device file (one-way)
    /dev/ttyACM0, socket://HOST:PORT, loop://, rfc2217://…   serial devices (pyserial URLs)
    sim://                               the simulator registered in the data folder

A serial device's line settings ride in the query (``baudrate``, ``bytesize``, ``parity``,
``stopbits``, ``xonxoff``, ``dsrdtr``, ``rtscts``); ``serial_settings`` turns them into pyserial's
keyword arguments and ``pyserial_port`` names what pyserial opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .errors import DeviceConfigError

PRINTER_SCHEMES = frozenset({"tcp", "serial", "usb", "file", "sim"})
SERIAL_SCHEMES = frozenset({"serial", "socket", "loop", "rfc2217", "spy", "sim", "file"})
SERIAL_SETTINGS = frozenset({"baudrate", "bytesize", "parity", "stopbits", "xonxoff", "dsrdtr", "rtscts"})


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


def pyserial_port(url: DeviceUrl, *, keep: frozenset[str] = frozenset()) -> str:
    """What ``serial.serial_for_url`` opens for a device URL: a serial port's path, else the URL
    without the query keys in ``keep`` (the device's own options, which pyserial would refuse)."""
    if url.scheme == "serial":  # pyserial names local ports by path, not serial://
        return url.path
    if url.scheme == "sim":
        raise DeviceConfigError(f"{url.raw}: resolve sim:// to the simulator's URL before opening it")
    if not keep & url.params.keys():
        return url.raw
    parts = urlsplit(url.raw)
    rest = urlencode([(k, v) for k, v in url.params.items() if k not in keep])
    # Built by hand: urlunsplit turns "loop://" into "loop:", which pyserial does not know.
    return f"{url.scheme}://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else "")


def serial_settings(url: DeviceUrl, names: frozenset[str] = SERIAL_SETTINGS) -> dict[str, Any]:
    """Return pyserial keyword arguments for the line settings of ``names`` the URL's query gives."""
    p, out = {k: v for k, v in url.params.items() if k in names}, dict[str, Any]()
    if "baudrate" in p:
        out["baudrate"] = int_param(url, "baudrate", p["baudrate"], 10)
    if "bytesize" in p:
        out["bytesize"] = _choice(url, "bytesize", p["bytesize"], {"5": 5, "6": 6, "7": 7, "8": 8})
    if "parity" in p:
        out["parity"] = _choice(url, "parity", p["parity"].upper(), {x: x for x in _PARITIES})
    if "stopbits" in p:
        out["stopbits"] = _choice(url, "stopbits", p["stopbits"], _STOPBITS)
    for flag in ("xonxoff", "dsrdtr", "rtscts"):
        if flag in p:
            out[flag] = _choice(url, flag, p[flag].lower(), _FLAGS)
    return out


def check_params(url: DeviceUrl, allowed: frozenset[str] | set[str]) -> None:
    """Refuse a URL whose query names a parameter not in ``allowed``."""
    unknown = set(url.params) - allowed
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise DeviceConfigError(f"{url.raw}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                                f"known: {known}")


def int_param(url: DeviceUrl, key: str, value: str, base: int) -> int:
    """Return a positive whole number from the URL's query (``base`` 0: 0x… hexadecimal too)."""
    try:
        number = int(value, base)
    except ValueError as err:
        raise DeviceConfigError(f"{url.raw}: {key}={value!r} is not a number") from err
    if number <= 0:
        raise DeviceConfigError(f"{url.raw}: {key} must be positive")
    return number


_PARITIES = {"N", "E", "O", "M", "S"}
_STOPBITS = {"1": 1, "1.5": 1.5, "2": 2}
_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _choice(url: DeviceUrl, key: str, value: str, choices: dict[str, Any]) -> Any:
    if value not in choices:
        raise DeviceConfigError(f"{url.raw}: {key}={value!r}; expected one of {', '.join(choices)}")
    return choices[value]
