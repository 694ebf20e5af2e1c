"""Open the scanner a device URL names.

    /dev/ttyACM0, serial:///dev/ttyACM0?baudrate=9600&terminator=cr    serial scan engine
    socket://HOST:PORT?terminator=crlf, loop://, rfc2217://HOST:PORT    the same, via pyserial
    evdev:///dev/input/by-id/usb-…-event-kbd                            keyboard wedge (HID)
    v4l2:///dev/video0, /dev/video0, dir:///path/to/frames              camera (see camera.py)

Options for serial engines ride in the query and are removed before pyserial sees the URL:
``baudrate``, ``terminator`` (cr, lf, crlf, any), ``encoding``, ``aim`` (1 = AIM prefixes).
``sim:///folder`` (or ``sim://`` with ``sim_frames_dir``) is the simulated camera. The simulated
serial scanner's ``sim://`` is resolved by whoever runs the simulators (to its pty path or
``socket://``) before it reaches this function.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from devices.errors import DeviceConfigError
from devices.urls import DeviceUrl, parse_device_url, pyserial_port, serial_settings

from .base import Scanner
from .camera import CAMERA_SCHEMES, CameraScanner, open_frame_source
from .decoder import Decoder
from .hid import EvdevScanner
from .serial_scanner import SerialScanner, Terminator

OWN_OPTIONS = frozenset({"baudrate", "terminator", "encoding", "aim"})
_BAUDRATE = frozenset({"baudrate"})


def open_scanner(url: str, *, source_id: str = "scanner", decoder: Decoder | None = None,
                 sim_frames_dir: str | Path | None = None) -> Scanner:
    """Open a serial, keyboard-wedge or camera scanner from its URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    sim_camera = scheme == "sim" and bool(parts.path or sim_frames_dir)
    if url.startswith("/dev/video") or scheme in CAMERA_SCHEMES - {"sim"} or sim_camera:
        source = open_frame_source(url, sim_frames_dir=sim_frames_dir)
        return CameraScanner(source, decoder, source_id=source_id)
    if scheme == "sim":
        raise DeviceConfigError("sim:// scanner: resolve it to the simulator's URL first "
                                "(its pty path or socket://…)")
    if scheme == "evdev":
        return EvdevScanner(parts.path, source_id=source_id)
    parsed = parse_device_url(url)
    options = scanner_options(parsed)
    port, baudrate = pyserial_port(parsed, keep=OWN_OPTIONS), serial_settings(parsed, _BAUDRATE)
    try:
        return SerialScanner(port, baudrate.get("baudrate", 9600),
                             Terminator(options.get("terminator", "any").lower()),
                             source_id=source_id, encoding=options.get("encoding", "utf-8"),
                             aim_ids=options.get("aim", "0") in {"1", "true", "yes"})
    except ValueError as err:
        raise DeviceConfigError(f"scanner URL {url!r}: {err}") from err


def scanner_options(url: DeviceUrl) -> dict[str, str]:
    """The scanner's own options from the URL's query (pyserial never sees them)."""
    return {k: v for k, v in url.params.items() if k in OWN_OPTIONS}

