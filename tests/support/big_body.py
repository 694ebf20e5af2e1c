"""Sending an oversized request body the way an attacker would, over a raw socket (an HTTP client
library stops at the first refused write and never shows the answer): streamed in chunks with no
Content-Length, or declared up front. And reading a process' peak memory."""

from __future__ import annotations

import json
import select
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    sent: int  # body bytes the server let through before it answered or closed


def post_chunked(url_host: str, port: int, path: str, total: int,
                 headers: dict[str, str] | None = None) -> Answer:
    """POST ``total`` bytes with Transfer-Encoding: chunked, stopping as soon as the server answers."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (f"POST {path} HTTP/1.1\r\nHost: {url_host}:{port}\r\nContent-Type: application/json\r\n"
            f"{extra}Transfer-Encoding: chunked\r\n\r\n").encode()
    frame = f"{CHUNK:x}\r\n".encode() + b"7" * CHUNK + b"\r\n"
    with socket.create_connection((url_host, port), timeout=10) as sock:
        sock.sendall(head)
        sent = 0
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(frame)
                sent += CHUNK
            else:
                if sent >= total:
                    sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the server stopped reading: its answer is waiting
        return Answer(*_read_answer(sock), sent)


def post_declared(url_host: str, port: int, path: str, length: int) -> Answer:
    """Send only the headers of a POST that declares ``length`` body bytes; read the answer."""
    head = (f"POST {path} HTTP/1.1\r\nHost: {url_host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    with socket.create_connection((url_host, port), timeout=10) as sock:
        sock.sendall(head)
        return Answer(*_read_answer(sock), 0)


def _read_answer(sock: socket.socket) -> tuple[int, dict[str, Any]]:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            raise AssertionError(f"the server closed without an answer: {data!r}")
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return int(lines[0].split()[1]), json.loads(body[:length] or b"{}")


def peak_rss(pid: int) -> int:
    """A process' peak resident memory so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")
