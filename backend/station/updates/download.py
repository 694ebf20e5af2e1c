"""Downloading a release bundle in the background: resumable (HTTP Range from what is on disk),
rate-limited (a kiosk on a thin line keeps serving residents), checked against the size and
SHA-256 the platform announced before it is renamed into place."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx

from backend.shared.errors import AppError

from .errors import DOWNLOAD_FAILED

CHUNK = 64 * 1024
# Opens the bundle from a byte offset: a streamed response (206 for a range, 200 for all of it).
Opener = Callable[[int], AbstractContextManager[httpx.Response]]


class RateLimit:
    """Sleeps so that the average stays at or below ``per_second`` bytes (0: no limit)."""

    def __init__(self, per_second: int, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second, self._sleep, self._clock = per_second, sleep, clock
        self._started = clock()
        self._sent = 0

    def took(self, count: int) -> None:
        if self.per_second <= 0:
            return
        self._sent += count
        ahead = self._sent / self.per_second - (self._clock() - self._started)
        if ahead > 0:
            self._sleep(ahead)


def download(open_from: Opener, target: Path, *, size: int, sha256: str, rate: int = 0,
             stop: Callable[[], bool] = lambda: False) -> Path:
    """Fetch into ``target`` (resuming ``target.part``); return ``target`` once whole and checked."""
    if target.exists():
        return target
    part = target.with_name(target.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    if have > size:
        part.unlink()
        have = 0
    limit = RateLimit(rate)
    if have < size:
        with open_from(have) as response:
            if response.status_code == 200:
                have = 0  # the server sent it all: start over
            elif response.status_code != 206:
                raise AppError(DOWNLOAD_FAILED, detail=f"HTTP {response.status_code}")
            with open(part, "ab" if have else "wb") as out:
                for chunk in _chunks(response):
                    out.write(chunk)
                    limit.took(len(chunk))
                    if stop():
                        out.flush()
                        raise AppError(DOWNLOAD_FAILED, detail="stopped; resumes later")
                out.flush()
    if part.stat().st_size != size or _sha256(part) != sha256:
        part.unlink(missing_ok=True)  # corrupt: the next try starts over
        raise AppError(DOWNLOAD_FAILED, detail="size or SHA-256 differs from the platform's")
    part.replace(target)
    return target


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes(CHUNK)
    except httpx.HTTPError as err:
        raise AppError(DOWNLOAD_FAILED, detail=f"interrupted: {err}") from err


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
