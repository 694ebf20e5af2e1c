"""The devices as CUSS-style components: their description and live status."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import NOT_FOUND, AppError
from devices.errors import DeviceError

from ...device_errors import device_app_error
from ..deps import DevicesDep

router = APIRouter(tags=["components"])


@router.get("/api/components")
def list_components(devices: DevicesDep) -> list[dict[str, Any]]:
    """List every component with its status."""
    return devices.snapshot()


@router.get("/api/components/{component_id}")
def get_component(component_id: str, devices: DevicesDep) -> dict[str, Any]:
    """Return one component."""
    component = devices.components.get(component_id)
    if component is None:
        raise AppError(NOT_FOUND, detail=component_id)
    return component.snapshot()


@router.post("/api/components/{component_id}/refresh")
def refresh_component(component_id: str, devices: DevicesDep) -> dict[str, Any]:
    """Poll a component now and return its fresh status."""
    if component_id not in devices.components:
        raise AppError(NOT_FOUND, detail=component_id)
    devices.refresh(component_id)
    return devices.components[component_id].snapshot()


@router.post("/api/camera/photo")
async def take_photo(devices: DevicesDep) -> dict[str, Any]:
    """A photo from the kiosk camera (JPEG, base64) for the resident to attach to a request."""
    try:
        jpeg = await run_in_threadpool(devices.photo)
    except DeviceError as err:
        raise device_app_error("camera", err) from err
    return {"jpeg_base64": base64.b64encode(jpeg).decode(), "bytes": len(jpeg)}
