"""A register workbook that unpacks to a million rows is refused at the row limit, without the
platform holding the whole file in memory, and the platform keeps answering while it reads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from backend.shared.register_file import COLUMNS
from support.platform_stack import Platform
from support.xlsx import repeated_rows, sheet_rows, workbook

BASE = "/api/staff/communities/460107002001/register"
MiB = 1024 * 1024


def _peak_rss(pid: int) -> int:
    """The process' peak resident memory so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_a_million_row_workbook_is_refused_at_the_limit_while_health_answers(platform: Platform) -> None:
    data = workbook(sheet_rows(repeated_rows(list(COLUMNS), ["1"], 1_000_000)))
    assert len(data) < MiB  # small on the wire (and under the unpacked cap): the danger is its length
    assert platform.process is not None
    pid = platform.process.popen.pid
    before = _peak_rss(pid)
    answers: list[tuple[float, int]] = []  # (when it came back, status) of /api/health
    uploading = threading.Event()

    def watch_health() -> None:
        with httpx.Client(base_url=platform.url, timeout=30) as client:
            while uploading.is_set():
                status = client.get("/api/health").status_code
                answers.append((time.monotonic(), status))
                time.sleep(0.05)

    uploading.set()
    watcher = threading.Thread(target=watch_health)
    with platform.staff() as staff:
        watcher.start()
        try:
            refused = staff.post(BASE, files={"file": ("register.xlsx", data, "application/octet-stream")})
            done = time.monotonic()
        finally:
            uploading.clear()
            watcher.join()
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "register.rejected"
    assert [r["reason"] for r in body["context"]["rejected"]] == ["too_many_rows"]
    assert body["context"]["rejected"][0]["message"]["zh"]
    # /api/health answered while the workbook was being read, not only after.
    during = [status for at, status in answers if at < done]
    assert during and set(during) == {200}, answers[:5]
    # Reading stopped at the limit: nowhere near the ~450 MiB the whole million rows took.
    grown = _peak_rss(pid) - before
    assert grown < 250 * MiB, f"the platform's peak memory grew by {grown // MiB} MiB"
