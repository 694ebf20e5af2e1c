"""The technician's maintenance API (the kiosk's maintenance screen uses it): component
self-tests, a job sent to the printer, the fault history, and the simulators' faults.

Every call needs the technician PIN in ``X-Technician-Pin`` (no default outside the demo)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import httpx
from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import AppError, define
from devices.printer.document import Barcode, Block, Cut, Document, Feed, KeyValue, Qr, Separator, Text, Title
from devices.printer.samples import sample_certificate
from devices.sim.faults import FAULTS

from ...hardware.manager import DeviceManager
from ...runtime import StationRuntime
from ..deps import BusDep, DevicesDep, RuntimeDep, get_runtime
from ..printing import print_document
from .sim import NOT_SIMULATED, SIM_FAILED

UNKNOWN_COMPONENT = define("maintenance.unknown_component", 404, "没有这个设备。", "There is no such device.")


def require_technician(runtime: Annotated[StationRuntime, Depends(get_runtime)],
                       x_technician_pin: Annotated[str, Header()] = "") -> None:
    runtime.pin_guard.check(x_technician_pin, runtime.settings.effective_technician_pin)


router = APIRouter(tags=["maintenance"], dependencies=[Depends(require_technician)])


class BlockIn(BaseModel):
    kind: Literal["title", "text", "kv", "separator", "qr", "barcode", "feed", "cut"]
    text: str = Field(default="", max_length=2000)
    value: str = Field(default="", max_length=500)
    align: Literal["left", "center", "right"] = "left"
    bold: bool = False


class JobIn(BaseModel):
    blocks: list[BlockIn] = Field(min_length=1, max_length=100)


class FaultIn(BaseModel):
    fault: str = Field(max_length=32)
    params: dict[str, Any] = Field(default_factory=dict)


@router.post("/api/maintenance/components/{component_id}/selftest")
async def selftest(component_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Test one component: a sample print, a card read, or a status check; the outcome and status."""
    if component_id not in runtime.devices.components:
        raise AppError(UNKNOWN_COMPONENT, detail=component_id)
    outcome: dict[str, Any] = {"component": component_id, "ok": True}
    try:
        if component_id == "printer":
            await print_document(runtime, sample_certificate(), kind="selftest")
        else:
            status = await run_in_threadpool(runtime.devices.refresh, component_id)
            outcome["ok"] = status.usable
    except AppError as err:
        outcome |= {"ok": False, "error": err.as_dict()}
    outcome["status"] = runtime.devices.components[component_id].snapshot()["status"]
    return outcome


@router.post("/api/maintenance/printer/jobs")
async def send_job(job: JobIn, runtime: RuntimeDep) -> dict[str, Any]:
    """Print a technician's document (blocks of title, text, key-value, QR, barcode, feed, cut)."""
    try:
        document = Document(tuple(_block(b) for b in job.blocks))
    except ValueError as err:
        raise AppError("request.invalid", detail=str(err)) from err
    job_id = await print_document(runtime, document, kind="technician")
    return {"job_id": job_id, "status": runtime.devices.components["printer"].snapshot()["status"]}


@router.get("/api/maintenance/history")
def history(bus: BusDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
    """Recent device and service events, newest last (warnings and alarms kept in the bounded history)."""
    return [e.as_dict() for e in bus.history(min(max(limit, 1), 500))
            if e.type.startswith(("component.", "card.", "code.unreadable"))]


@router.get("/api/maintenance/faults")
def fault_list() -> dict[str, Any]:
    """The one list of faults a simulator can be given (the CLI and the tests use the same)."""
    return {device: [{"name": f.name, "en": f.en, "zh": f.zh, "params": f.params} for f in faults]
            for device, faults in FAULTS.items()}


@router.post("/api/maintenance/sim/{device}/faults")
def inject_fault(device: str, body: FaultIn, devices: DevicesDep) -> dict[str, Any]:
    """Give a simulated device a fault (only when it is simulated)."""
    return _sim(devices, "POST", f"/devices/{device}/faults", body.model_dump())


@router.delete("/api/maintenance/sim/{device}/faults")
def clear_faults(device: str, devices: DevicesDep) -> dict[str, Any]:
    """Clear a simulated device's faults."""
    return _sim(devices, "DELETE", f"/devices/{device}/faults", None)


def _sim(devices: DeviceManager, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
    control = devices.sim_control_url()
    if control is None:
        raise AppError(NOT_SIMULATED)
    try:
        response = httpx.request(method, control + path, json=body, timeout=5)
    except httpx.HTTPError as err:
        raise AppError(SIM_FAILED, detail=str(err)) from err
    if response.status_code >= 400:
        raise AppError("request.invalid", detail=response.json().get("error", response.text)[:300])
    result: dict[str, Any] = response.json()
    return result


def _block(block: BlockIn) -> Block:
    builders: dict[str, Any] = {
        "title": lambda: Title(block.text),
        "text": lambda: Text(block.text, align=block.align, bold=block.bold),
        "kv": lambda: KeyValue(block.text, block.value), "separator": lambda: Separator(),
        "qr": lambda: Qr(block.text), "barcode": lambda: Barcode(block.text), "feed": lambda: Feed(1),
        "cut": lambda: Cut(),
    }
    built: Block = builders[block.kind]()
    return built

