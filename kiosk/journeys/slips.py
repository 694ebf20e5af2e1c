"""Record something, then print its slip: the record stands even when the printer fails.

Sign-ups, filings and proposals are kept by the station the moment they are made; a printer fault
after that must not turn into an error screen that invites a second try (the idempotency key would
return the same record, but the resident would think it failed). So the slip's failure travels
beside the record, and the done screen says the slip did not print and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ..errors import StationError
from ..records import Text

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Slipped(Generic[T]):
    record: T
    slip_error: StationError | None = None


class SlipOutcome(Protocol):
    """The part of a journey's state that the done screen reads about the slip."""

    slip_printed: bool
    slip_problem: Text | None


def record_then_print(record: Callable[[], T], print_slip: Callable[[T], object], what: str) -> Slipped[T]:
    """``record()``, then ``print_slip(recorded)``; a printer fault is returned, not raised."""
    recorded = record()
    try:
        print_slip(recorded)
    except StationError as err:  # recorded all the same: say the slip did not print
        log.warning("%s slip not printed: %s", what, err)
        return Slipped(recorded, err)
    return Slipped(recorded)


def note_slip(outcome: SlipOutcome, slip_error: StationError | None) -> None:
    outcome.slip_printed = slip_error is None
    outcome.slip_problem = Text.of(slip_error.message) if slip_error is not None else None
