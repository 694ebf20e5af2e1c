"""``JourneyHost``: what a journey may use of the visit that runs it (``kiosk.visit.flow.KioskFlow``
is one; a test may pass another). A journey reaches nothing else of the flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from ..client import StationApi
from ..clock import Clock
from ..dialogs import EntryKind
from ..errors import StationError
from ..state import FlowState, RatingTarget, Step

Done = Callable[[Any, StationError | None], None]


class JourneyHost(Protocol):
    state: FlowState
    api: StationApi
    clock: Clock
    today: Callable[[], dt.date]

    # ---- the screen and the visit's timers ----
    def touch(self) -> None: ...  # the resident did something: the idle timer starts again
    def go(self, step: Step) -> None: ...  # show ``step``'s screen
    def changed(self) -> None: ...  # the state changed: render it
    def open_entry(self, kind: EntryKind, prompt: str, field: str, text: str = "") -> None: ...

    # ---- station calls ----
    def call(self, call: Callable[[], Any], done: Done, *, generation_bound: bool = True) -> None: ...
    def new_key(self) -> str: ...  # a fresh idempotency key (one per confirmation)
    def fail(self, error: StationError | None) -> None: ...  # the error screen, with retry if set
    def set_retry(self, retry: Callable[[], None] | None) -> None: ...  # what "Try again" does

    # ---- a session and who the resident is ----
    def begin(self, service: str, load: Callable[[], Any], loaded: Callable[[Any], None]) -> None: ...
    def await_identity(self) -> None: ...
    def after_identity(self) -> None: ...

    # ---- leaving ----
    def home(self) -> None: ...
    def request_home(self) -> None: ...
    def forget_visit(self) -> None: ...
    def conclude(self) -> None: ...
    def offer_rating(self, target: RatingTarget) -> None: ...
