"""The optional photo step journeys share (我要反映, 小区议事堂): take a picture with the kiosk camera,
see it, use it, take it again, or go on without one. Says plainly when the camera is not working,
and the journey goes on. Kivy-free; the screens are ``kiosk.screens.photo``'s."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from ..errors import StationError
from ..i18n import N_
from ..state import Step
from .host import JourneyHost

log = logging.getLogger(__name__)

TAKING_PHOTO = N_("Taking the photo…")
NO_CAMERA = N_("The camera is not working just now. You can go on without a photo.")


class PhotoDraft(Protocol):
    """What a journey's draft holds of its photo (``RequestDraft``, ``CouncilState``)."""

    photo: bytes | None  # the photo to send
    preview: bytes | None  # a photo just taken, not yet accepted
    photo_problem: str | None  # msgid: why there is no photo
    idempotency_key: str | None  # a changed photo is a new confirmation


class CameraStep:
    """The photo step at ``step``; using a photo, or going on without one, goes to ``after``."""

    def __init__(self, host: JourneyHost, *, step: Step, after: Step,
                 draft: Callable[[], PhotoDraft]) -> None:
        self.host, self.step, self.after = host, step, after
        self._draft = draft

    @property
    def draft(self) -> PhotoDraft:
        return self._draft()

    def _here(self) -> bool:
        return self.host.state.step is self.step and not self.host.state.busy

    def take_photo(self) -> None:
        """Take a picture with the kiosk camera and show it to the resident."""
        if not self._here():
            return
        self.host.touch()
        self.draft.photo_problem, self.host.state.busy = None, TAKING_PHOTO
        self.host.changed()
        self.host.call(self.host.api.take_photo, self._taken)

    def _taken(self, jpeg: bytes | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or not jpeg:
            log.info("no photo: %s", error)
            self.draft.photo_problem = NO_CAMERA
        else:
            self.draft.preview = jpeg
        self.host.changed()

    def keep_photo(self) -> None:
        """Use the photo just taken."""
        draft = self.draft
        if self._here() and draft.preview:
            self.host.touch()
            draft.photo, draft.preview = draft.preview, None
            draft.idempotency_key = None
            self.host.go(self.after)

    def retake_photo(self) -> None:
        if self._here():
            self.draft.preview, self.draft.photo = None, None
            self.take_photo()

    def skip_photo(self) -> None:
        """Go on without a photo (and drop one taken before)."""
        draft = self.draft
        if self._here():
            self.host.touch()
            if draft.photo is not None or draft.preview is not None:
                draft.idempotency_key = None
            draft.photo, draft.preview = None, None
            self.host.go(self.after)

    def photo_next(self) -> None:
        """Go on: keeping a photo accepted before, or without one."""
        draft = self.draft
        if self._here() and draft.photo is not None and draft.preview is None:
            self.host.touch()
            self.host.go(self.after)
        else:
            self.skip_photo()
