"""Applications for certificates that need a staff member's approval, and collecting them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import AppError

from ...db.models import Application
from ...runtime import StationRuntime
from ...services.applications import (
    APPLICATION_NOT_FOUND,
    Decision,
    collect,
    decide_application,
    pending,
    pickup_token,
    submit_application,
)
from ...services.issuing import IssueRequest
from ...services.printing import print_certificate
from ...services.receipts import application_slip
from ..caller import CALLER
from ..deps import DbDep, RuntimeDep, StaffDep
from ..printing import print_document
from ..residents import identified
from .certificates import IssueBody, PrintBody, certificate_view

router = APIRouter(tags=["applications"])


class PickupBody(BaseModel):
    token: str = Field(min_length=8, max_length=2048)


class DecisionBody(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=255)
    # Ignored: who decides is the identity of the staff token, never a name the caller declares.
    staff: str = Field("", max_length=64, description="ignored; the decision records the token's identity")


@router.post("/api/applications", status_code=201)
def apply(body: IssueBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Apply for a certificate that needs approval (idempotent by idempotency_key)."""
    identity = identified(runtime, body.session_id)
    request = IssueRequest(type_code=body.type_code, purpose=body.purpose,
                           idempotency_key=body.idempotency_key, resident_fields=body.fields)
    application = submit_application(runtime.db, ctx=runtime.issuer, catalog=runtime.catalog,
                                     identity=identity, request=request, now=runtime.clock.now())
    return application_view(application)


@router.post("/api/applications/{application_id}/slip")
async def print_application_slip(application_id: str, body: PrintBody,
                                 runtime: RuntimeDep) -> dict[str, Any]:
    """Print the application slip with its pickup QR."""
    identity = identified(runtime, body.session_id)
    application = _owned(runtime, application_id, identity.id_hash)
    kind = runtime.catalog.get(application.type_code)
    assert kind is not None
    token = pickup_token(application, ctx=runtime.issuer, now=runtime.clock.now())
    document = application_slip(application, kind, token=token)
    await print_document(runtime, document, kind="application_slip")
    return application_view(application)


@router.post("/api/applications/pickup")
def pick_up(body: PickupBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Read a scanned pickup QR: the approved certificate to print, or why not yet."""
    certificate = collect(runtime.db, token=body.token, keys=runtime.trust(), now=runtime.clock.now())
    session = runtime.sessions.current()
    mine = session is not None and session.visible_to(CALLER.get())
    return {"certificate": certificate_view(runtime, certificate),
            "session_id": session.id if mine and session else None}


@router.post("/api/applications/pickup/print")
async def print_collected(body: PickupBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Print the certificate an approved application's slip collects."""
    certificate = collect(runtime.db, token=body.token, keys=runtime.trust(), now=runtime.clock.now())
    printed = await run_in_threadpool(
        print_certificate, runtime.db, runtime.devices, certificate_id=certificate.id,
        catalog=runtime.catalog, issuer_name=runtime.issuer_name, clock=runtime.clock,
        actor="resident:pickup")
    return certificate_view(runtime, printed)


@router.get("/api/staff/applications")
def list_pending(db: DbDep, _staff: StaffDep) -> list[dict[str, Any]]:
    """Applications waiting for a decision (staff only)."""
    return [application_view(a) for a in pending(db)]


@router.post("/api/staff/applications/{application_id}/decision")
def decide(application_id: str, body: DecisionBody, runtime: RuntimeDep, staff: StaffDep) -> dict[str, Any]:
    """Approve (the certificate is issued at once) or reject with a reason (staff only)."""
    application = decide_application(runtime.db, ctx=runtime.issuer, catalog=runtime.catalog,
                                     application_id=application_id,
                                     decision=Decision(body.approve, staff, body.reason),
                                     now=runtime.clock.now())
    return application_view(application)


def _owned(runtime: StationRuntime, application_id: str, id_hash: str) -> Application:
    with runtime.db() as db:
        application = db.get(Application, application_id)
    if application is None or application.holder_id_hash != id_hash:
        raise AppError(APPLICATION_NOT_FOUND)
    return application


def application_view(application: Application) -> dict[str, Any]:
    return {"id": application.id, "type_code": application.type_code, "state": application.state,
            "holder_name": application.holder_name, "holder_id_masked": application.holder_id_masked,
            "purpose": application.purpose, "pickup_code": application.pickup_code,
            "reason": application.decision_reason, "certificate_id": application.certificate_id,
            "decided_by": application.decided_by, "created_at": application.created_at.isoformat()}
