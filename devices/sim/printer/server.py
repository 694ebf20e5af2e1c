"""A raw TCP printing port (like port 9100): one thread per connection, prompt shutdown.

The server knows nothing about ESC/POS; it hands each connection to a serve function and can
drop every connection at once (the ``drop_connection`` fault) or on stop. Connections take turns
as on a real printer: one starts reading only when every earlier connection has nothing left to
read, so a client that closes one connection and opens the next is served in that order, while a
connection left open and idle (a status poller) does not block the others.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import select
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class TurnOrder:
    """Which connections still have bytes to read, so later ones wait for earlier ones."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._serials = itertools.count(1)
        self._open: dict[int, Connection] = {}

    def register(self, conn: Connection) -> int:
        """Number a new connection; it counts as busy until its reader finds nothing to read."""
        with self._changed:
            serial = next(self._serials)
            self._open[serial] = conn
            return serial

    def changed(self) -> None:
        """Wake connections waiting for their turn to look again."""
        with self._changed:
            self._changed.notify_all()

    def done(self, serial: int) -> None:
        with self._changed:
            self._open.pop(serial, None)
            self._changed.notify_all()

    def wait_turn(self, serial: int, interrupt: threading.Event) -> None:
        """Wait until no earlier connection has bytes left to read (or interrupt is set)."""
        with self._changed:
            self._changed.wait_for(lambda: interrupt.is_set() or not any(
                conn.busy for other, conn in self._open.items() if other < serial))


class Connection:
    """One client connection, which another thread may drop at any time."""

    def __init__(self, sock: socket.socket, peer: tuple[str, int], turns: TurnOrder) -> None:
        self.sock = sock
        self.peer = peer
        self.drop_reason: str | None = None
        self.closing = threading.Event()  # set when dropped: wakes waiting and throttled readers
        self._wake_r, self._wake_w = socket.socketpair()
        self._waiting = False  # the reader is blocked for want of bytes
        self._turns = turns
        self.serial = turns.register(self)

    @property
    def busy(self) -> bool:
        """Return True while this connection has bytes its reader has not taken yet."""
        return not self._waiting or self._ready(0)

    def wait_turn(self) -> None:
        """Wait until every earlier connection has been read to its end or is idle."""
        self._turns.wait_turn(self.serial, self.closing)

    def recv(self, size: int) -> bytes:
        """Return the next bytes, or b"" at end of stream or once dropped."""
        if not self._ready(0):
            self._waiting = True  # nothing to read: later connections may go
            self._turns.changed()
            self._ready(None)
            self._waiting = False
        if self.closing.is_set():
            return b""
        return self.sock.recv(size)

    def _ready(self, timeout: float | None) -> bool:
        try:
            readable, _, _ = select.select([self.sock, self._wake_r], [], [], timeout)
        except (OSError, ValueError):  # closed meanwhile
            return True
        return bool(readable)

    def send(self, data: bytes) -> None:
        """Send bytes back to the client (not once the connection is dropped)."""
        if not self.closing.is_set():
            self.sock.sendall(data)

    def drop(self, reason: str) -> None:
        """Abort the connection: the reader stops at once and the client sees a reset."""
        self.drop_reason = self.drop_reason or reason
        self.closing.set()
        self._turns.changed()
        with contextlib.suppress(OSError):
            # Linger 0 turns the close that follows into a RST instead of an orderly FIN.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self._wake_w.send(b"x")

    def hang_up(self) -> None:
        """Close the socket now (a reset if dropped); the connection keeps its turn."""
        with contextlib.suppress(OSError):
            self.sock.close()

    def close(self) -> None:
        """Close the socket and let later connections go."""
        self.hang_up()
        self._wake_r.close()
        self._wake_w.close()
        self._turns.done(self.serial)


Serve = Callable[[Connection], None]


class RawPortServer:
    """Listen on host:port and serve each connection on its own thread."""

    def __init__(self, host: str, port: int, serve: Serve) -> None:
        self._serve = serve
        self._listener = socket.create_server((host, port), backlog=16)
        self._wake_r, self._wake_w = socket.socketpair()
        self._lock = threading.Lock()
        self._turns = TurnOrder()
        self._connections: set[Connection] = set()
        self._threads: set[threading.Thread] = set()
        self._acceptor: threading.Thread | None = None
        self._stopping = False

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._listener.getsockname()[:2]
        return host, port

    @property
    def active(self) -> int:
        with self._lock:
            return len(self._connections)

    def start(self) -> None:
        """Start accepting connections."""
        self._acceptor = threading.Thread(target=self._accept_loop, name="sim-printer-accept",
                                          daemon=True)
        self._acceptor.start()

    def drop_all(self, reason: str) -> int:
        """Abort every open connection; return how many there were."""
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.drop(reason)
        return len(connections)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, abort open connections and wait for their threads."""
        with self._lock:
            self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        if self._acceptor is not None:
            self._acceptor.join(timeout)
        self.drop_all("server_stopped")
        deadline = time.monotonic() + timeout
        for thread in self._thread_list():
            thread.join(max(0.0, deadline - time.monotonic()))
        for sock in (self._listener, self._wake_r, self._wake_w):
            sock.close()

    def _thread_list(self) -> list[threading.Thread]:
        with self._lock:
            return list(self._threads)

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping:
                ready = {key.fileobj for key, _ in selector.select()}
                if self._wake_r in ready or self._stopping:
                    return
                self._accept()

    def _accept(self) -> None:
        try:
            sock, peer = self._listener.accept()
        except OSError as err:
            log.warning("simulated printer: accept failed: %s", err)
            return
        conn = Connection(sock, peer, self._turns)
        thread = threading.Thread(target=self._run, args=(conn,), daemon=True,
                                  name=f"sim-printer-{peer[1]}")
        with self._lock:
            if self._stopping:
                conn.close()
                return
            self._connections.add(conn)
            self._threads.add(thread)
        thread.start()

    def _run(self, conn: Connection) -> None:
        try:
            self._serve(conn)
        except Exception:
            log.exception("simulated printer: connection from %s failed", conn.peer)
        finally:
            conn.close()
            with self._lock:
                self._connections.discard(conn)
                self._threads.discard(threading.current_thread())
