"""A simulated serial scan engine: a pseudo-terminal or TCP peer that "scans" on request.

``scan(text)`` writes the payload and a line terminator exactly as a USB CDC / RS-232 engine
does, so ``devices.scanner.SerialScanner`` reads it through pyserial as it would read
hardware. Over a pty the URL is the slave's path (``/dev/pts/N``); over TCP it is
``socket://127.0.0.1:PORT`` (a serial device server). As with hardware, a scan nobody is
connected to hear is lost (and counted as dropped): pyserial flushes its input when it opens a
port anyway. Connections are accepted when a scan is sent, so a driver that has connected
always receives the next scan: no thread, no race.

Faults (``devices.sim.faults``, device "scanner"): ``garbage`` sends bytes that are not text
instead of the payload; ``silence`` sends nothing.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import tty
from typing import Any, Literal

from .base import FaultSet

log = logging.getLogger(__name__)

Transport = Literal["pty", "tcp"]


class SimulatedSerialScanner:
    """A scan engine behind a pty or a TCP socket, with scriptable faults."""

    name = "scanner"

    def __init__(self, transport: Transport = "pty", *, terminator: bytes = b"\r\n",
                 encoding: str = "utf-8", host: str = "127.0.0.1", port: int = 0) -> None:
        if transport not in ("pty", "tcp"):
            raise ValueError(f"transport must be 'pty' or 'tcp', not {transport!r}")
        self.transport = transport
        self.terminator = terminator
        self.encoding = encoding
        self.faults = FaultSet("scanner")
        self._address = (host, port)
        self._url = ""
        self._lock = threading.Lock()
        self._fds: tuple[int, int] | None = None  # pty (master, slave)
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._garbage = random.Random(45)
        self.counters = {"scans": 0, "bytes_sent": 0, "dropped": 0}

    @property
    def url(self) -> str:
        """The URL SerialScanner opens: ``/dev/pts/N`` or ``socket://127.0.0.1:PORT``."""
        if not self._url:
            raise RuntimeError("the simulated scanner is not started")
        return self._url

    def start(self) -> None:
        """Open the pty or start listening."""
        if self.transport == "pty":
            master, slave = os.openpty()
            tty.setraw(slave)  # no echo, no CR→LF translation: bytes pass as sent
            self._fds = (master, slave)
            self._url = os.ttyname(slave)
        else:
            self._listen()
        log.info("simulated scanner on %s", self._url)

    def stop(self) -> None:
        """Close the pty or the server and every connection (the engine is unplugged)."""
        with self._lock:
            for sock in [*self._clients, *([self._server] if self._server else [])]:
                sock.close()
            self._clients.clear()
            self._server = None
            if self._fds is not None:
                for fd in self._fds:
                    os.close(fd)
                self._fds = None

    def __enter__(self) -> SimulatedSerialScanner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def scan(self, payload: str | bytes, *, terminator: bytes | None = None) -> None:
        """Send one scanned code followed by the terminator, as the engine would."""
        data = payload.encode(self.encoding) if isinstance(payload, str) else payload
        self.counters["scans"] += 1
        if "silence" in self.faults:
            self.counters["dropped"] += 1
            return
        if "garbage" in self.faults:
            data = self._garbage_bytes(len(data))
        self.send_raw(data + (self.terminator if terminator is None else terminator))

    def send_raw(self, data: bytes) -> None:
        """Write bytes to the line as they are (for framing tests: split lines, no terminator)."""
        with self._lock:
            if self._fds is not None:
                _write_all(self._fds[0], data)
            elif self._server is not None and self._accept_pending():
                self._send_to_clients(data)
            else:
                self.counters["dropped"] += 1
                return
            self.counters["bytes_sent"] += len(data)

    def inject_fault(self, fault: str, **params: Any) -> None:
        """Turn on a fault from the "scanner" list (garbage, silence)."""
        self.faults.add(fault, **params)

    def clear_faults(self) -> None:
        """Turn every fault off."""
        self.faults.clear()

    def describe(self) -> dict[str, Any]:
        """Return the state a technician wants to see."""
        return {"name": self.name, "url": self._url, "transport": self.transport,
                "simulated": True, "terminator": self.terminator.decode("ascii"),
                "faults": self.faults.as_dict(), "clients": len(self._clients),
                **self.counters}

    def _garbage_bytes(self, size: int) -> bytes:
        # 0xFF never occurs in UTF-8, and no byte ≥ 0x80 can be read as CR or LF.
        return b"\xff" + bytes(self._garbage.randrange(0x80, 0x100) for _ in range(max(size, 3)))

    def _listen(self) -> None:
        server = socket.create_server(self._address)
        server.setblocking(False)
        self._server = server
        host, port = server.getsockname()[:2]
        self._url = f"socket://{host}:{port}"

    def _accept_pending(self) -> int:
        """Accept every connection waiting in the backlog; return how many clients there are."""
        assert self._server is not None
        while True:
            try:
                client, _ = self._server.accept()
            except BlockingIOError:
                return len(self._clients)
            client.setblocking(True)
            self._clients.append(client)

    def _send_to_clients(self, data: bytes) -> None:
        for client in list(self._clients):
            try:
                client.sendall(data)
            except OSError:
                self._clients.remove(client)
                client.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:  # a pty may take a long line in pieces
        view = view[os.write(fd, view):]
