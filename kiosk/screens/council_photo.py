"""小区议事堂, raising a proposal, step 3: a photo (optional) from the kiosk camera (the shared
``PhotoScreen``): what the proposal is about, for staff and neighbours to see."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_
from kiosk.journeys.camera import CameraStep, PhotoDraft

from .photo import PhotoScreen


class CouncilPhotoScreen(PhotoScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council: a photo (optional)")

    def draft(self) -> PhotoDraft:
        return self.flow.state.council

    def camera(self) -> CameraStep:
        return self.flow.council.camera
