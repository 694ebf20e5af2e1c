"""Request bodies have a ceiling, enforced before anything reads or verifies them: an
unauthenticated 128 MiB stream to the sync endpoint is cut off at its limit with a 413, and the
platform's memory does not grow by the body's size."""

from __future__ import annotations

from backend.shared.protocol import MAX_BATCH_BYTES
from support.big_body import MiB, peak_rss, post_chunked, post_declared
from support.platform_stack import Platform


def _refused(answer_status: int, body: dict[str, object]) -> None:
    assert answer_status == 413, body
    assert body["code"] == "request.too_large"
    message = body["message"]
    assert isinstance(message, dict) and message["zh"] and message["en"]


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(platform: Platform) -> None:
    assert platform.process is not None
    pid = platform.process.popen.pid
    before = peak_rss(pid)
    answer = post_chunked("127.0.0.1", platform.port, "/api/sync/events", 128 * MiB)
    _refused(answer.status, answer.body)
    assert answer.sent < 64 * MiB  # refused on the way, not after the whole body
    grown = peak_rss(pid) - before
    assert grown < 32 * MiB, f"the platform's peak memory grew by {grown // MiB} MiB"


def test_a_declared_length_over_the_limit_is_refused_before_the_body(platform: Platform) -> None:
    answer = post_declared("127.0.0.1", platform.port, "/api/sync/events", 512 * MiB)
    _refused(answer.status, answer.body)
    answer = post_declared("127.0.0.1", platform.port, "/api/auth/login", 2 * MiB)  # the default: 1 MiB
    _refused(answer.status, answer.body)


def test_routes_that_expect_more_take_more(platform: Platform) -> None:
    # Under their own limits these reach the application (which refuses them for other reasons).
    with platform.staff() as staff:
        upload = staff.post("/api/staff/communities/460107002001/register",
                            files={"file": ("register.csv", b"x" * (2 * MiB), "text/csv")})
        assert upload.status_code == 422 and upload.json()["code"] == "register.rejected"
    events = post_chunked("127.0.0.1", platform.port, "/api/sync/events", MAX_BATCH_BYTES - MiB)
    assert events.status in (400, 401, 422), events.body  # not JSON, not signed: but not too large
    assert events.sent == MAX_BATCH_BYTES - MiB
