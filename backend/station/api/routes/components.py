"""The devices as CUSS-style components: their description and live status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from backend.shared.errors import NOT_FOUND, AppError

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
