"""Driving the simulated devices from the kiosk's demo button (only when they are simulated)."""

from __future__ import annotations

from typing import Any, Literal

import httpx
from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from backend.shared.errors import VALIDATION, AppError, define
from backend.shared.tickets.slip_token import encode_slip

from ...db.models import Application, Certificate
from ...db.ticket_models import LocalTicket
from ...runtime import StationRuntime
from ...services.applications import pickup_token
from ..deps import DevicesDep, RuntimeDep

router = APIRouter(tags=["simulators"])

NOT_SIMULATED = define("sim.not_available", 404, "该设备不是模拟设备。",
                       "This device is not simulated.")
NOTHING_TO_SCAN = define("sim.nothing_to_scan", 409, "还没有可以扫描的单据，无法模拟扫码。",
                         "Nothing of that kind has been printed yet, so there is nothing to scan.")
SIM_FAILED = define("sim.failed", 502, "模拟设备没有响应。", "The simulator did not respond.")
# The simulator answered but refused what was asked (an unknown demo resident, a bad fault name):
# the caller's mistake, so a 4xx with the simulator's reason, not a 5xx.
SIM_REFUSED = define("sim.refused", 422, "模拟设备拒绝了这个请求，请检查填写的内容。",
                     "The simulator refused this request; check what was asked.")


class InsertCard(BaseModel):
    resident: str = Field(default="1", max_length=32)


@router.post("/api/sim/idcard/card")
def insert_card(body: InsertCard, devices: DevicesDep) -> dict[str, Any]:
    """Place a demo resident's card on the simulated reader — taking off first a card lying
    there, as a person would (a card left on the reader is never read for a new visit)."""
    _require_simulated(devices, "idcard")
    if devices.card_present:
        _call(devices, "DELETE", "/devices/idcard/card", None)
        devices.refresh("idcard")  # the reader sees it gone before the new one lands
    return _call(devices, "POST", "/devices/idcard/card", {"resident": body.resident})


class Scan(BaseModel):
    text: str | None = Field(default=None, max_length=4096)
    sample: Literal["latest_certificate", "latest_ticket_slip", "latest_pickup"] | None = None


@router.post("/api/sim/scanner/scan")
def scan(body: Scan, runtime: RuntimeDep) -> dict[str, Any]:
    """Scan a code on the simulated scanner: given text, or the newest certificate's QR token."""
    _require_simulated(runtime.devices, "scanner")
    text = _sample(runtime, body.sample) if body.sample else body.text
    if not text:
        raise AppError(VALIDATION, detail="give text or sample")
    return _call(runtime.devices, "POST", "/devices/scanner/scan", {"text": text})


def _sample(runtime: StationRuntime, sample: str) -> str:
    """The code a resident would hold: the newest certificate's QR, request slip or pickup slip."""
    now = runtime.clock.now()
    with runtime.db() as db:
        if sample == "latest_certificate":
            text = db.scalar(select(Certificate.token).order_by(Certificate.issued_at.desc()).limit(1))
        elif sample == "latest_ticket_slip":
            number = db.scalar(select(LocalTicket.ticket_no).where(LocalTicket.filed_here)
                               .order_by(LocalTicket.submitted_at.desc()).limit(1))
            text = encode_slip(number, signer=runtime.keys.signer, issued_at=now) if number else None
        else:
            newest = select(Application).order_by(Application.created_at.desc()).limit(1)
            application = db.scalars(newest).first()
            text = pickup_token(application, ctx=runtime.issuer, now=now) if application else None
    if not text:
        raise AppError(NOTHING_TO_SCAN, detail=sample)
    return text


@router.delete("/api/sim/idcard/card")
def remove_card(devices: DevicesDep) -> dict[str, Any]:
    """Take the card off the simulated reader."""
    _require_simulated(devices, "idcard")
    return _call(devices, "DELETE", "/devices/idcard/card", None)


def _require_simulated(devices: DevicesDep, device: str) -> None:
    """Refuse to drive a device that is real hardware (sim.not_simulated)."""
    slot = devices.idcard_slot if device == "idcard" else devices.scanner_slots.get(device)
    if slot is None or not slot.simulated:
        raise AppError(NOT_SIMULATED, detail=device)


def _call(devices: DevicesDep, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
    control = devices.sim_control_url()
    if control is None:
        raise AppError(SIM_FAILED, detail="no simulators registered")
    try:
        response = httpx.request(method, control + path, json=body, timeout=5)
    except httpx.HTTPError as err:
        raise AppError(SIM_FAILED, detail=str(err)) from err
    if 400 <= response.status_code < 500:
        raise AppError(SIM_REFUSED, detail=response.text[:200])
    if response.status_code >= 500:
        raise AppError(SIM_FAILED, detail=response.text[:200])
    result: dict[str, Any] = response.json()
    return result
