"""Driving the simulated devices from the kiosk's demo button (only when they are simulated)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.errors import AppError, define

from ..deps import DevicesDep

router = APIRouter(tags=["simulators"])

NOT_SIMULATED = define("sim.not_available", 404, "该设备不是模拟设备。",
                       "This device is not simulated.")
SIM_FAILED = define("sim.failed", 502, "模拟设备没有响应。", "The simulator did not respond.")


class InsertCard(BaseModel):
    resident: str = Field(default="1", max_length=32)


@router.post("/api/sim/idcard/card")
def insert_card(body: InsertCard, devices: DevicesDep) -> dict[str, Any]:
    """Place a demo resident's card on the simulated reader."""
    return _call(devices, "POST", "/devices/idcard/card", {"resident": body.resident})


@router.delete("/api/sim/idcard/card")
def remove_card(devices: DevicesDep) -> dict[str, Any]:
    """Take the card off the simulated reader."""
    return _call(devices, "DELETE", "/devices/idcard/card", None)


def _call(devices: DevicesDep, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
    if not devices.idcard_slot.simulated:
        raise AppError(NOT_SIMULATED)
    control = devices.sim_control_url()
    if control is None:
        raise AppError(SIM_FAILED, detail="no simulators registered")
    try:
        response = httpx.request(method, control + path, json=body, timeout=5)
    except httpx.HTTPError as err:
        raise AppError(SIM_FAILED, detail=str(err)) from err
    if response.status_code >= 400:
        raise AppError(SIM_FAILED, detail=response.text[:200])
    result: dict[str, Any] = response.json()
    return result
