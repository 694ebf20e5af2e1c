"""我要反映: a photo (optional) from the kiosk camera (the shared ``PhotoScreen``)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_
from kiosk.journeys.camera import CameraStep, PhotoDraft

from .photo import PhotoScreen


class RequestPhotoScreen(PhotoScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: a photo (optional)")

    def draft(self) -> PhotoDraft:
        return self.flow.state.request

    def camera(self) -> CameraStep:
        return self.flow.requests.camera
