"""Answering the station's request for a picture of the screen (staff's remote "screenshot").

The station asks only when no resident is using the kiosk; the kiosk checks again itself and
stays silent while a visit is under way (the station then reports that nobody answered). Kivy-free:
the app hands in ``grab``, which draws the window and returns it as a JPEG.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .client import StationClient
from .errors import StationError
from .runner import Runner

log = logging.getLogger(__name__)
CAPTURE_REQUESTED = "ui.capture_requested"


def answer_capture(event: dict[str, Any], *, grab: Callable[[], bytes], client: StationClient,
                   runner: Runner, visit_under_way: bool) -> bool:
    """Send the screen for a capture request (on the UI thread); return whether it was sent."""
    capture_id = str((event.get("data") or {}).get("id", ""))
    if not capture_id or visit_under_way:
        return False
    try:
        jpeg = grab()
    except (OSError, ValueError) as err:
        log.warning("the screen could not be captured: %s", err)
        return False
    runner.submit(lambda: client.send_capture(capture_id, jpeg), _logged)
    return True


def _logged(_value: Any, error: StationError | None) -> None:
    if error is not None:
        log.warning("the screen capture was not delivered: %s", error.code)
