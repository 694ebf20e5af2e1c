"""Demo only: a resident's "phone" gets a resident QR code (居民码) from the platform.

In a real deployment the national CTID service issues these codes on the resident's own phone
and the station plugs it in behind its ``IdentityProvider`` seam; here the platform stands in.
These endpoints exist only when ``KIOSK_PLATFORM_ENVIRONMENT=demo`` (elsewhere: 404
``demo.only``) and list only the demo register's synthetic residents.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

import qrcode
from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.image.svg import SvgPathImage
from sqlalchemy import select

from backend.shared.errors import AppError

from ...db.register_models import Resident
from ...runtime import PlatformRuntime
from ...services.certificates.errors import DEMO_ONLY, RESIDENT_NOT_FOUND
from ...services.certificates.identity import identity_keys, resident_qr
from ...settings import Environment
from ..deps import RuntimeDep

router = APIRouter(tags=["demo"])


class QrBody(BaseModel):
    resident_id: int


@router.get("/api/demo/residents")
def residents(runtime: RuntimeDep, community_code: str = Query("", max_length=32)) -> list[dict[str, Any]]:
    """The register's residents a demo phone can be (masked numbers only)."""
    return _residents(runtime, community_code)


def _residents(runtime: PlatformRuntime, community_code: str) -> list[dict[str, Any]]:
    _demo_only(runtime)
    with runtime.db() as session:
        query = select(Resident).order_by(Resident.id)
        if community_code:
            query = query.where(Resident.community_code == community_code)
        return [{"id": r.id, "name": r.name, "id_masked": r.id_masked, "community_code": r.community_code,
                 "status": r.status} for r in session.scalars(query)]


@router.post("/api/demo/resident-qr", status_code=201)
def issue_resident_qr(body: QrBody, runtime: RuntimeDep) -> dict[str, Any]:
    """A fresh one-time resident QR code (about a minute) for a resident of the register."""
    return _issue(runtime, body.resident_id)


@router.get("/demo/phone", response_class=HTMLResponse)
def phone_page(runtime: RuntimeDep,
               resident: Annotated[int | None, Query(ge=1, le=1000)] = None) -> HTMLResponse:
    """A page playing the resident's phone: pick a resident, show a fresh code (it refreshes)."""
    if resident is None:
        people = _residents(runtime, "")
        items = "".join(f"<li><a href='/demo/phone?resident={p['id']}'>{html.escape(p['name'])} "
                        f"{html.escape(p['id_masked'])}</a></li>" for p in people)
        return HTMLResponse(_page("居民码（演示）Resident code (demo)", f"<ul>{items}</ul>"))
    code = _issue(runtime, resident)
    image = qrcode.make(code["token"], image_factory=SvgPathImage, error_correction=ERROR_CORRECT_Q)
    body = (f"<p>{html.escape(code['name'])} {html.escape(code['id_masked'])}</p>"
            f"<div style='width:70vmin'>{image.to_string(encoding='unicode')}</div>"
            "<p>一分钟内有效，只能使用一次 · valid for a minute, once</p>"
            f"<p><small style='word-break:break-all'>{html.escape(code['token'])}</small></p>")
    return HTMLResponse(_page("居民码 Resident code", body, refresh=50))


def _issue(runtime: PlatformRuntime, resident_id: int) -> dict[str, Any]:
    _demo_only(runtime)
    with runtime.db() as session:
        resident = session.get(Resident, resident_id)
        if resident is None:
            raise AppError(RESIDENT_NOT_FOUND)
        return resident_qr(identity_keys(runtime.settings.keys_dir), resident,
                           issuer=f"platform:{runtime.settings.district_code}", now=runtime.clock.now())


def _demo_only(runtime: PlatformRuntime) -> None:
    if runtime.settings.environment is not Environment.DEMO:
        raise AppError(DEMO_ONLY)


def _page(title: str, body: str, refresh: int = 0) -> str:
    meta = f"<meta http-equiv=refresh content={refresh}>" if refresh else ""
    return (f"<!doctype html><html lang=zh><head><meta charset=utf-8>{meta}"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:1.5em}}"
            f"</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>")
