"""The kiosk answers the station's screen-capture request with its picture, but never during a
visit, and a request without an id or a failed grab sends nothing."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.capture import answer_capture
from kiosk.runner import ImmediateRunner

JPEG = b"\xff\xd8jpeg"


class _Client:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def send_capture(self, capture_id: str, jpeg: bytes) -> None:
        self.sent.append((capture_id, jpeg))


def _grab_fails() -> bytes:
    raise ValueError("the window could not be captured")


@pytest.mark.parametrize(("event", "visit", "grab", "sent"), [
    ({"type": "ui.capture_requested", "data": {"id": "c1"}}, False, lambda: JPEG, [("c1", JPEG)]),
    ({"type": "ui.capture_requested", "data": {"id": "c1"}}, True, lambda: JPEG, []),
    ({"type": "ui.capture_requested", "data": {}}, False, lambda: JPEG, []),
    ({"type": "ui.capture_requested", "data": {"id": "c1"}}, False, _grab_fails, []),
])
def test_answer_only_outside_a_visit(event: dict[str, Any], visit: bool, grab: Any,
                                     sent: list[tuple[str, bytes]]) -> None:
    client = _Client()
    answered = answer_capture(event, grab=grab, client=client, runner=ImmediateRunner(),  # type: ignore[arg-type]
                              visit_under_way=visit)
    assert client.sent == sent and answered is bool(sent)
