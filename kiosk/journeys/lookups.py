"""Look the identified resident up in one register and show the answer's screen.

Several journeys begin the same way once the resident is identified: ask the station about them
(their building's group, their volunteer record…) and show one screen. One refusal is an answer,
not a fault — "you are not in the register", "your building has no group yet" — and that same
screen says it plainly; any other error is the error screen with "Try again".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..errors import StationError
from ..records import Text
from ..state import Step
from .host import JourneyHost

T = TypeVar("T")


def look_up_identified(host: JourneyHost, *, fetch: Callable[[str], T], busy: str, refusal: str,
                       show: Callable[[T | None, Text | None], None], step: Step,
                       retry: Callable[[], None]) -> None:
    """``fetch(session_id)``, then ``show(found, None)`` or ``show(None, why)`` and go to ``step``."""
    session_id = host.state.session_id
    if session_id is None:
        return
    host.state.busy = busy
    host.changed()

    def done(found: T | None, error: StationError | None) -> None:
        host.state.busy = None
        if error is not None and error.code == refusal:
            show(None, Text.of(error.message))
        elif error is not None or found is None:
            host.set_retry(retry)
            host.fail(error)
            return
        else:
            show(found, None)
        host.go(step)

    host.call(lambda: fetch(session_id), done)
