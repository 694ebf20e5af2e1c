"""A photo (optional) from the kiosk camera — take it, see it, use it, take it again, or go on
without one; says plainly when the camera is not working. The layout (photo.kv) and behaviour the
journeys' photo steps share (我要反映's request_photo, 小区议事堂's council_photo): a subclass says
whose draft it shows and whose ``CameraStep`` (``kiosk.journeys.camera``) its buttons drive."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import _
from kiosk.journeys.camera import CameraStep, PhotoDraft

from .base import KioskScreen, load_kv

load_kv(__file__)


class PhotoScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self._shown: bytes | None = None

    def draft(self) -> PhotoDraft:
        raise NotImplementedError

    def camera(self) -> CameraStep:
        raise NotImplementedError

    def take(self) -> None:
        """Take a photo, or take it again (dropping the one taken)."""
        draft = self.draft()
        if draft.preview or draft.photo:
            self.camera().retake_photo()
        else:
            self.camera().take_photo()

    def render(self) -> None:
        draft, ids = self.draft(), self.ids
        picture = draft.preview or draft.photo
        if picture is not self._shown:
            self._shown = picture
            ids.preview.show_jpeg(picture)
        has = picture is not None
        ids.prompt.text = (_("Is the photo clear? Use it, or take it again.") if draft.preview
                           else _("You can add a photo from the camera above the screen. Hold the "
                                  "thing to show in front of it."))
        ids.problem.text = _(draft.photo_problem) if draft.photo_problem else ""
        ids.take.text = _("Take it again") if has else _("Take a photo")
        ids.use.opacity, ids.use.disabled = (1, False) if draft.preview else (0, True)
        ids.skip.text = _("Go on without a photo") if not draft.photo else _("Keep this photo")
        ids.placeholder.opacity = 0 if has else 1

    def on_leave(self, *_args: Any) -> None:
        self._shown = None
        self.ids.preview.show_jpeg(None)  # personal: never left on a hidden screen
