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
from urllib.parse import parse_qsl, urlencode, urlsplit

from devices.errors import DeviceConfigError

from .base import Scanner
from .camera import CAMERA_SCHEMES, CameraScanner, open_frame_source
from .decoder import Decoder
from .hid import EvdevScanner
from .serial_scanner import SerialScanner, Terminator

_OWN_OPTIONS = frozenset({"baudrate", "terminator", "encoding", "aim"})


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
    port_url, options = split_serial_options(url)
    try:
        return SerialScanner(port_url, int(options.get("baudrate", 9600)),
                             Terminator(options.get("terminator", "any").lower()),
                             source_id=source_id, encoding=options.get("encoding", "utf-8"),
                             aim_ids=options.get("aim", "0") in {"1", "true", "yes"})
    except ValueError as err:
        raise DeviceConfigError(f"scanner URL {url!r}: {err}") from err


def split_serial_options(url: str) -> tuple[str, dict[str, str]]:
    """Return (URL pyserial understands, the scanner's own options from the query)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    own = {k: v for k, v in query if k in _OWN_OPTIONS}
    rest = urlencode([(k, v) for k, v in query if k not in _OWN_OPTIONS])
    if parts.scheme == "serial":  # pyserial names local ports by path, not serial://
        return parts.path, own
    if not parts.scheme:
        return parts.path, own
    # Built by hand: urlunsplit turns "loop://" into "loop:", which pyserial does not know.
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else ""), own
