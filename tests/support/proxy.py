"""A TCP proxy between a station and the platform that the test steers: pass traffic, refuse
connections (the platform looks down), drop responses after the platform has answered (a lost
acknowledgement), or hold them (the station is waiting when it gets killed)."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

PASS, REFUSE, DROP, HOLD = "pass", "refuse", "drop", "hold"


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
        """Change what happens to new traffic; leaving HOLD closes the held connections."""
        self.mode = mode
        if mode != HOLD:
            self._loop.call_soon_threadsafe(self._release)

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

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == REFUSE:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        first = await reader.read(65536)  # the request line names what is being answered
        request_line = first.split(b"\r\n", 1)[0].decode("latin-1")
        up_writer.write(first)
        await asyncio.gather(self._pipe(reader, up_writer),
                             self._answer(up_reader, writer, up_writer, request_line),
                             return_exceptions=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def _answer(self, up_reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      up_writer: asyncio.StreamWriter, request_line: str) -> None:
        while data := await up_reader.read(65536):
            if self.mode in (DROP, HOLD):
                self.swallowed += 1
                self.swallowed_answers.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                self.swallowed_requests.append(request_line)
                up_writer.close()
                if self.mode == HOLD:
                    self._held.append(writer)  # the station keeps waiting for an answer
                else:
                    writer.close()
                return
            writer.write(data)
            await writer.drain()
        writer.close()
