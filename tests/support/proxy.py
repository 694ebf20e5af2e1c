"""A TCP proxy between a station and the platform that the test steers: pass traffic, refuse
connections (the platform looks down), drop responses after the platform has answered (a lost
acknowledgement), or hold them (the station is waiting when it gets killed)."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

PASS, REFUSE, DROP, HOLD = "pass", "refuse", "drop", "hold"
_METHODS = {b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD"}


@dataclass
class Proxy:
    upstream_port: int
    port: int = 0
    mode: str = PASS
    swallowed: int = 0  # responses the platform sent that never reached the station
    swallowed_requests: list[str] = field(default_factory=list)  # their request lines
    swallowed_answers: list[str] = field(default_factory=list)  # and their status lines
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _thread: threading.Thread | None = None
    _server: asyncio.base_events.Server | None = None
    _held: list[asyncio.StreamWriter] = field(default_factory=list)
    _open: set[asyncio.StreamWriter] = field(default_factory=set)  # connections to the station

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Proxy:
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._serve, "127.0.0.1", self.port))
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    def stop(self) -> None:
        def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            self._release()
            self._loop.stop()

        self._loop.call_soon_threadsafe(shutdown)
        assert self._thread is not None
        self._thread.join(5)

    def set(self, mode: str) -> None:
        """Change what happens to new traffic; leaving HOLD closes the held connections, and
        REFUSE also closes the open ones: a kept-alive connection must not outlive the outage."""
        self.mode = mode
        if mode != HOLD:
            self._loop.call_soon_threadsafe(self._release)
        if mode == REFUSE:
            self._loop.call_soon_threadsafe(self._close_open)

    def wait_swallowed(self, count: int, timeout: float = 20, request: str = "", status: str = "") -> None:
        """Wait until ``count`` answers to requests starting with ``request`` (any by default:
        heartbeats and change polls pass through the same proxy), with a status line containing
        ``status`` (e.g. "200": the platform applied the batch, not refused it), were swallowed."""
        deadline = time.monotonic() + timeout
        while sum(line.startswith(request) and status in answer
                  for line, answer in zip(self.swallowed_requests, self.swallowed_answers,
                                          strict=False)) < count:
            assert time.monotonic() < deadline, (
                f"swallowed only {list(zip(self.swallowed_requests, self.swallowed_answers, strict=False))}")
            time.sleep(0.02)

    def _release(self) -> None:
        for writer in self._held:
            writer.close()
        self._held.clear()

    def _close_open(self) -> None:
        for writer in list(self._open):
            writer.close()
        self._open.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == REFUSE:
            writer.close()
            return
        self._open.add(writer)
        try:
            await self._relay(reader, writer)
        finally:
            self._open.discard(writer)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        request_line = [""]  # the latest request on this kept-alive connection names the answer
        await asyncio.gather(self._pipe(reader, up_writer, request_line),
                             self._answer(up_reader, writer, up_writer, request_line),
                             return_exceptions=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request_line: list[str]) -> None:
        try:
            while data := await reader.read(65536):
                if data.split(b" ", 1)[0] in _METHODS:
                    request_line[0] = data.split(b"\r\n", 1)[0].decode("latin-1")
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def _answer(self, up_reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      up_writer: asyncio.StreamWriter, request_line: list[str]) -> None:
        while data := await up_reader.read(65536):
            if self.mode in (DROP, HOLD):
                self.swallowed += 1
                self.swallowed_answers.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                self.swallowed_requests.append(request_line[0])
                up_writer.close()
                if self.mode == HOLD:
                    self._held.append(writer)  # the station keeps waiting for an answer
                else:
                    writer.close()
                return
            writer.write(data)
            await writer.drain()
        writer.close()
