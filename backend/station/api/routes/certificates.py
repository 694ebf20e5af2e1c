"""Certificates: the types on offer, issuing, printing, reading one back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared import localtime
from backend.shared.catalog import CertificateType
from backend.shared.certificate_pdf import render_pdf
from backend.shared.errors import AppError

from ...db.models import Certificate
from ...runtime import StationRuntime
from ...services.issuing import IssueRequest, issue_certificate
from ...services.printing import NOT_FOUND, print_certificate
from ...services.receipts import certificate_page, certificate_text
from ...services.sessions import Identity
from ..deps import RuntimeDep
from ..residents import identified

router = APIRouter(tags=["certificates"])


class IssueBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)
    type_code: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    purpose: str = Field(pattern=r"^[a-z_]{2,32}$")
    idempotency_key: str = Field(pattern=r"^[A-Za-z0-9_-]{8,80}$")
    fields: dict[str, str] = Field(default_factory=dict, max_length=8)


class PrintBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)


@router.get("/api/certificate-types")
def certificate_types(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """List the types this community offers, forbidden ones with where to go instead."""
    return [_type_view(t) for t in runtime.catalog.for_area(runtime.community.code)]


@router.post("/api/certificates", status_code=201)
def issue(body: IssueBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Issue a certificate to the identified resident (idempotent by idempotency_key)."""
    identity = identified(runtime, body.session_id)
    request = IssueRequest(type_code=body.type_code, purpose=body.purpose,
                           idempotency_key=body.idempotency_key, resident_fields=body.fields)
    certificate = issue_certificate(runtime.db, ctx=runtime.issuer, catalog=runtime.catalog,
                                    identity=identity, request=request, now=runtime.clock.now())
    return certificate_view(runtime, certificate)


@router.post("/api/certificates/{certificate_id}/print")
async def print_(certificate_id: str, body: PrintBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Print the resident's certificate; on a printer fault it stays issued, to print later."""
    identity = identified(runtime, body.session_id)
    _owned(runtime, certificate_id, identity)
    certificate = await run_in_threadpool(
        print_certificate, runtime.db, runtime.devices, certificate_id=certificate_id,
        catalog=runtime.catalog, issuer_name=runtime.issuer_name, clock=runtime.clock,
        actor=f"resident:{identity.id_masked}")
    return certificate_view(runtime, certificate)


@router.get("/api/certificates/{certificate_id}/pdf")
def certificate_pdf(certificate_id: str, session_id: str, runtime: RuntimeDep) -> Response:
    """The A4 PDF copy of one of the identified resident's certificates (same QR as the receipt)."""
    certificate = _owned(runtime, certificate_id, identified(runtime, session_id))
    kind = runtime.catalog.get(certificate.type_code)
    assert kind is not None
    pdf = render_pdf(certificate_page(certificate, kind, issuer_name=runtime.issuer_name))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{certificate.serial}.pdf"'})


@router.get("/api/certificates/{certificate_id}")
def get_certificate(certificate_id: str, session_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Return one of the identified resident's certificates."""
    identity = identified(runtime, session_id)
    return certificate_view(runtime, _owned(runtime, certificate_id, identity))


def _owned(runtime: StationRuntime, certificate_id: str, identity: Identity) -> Certificate:
    with runtime.db() as db:
        certificate = db.get(Certificate, certificate_id)
    if certificate is None or certificate.holder_id_hash != identity.id_hash:
        raise AppError(NOT_FOUND)
    return certificate


def certificate_view(runtime: StationRuntime, certificate: Certificate) -> dict[str, Any]:
    kind = runtime.catalog.get(certificate.type_code)
    assert kind is not None
    return {
        "id": certificate.id, "serial": certificate.serial, "identifier": certificate.identifier,
        "type_code": certificate.type_code, "type_name": kind.name.model_dump(),
        "state": certificate.state, "holder_name": certificate.holder_name,
        "holder_id_masked": certificate.holder_id_masked, "purpose": certificate.purpose,
        # Local offset: the kiosk shows the date part as is (the district's date, not UTC's).
        "issued_at": localtime.iso_local(certificate.issued_at),
        "expires_at": localtime.iso_local(certificate.expires_at), "print_count": certificate.print_count,
        "text": {"zh": certificate_text(certificate, kind, "zh"),
                 "en": certificate_text(certificate, kind, "en")},
    }


def _type_view(kind: CertificateType) -> dict[str, Any]:
    view: dict[str, Any] = {"code": kind.code, "name": kind.name.model_dump(),
                            "forbidden": kind.forbidden, "approval": kind.approval,
                            "legal_basis": kind.legal_basis.model_dump()}
    if kind.forbidden and kind.alternative:
        view["alternative"] = kind.alternative.model_dump()
    else:
        view |= {"purposes": [p.model_dump() for p in kind.purposes],
                 "procedure": [p.model_dump() for p in kind.procedure],
                 "resident_fields": [f.model_dump() for f in kind.resident_fields],
                 "validity_days": kind.validity_days}
    return view


__all__ = ["NOT_FOUND", "router"]
