"""Serial lines for a simulated device: a pseudo-terminal pair or a TCP socket on loopback.

Both deliver request frames to a responder and send its answers back no faster than the baud
rate allows (bytes × 10 / baud seconds), so timing seen by a driver is realistic.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from typing import Protocol

from devices.idcard.protocol import FrameError, FrameReader, wire_seconds

log = logging.getLogger(__name__)

Responder = Callable[[bytes | None], bytes | None]  # payload (None: bad checksum) -> bytes to send
POLL = 0.05  # how often serving threads look at the stop flag
CHUNK = 32  # bytes handed to the OS at once while pacing (about 2.8 ms at 115200 baud)
SEND_GIVE_UP = 2.0  # a peer that reads nothing for this long loses the rest of a reply


class Channel(Protocol):
    def recv(self, timeout: float) -> bytes | None:
        """Return bytes received (b"" if none came), or None when the peer has gone."""
        ...

    def send(self, data: bytes) -> bool:
        """Send all bytes; False when the peer has gone or stopped reading."""
        ...


def serve(channel: Channel, respond: Responder, baudrate: int, stop: threading.Event) -> None:
    """Answer request frames on a channel until it closes or stop is set."""
    frames = FrameReader()
    while not stop.is_set():
        data = channel.recv(POLL)
        if data is None:
            return
        frames.feed(data)
        for size, payload in _requests(frames):
            time.sleep(wire_seconds(size, baudrate))  # the request's own time on the line
            answer = respond(payload)
            if answer and not paced_send(channel, answer, baudrate, stop):
                return


def _requests(frames: FrameReader) -> list[tuple[int, bytes | None]]:
    """Return (frame size, payload) of each complete frame; payload None for a bad checksum."""
    found: list[tuple[int, bytes | None]] = []
    while True:
        try:
            payload = frames.next_frame()
        except FrameError:
            found.append((8, None))
            continue
        if payload is None:
            return found
        found.append((len(payload) + 8, payload))


def paced_send(channel: Channel, data: bytes, baudrate: int, stop: threading.Event) -> bool:
    """Send data chunk by chunk, each when its last byte would have crossed the line."""
    start = time.monotonic()
    for offset in range(0, len(data), CHUNK):
        chunk = data[offset:offset + CHUNK]
        delay = start + wire_seconds(offset + len(chunk), baudrate) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if stop.is_set() or not channel.send(chunk):
            return False
    return True


class PtyChannel:
    """The master side of a pseudo-terminal; the driver opens the slave path."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no CR/LF translation, no XON/XOFF: bytes pass as is
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self._slave)

    def recv(self, timeout: float) -> bytes | None:
        readable, _, _ = select.select([self.master], [], [], timeout)
        if not readable:
            return b""
        try:
            return os.read(self.master, 4096)
        except BlockingIOError:
            return b""
        except OSError:
            # EIO: no slave is open. We keep one open ourselves, so only on shutdown.
            time.sleep(timeout)
            return b""

    def send(self, data: bytes) -> bool:
        view = memoryview(data)
        while view:
            _, writable, _ = select.select([], [self.master], [], SEND_GIVE_UP)
            if not writable:
                return False
            try:
                view = view[os.write(self.master, view):]
            except BlockingIOError:
                continue
            except OSError:
                return False
        return True

    def close(self) -> None:
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class SocketChannel:
    """One accepted TCP connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(SEND_GIVE_UP)

    def recv(self, timeout: float) -> bytes | None:
        readable, _, _ = select.select([self.sock], [], [], timeout)
        if not readable:
            return b""
        try:
            data = self.sock.recv(4096)
        except OSError:
            return None
        return data or None

    def send(self, data: bytes) -> bool:
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class PtyServer:
    """Serves a responder on a pseudo-terminal; ``url`` is the slave's /dev/pts/N path."""

    def __init__(self, respond: Responder, baudrate: int) -> None:
        self._respond, self._baudrate = respond, baudrate
        self._stop = threading.Event()
        self._channel = PtyChannel()
        self._thread = threading.Thread(target=self._run, name="sim-pty", daemon=True)

    @property
    def url(self) -> str:
        return self._channel.path

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        serve(self._channel, self._respond, self._baudrate, self._stop)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._channel.close()


class TcpServer:
    """Serves a responder on 127.0.0.1; ``url`` is socket://127.0.0.1:PORT (a pyserial URL)."""

    def __init__(self, respond: Responder, baudrate: int, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self._respond, self._baudrate = respond, baudrate
        self._stop = threading.Event()
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(POLL)
        self._threads: list[threading.Thread] = []
        self._channels: list[SocketChannel] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"socket://{host}:{port}"

    def start(self) -> None:
        self._spawn(self._accept_loop, "sim-tcp-accept")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            channel = SocketChannel(sock)
            with self._lock:
                self._channels.append(channel)
            self._spawn(functools.partial(self._serve, channel), "sim-tcp-conn")

    def _serve(self, channel: SocketChannel) -> None:
        try:
            serve(channel, self._respond, self._baudrate, self._stop)
        finally:
            channel.close()
            with self._lock:
                self._channels.remove(channel)

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=5)
