"""The resident's phone copy: the link behind the kiosk's second QR downloads the A4 PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from backend.shared.errors import AppError

from ...services.certificates import phone
from ..deps import RuntimeDep

router = APIRouter(tags=["certificates"])


@router.get("/c/{certificate_id}", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def download(certificate_id: str, request: Request, runtime: RuntimeDep, exp: str = "",
             sig: str = "") -> Response:
    """The PDF copy, if the station-signed link is genuine and current (about 10 minutes).

    A refused link answers with the error as a small page for a phone's browser, or as JSON for
    a program (by the Accept header): ``phone_link.invalid`` 403, ``phone_link.expired`` 410,
    ``phone_link.revoked`` 410, ``phone_link.not_available`` 404.
    """
    try:
        with runtime.db() as session:
            record = phone.checked_certificate(session, certificate_id=certificate_id, exp=exp, sig=sig,
                                               now=runtime.clock.now())
            pdf = phone.certificate_pdf(session, record)
    except AppError as err:
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(phone.error_page(err), status_code=err.status)
        return JSONResponse(err.as_dict(), status_code=err.status)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{record.serial}.pdf"',
        "Cache-Control": "private, no-store"})
