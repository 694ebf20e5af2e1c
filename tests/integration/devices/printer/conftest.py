"""Wire-level printer peers for the driver's tests: a TCP server and a pseudo-terminal that record
every byte and answer DLE EOT n and GS r 1 the way an ESC/POS printer does (real-time answers
at once, GS r only while the printer is printing, i.e. not out of paper).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest

HEALTHY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}  # offline, stopped at paper end, both sensors
PAPER_LOW = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
JAMMED = {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}


class Responder:
    """The printer's side of the protocol, fed one stream of bytes."""

    def __init__(self) -> None:
        self.status = dict(HEALTHY)
        self.silent = False  # accepts bytes, never answers ("offline" fault)
        self.answer_gs_r = True  # False: a printer without GS r
        self.paper_out_after: int | None = None  # run out after this many bytes on a connection
        self.greeting = b""  # sent unasked when a connection opens (stale bytes)
        self.drop = False  # close every connection at once
        self.reset = False  # with drop: close with a reset (RST, as a power-cycled printer) not a FIN
        self.connections: list[bytearray] = []
        self.lock = threading.Lock()

    def open(self) -> bytearray:
        """Register a new connection; its record appears in ``connections``."""
        record = bytearray()
        with self.lock:
            self.connections.append(record)
        return record

    def feed(self, record: bytearray, data: bytes) -> bytes:
        """Record bytes; return what the printer answers to them."""
        answers = bytearray()
        for byte in data:
            with self.lock:
                record.append(byte)
            if self.paper_out_after is not None and len(record) >= self.paper_out_after:
                self.status = dict(PAPER_OUT)
            answers += self._answer(record[-3:])
        return b"" if self.silent else bytes(answers)

    def _answer(self, last: bytearray) -> bytes:
        if len(last) == 3 and last[:2] == b"\x10\x04" and last[2] in self.status:
            return bytes((self.status[last[2]],))
        if last == b"\x1dr\x01" and self.answer_gs_r and not self.status[4] & 0x60:
            return b"\x03" if self.status[4] & 0x0C else b"\x00"
        return b""

    @property
    def received(self) -> bytes:
        with self.lock:
            return b"".join(bytes(c) for c in self.connections)


class TcpPeer(Responder):
    """A network printer on a loopback port."""

    def __init__(self) -> None:
        super().__init__()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self._sockets.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            if self.drop:
                self.open()
                if self.reset:  # a zero linger time makes close() send RST
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            conn.sendall(self.greeting)  # before registering: a test waiting for the
            record = self.open()  # connection to appear knows the greeting is on its way
            while data := _recv(conn):
                conn.sendall(self.feed(record, data))

    def close(self) -> None:
        for sock in (self.server, *self._sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the threads blocked in accept/recv
        self.server.close()
        for thread in self._threads:
            thread.join(timeout=2)


def _recv(conn: socket.socket) -> bytes:
    try:
        return conn.recv(65536)
    except OSError:
        return b""


class PtyPeer(Responder):
    """A serial printer behind a pseudo-terminal (the driver opens serial:///dev/pts/N)."""

    def __init__(self) -> None:
        super().__init__()
        self.master, self._slave = os.openpty()
        self.path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        record = self.open()
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                os.write(self.master, self.feed(record, os.read(self.master, 65536)))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self.master)
        os.close(self._slave)


def _wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)  # polling I/O done by another thread, with a deadline


@pytest.fixture
def wait_until() -> Callable[..., None]:
    """Poll until a condition holds (I/O in a peer thread), failing after a deadline."""
    return _wait_until


@pytest.fixture
def peer() -> Iterator[TcpPeer]:
    server = TcpPeer()
    yield server
    server.close()


@pytest.fixture
def pty_peer() -> Iterator[PtyPeer]:
    peer = PtyPeer()
    yield peer
    peer.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
