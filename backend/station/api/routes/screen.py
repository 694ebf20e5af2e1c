"""The kiosk UI hands back the screen capture the station asked it for (staff's "screenshot")."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.errors import AppError

from ...services.screen import BAD_CAPTURE
from ..deps import CapturesDep

router = APIRouter(tags=["screen"])


class CaptureBody(BaseModel):
    jpeg_base64: str = Field(min_length=8, max_length=600_000)


@router.post("/api/ui/captures/{capture_id}", status_code=204)
def deliver_capture(capture_id: str, body: CaptureBody, captures: CapturesDep) -> None:
    """Deliver a screen capture (JPEG) for a pending request."""
    try:
        jpeg = base64.b64decode(body.jpeg_base64, validate=True)
    except (binascii.Error, ValueError) as err:
        raise AppError(BAD_CAPTURE) from err
    captures.deliver(capture_id, jpeg)
