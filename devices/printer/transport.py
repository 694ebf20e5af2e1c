"""Open a python-escpos printer object from a device URL, and wrap its errors at the boundary.

    tcp://HOST:PORT                     escpos.printer.Network (raw port, usually 9100)
    serial:///dev/ttyUSB0?baudrate=9600 escpos.printer.Serial; also bytesize, parity (N/E/O/M/S),
                                        stopbits (1/1.5/2), xonxoff, dsrdtr, rtscts (0/1)
    usb://VID:PID?in_ep=0x82&out_ep=0x01  escpos.printer.Usb (hexadecimal ids)
    file:///dev/usb/lp0                 escpos.printer.File: one-way, status cannot be read

USB without root needs a udev rule giving the kiosk's user the device, e.g. in
``/etc/udev/rules.d/99-kiosk-printer.rules`` (ids from ``lsusb``)::

    SUBSYSTEM=="usb", ATTRS{idVendor}=="0416", ATTRS{idProduct}=="5011", MODE="0660", GROUP="lp"

then ``usermod -aG lp kiosk`` and ``udevadm control --reload-rules && udevadm trigger``. The
kernel's usblp driver claims such printers; python-escpos detaches it when allowed, otherwise
blacklist usblp (``/etc/modprobe.d/no-usblp.conf``: ``blacklist usblp``). libusb-1.0-0 must be
installed (pyusb's NoBackendError otherwise).

A ``Connection`` is opened for one operation and closed after it: a printer that was switched
off and on, or a simulator that dropped the connection, is met with a fresh socket every time.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from devices.errors import (
    DeviceConfigError,
    DeviceError,
    DeviceNotReachableError,
    DeviceTimeoutError,
)
from devices.urls import (
    PRINTER_SCHEMES,
    SERIAL_SETTINGS,
    DeviceUrl,
    check_params,
    int_param,
    parse_device_url,
    serial_settings,
    usb_ids,
)

from .profiles import PrinterProfile
from .render import escpos_profile

log = logging.getLogger(__name__)

# After the last stale byte, how long to wait for more before asking (covers bytes in flight).
DRAIN_SETTLE = 0.02
TWO_WAY_SCHEMES = frozenset({"tcp", "serial", "usb"})


@contextlib.contextmanager
def device_errors(what: str) -> Iterator[None]:
    """Turn python-escpos, socket, pyserial and pyusb errors into devices.errors classes."""
    try:
        yield
    except DeviceError:
        raise
    except Exception as err:
        raise _wrap(err, what) from err


def _wrap(err: Exception, what: str) -> DeviceError:
    import escpos.exceptions
    import serial

    name = type(err).__name__
    if isinstance(err, TimeoutError | serial.SerialTimeoutException) or name == "USBTimeoutError":
        return DeviceTimeoutError(f"{what}: timed out ({err})")
    if name == "NoBackendError":
        return DeviceConfigError(f"{what}: no libusb backend, install libusb-1.0-0 ({err})")
    if isinstance(err, OSError | serial.SerialException | escpos.exceptions.DeviceNotFoundError):
        return DeviceNotReachableError(f"{what}: {err}".strip())
    if name == "USBError":
        return DeviceNotReachableError(f"{what}: {err}")
    raise err


class _Port:
    """The byte pipe under a python-escpos printer object; one-way unless a subclass reads."""

    def __init__(self, printer: Any) -> None:
        self.printer = printer

    def configure(self, url: DeviceUrl) -> None:
        """Apply URL settings python-escpos has no argument for, once the device is open."""

    def set_write_timeout(self, seconds: float) -> None:
        """Bound the next writes (a file cannot be bounded; see File's docs)."""

    def write(self, data: bytes) -> None:
        self.printer._raw(data)


class _TwoWayPort(_Port):
    """A port that can also read: implements status.Link."""

    def read(self, size: int, timeout: float) -> bytes:
        raise NotImplementedError

    def drain(self) -> int:
        count = 0
        while chunk := self.read(4096, DRAIN_SETTLE):
            count += len(chunk)
        return count


class _SocketPort(_TwoWayPort):
    @property
    def _sock(self) -> socket.socket:
        sock: socket.socket = self.printer.device
        return sock

    def set_write_timeout(self, seconds: float) -> None:
        self._sock.settimeout(seconds)  # since 3.5 it bounds the whole sendall

    def read(self, size: int, timeout: float) -> bytes:
        self._sock.settimeout(max(timeout, 0.001))
        try:
            data = self._sock.recv(size)
        except TimeoutError:
            return b""
        except ConnectionError as err:  # closed with a reset (RST) rather than an orderly FIN
            raise DeviceNotReachableError(f"printer closed the connection ({err.strerror})") from err
        if not data:
            raise DeviceNotReachableError("printer closed the connection")
        return data


class _SerialPort(_TwoWayPort):
    def configure(self, url: DeviceUrl) -> None:
        if serial_settings(url).get("rtscts"):
            self.printer.device.rtscts = True

    def set_write_timeout(self, seconds: float) -> None:
        self.printer.device.write_timeout = seconds

    def read(self, size: int, timeout: float) -> bytes:
        self.printer.device.timeout = max(timeout, 0.001)
        return bytes(self.printer.device.read(size))

    def drain(self) -> int:
        self.printer.device.reset_input_buffer()
        return super().drain()


class _UsbPort(_TwoWayPort):
    def set_write_timeout(self, seconds: float) -> None:
        self.printer.timeout = max(1, int(seconds * 1000))  # Usb._raw passes it in ms

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        try:
            data = self.printer.device.read(self.printer.in_ep, size, max(1, int(timeout * 1000)))
        except usb.core.USBTimeoutError:
            return b""
        return bytes(data)


@dataclass
class Connection:
    """An open printer: the python-escpos object that prints and, if two-way, a status link."""

    url: DeviceUrl
    printer: Any  # an escpos.escpos.Escpos subclass (the package has no type hints)
    port: _Port

    @property
    def link(self) -> _TwoWayPort | None:
        """The readable link for status queries; None on a one-way transport."""
        return self.port if isinstance(self.port, _TwoWayPort) else None

    def send(self, data: bytes, timeout: float) -> None:
        """Send a rendered job through the printer object's transport within ``timeout`` s."""
        with device_errors(f"sending {len(data)} bytes to {self.url.raw}"):
            self.port.set_write_timeout(timeout)
            self.printer._raw(data)
            flush = getattr(self.printer, "flush", None)
            if callable(flush):
                flush()

    def close(self) -> None:
        """Close the transport; errors while closing are logged, not raised."""
        try:
            self.printer.close()
        except Exception as err:  # closing a broken link must not hide the real error
            log.debug("closing %s: %s", self.url.raw, err)

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_connection(
    url: str | DeviceUrl, profile: PrinterProfile, *, timeout: float
) -> Connection:
    """Open the printer at ``url``; raise DeviceNotReachableError etc. if it cannot be opened."""
    parsed = url if isinstance(url, DeviceUrl) else parse_device_url(url, allowed=PRINTER_SCHEMES)
    opener = _OPENERS.get(parsed.scheme)
    if opener is None:
        raise DeviceConfigError(
            f"{parsed.raw}: a sim:// printer is reached through the tcp:// URL the simulator "
            "reports; configure that URL and mark the printer simulated"
            if parsed.scheme == "sim" else f"{parsed.raw}: not a printer URL"
        )
    with device_errors(f"opening printer {parsed.raw}"):
        printer, port_class = opener(parsed, escpos_profile(profile), timeout)
        printer.open()
        port = port_class(printer)
        try:
            port.configure(parsed)
        except BaseException:
            printer.close()
            raise
    return Connection(parsed, printer, port)


Opener = Callable[[DeviceUrl, Any, float], tuple[Any, type[_Port]]]


def _open_tcp(url: DeviceUrl, profile: Any, timeout: float) -> tuple[Any, type[_Port]]:
    from escpos.printer import Network

    check_params(url, set())
    return Network(url.host, url.port, timeout=timeout, profile=profile), _SocketPort


def _open_serial(url: DeviceUrl, profile: Any, timeout: float) -> tuple[Any, type[_Port]]:
    from escpos.printer import Serial

    check_params(url, SERIAL_SETTINGS)
    params = serial_settings(url)
    params.pop("rtscts", None)  # python-escpos does not take it; _SerialPort.configure sets it
    return Serial(url.path, timeout=timeout, profile=profile, **params), _SerialPort


def _open_usb(url: DeviceUrl, profile: Any, timeout: float) -> tuple[Any, type[_Port]]:
    from escpos.printer import Usb

    check_params(url, {"in_ep", "out_ep"})
    vid, pid = usb_ids(url)
    endpoints = {key: int_param(url, key, url.params[key], 0) for key in ("in_ep", "out_ep")
                 if key in url.params}
    printer = Usb(vid, pid, timeout=max(1, int(timeout * 1000)), profile=profile, **endpoints)
    return printer, _UsbPort


def _open_file(url: DeviceUrl, profile: Any, timeout: float) -> tuple[Any, type[_Port]]:
    from escpos.printer import File

    check_params(url, set())
    return File(url.path, profile=profile), _Port


_OPENERS: dict[str, Opener] = {
    "tcp": _open_tcp, "serial": _open_serial, "usb": _open_usb, "file": _open_file,
}
