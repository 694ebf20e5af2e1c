"""The station's API refuses bodies over 1 MiB before the token check or any parsing: a streamed
body is cut off at the limit (413), and the station's memory does not grow by its size."""

from __future__ import annotations

from urllib.parse import urlsplit

from support.big_body import MiB, peak_rss, post_chunked, post_declared
from support.stack import Station


def _refused(status: int, body: dict[str, object]) -> None:
    assert status == 413, body
    assert body["code"] == "request.too_large"
    message = body["message"]
    assert isinstance(message, dict) and message["zh"] and message["en"]


def test_a_streamed_body_is_cut_off_and_a_declared_one_refused_up_front(running_station: Station) -> None:
    port = urlsplit(running_station.url).port
    assert port is not None
    pid = running_station.process.popen.pid
    before = peak_rss(pid)
    # With the caller's token: without it the station answers 401 before reading any body.
    answer = post_chunked("127.0.0.1", port, "/api/sessions", 64 * MiB, headers=running_station.auth.header())
    _refused(answer.status, answer.body)
    assert answer.sent < 32 * MiB
    grown = peak_rss(pid) - before
    assert grown < 16 * MiB, f"the station's peak memory grew by {grown // MiB} MiB"
    declared = post_declared("127.0.0.1", port, "/api/ui/captures/x", 2 * MiB)
    _refused(declared.status, declared.body)
