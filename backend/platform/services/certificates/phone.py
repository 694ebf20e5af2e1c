"""The resident's phone copy: check the station-signed link, then render the A4 PDF.

The PDF is made from what the station reported in ``certificate.issued`` (text facts and token)
with the same code the station uses (backend/shared/certificate_copy.py), so it says what the
paper says and carries the same QR. Links are checked against the issuing station's
request-signing key, registered at enrolment.
"""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy.orm import Session

from backend.shared.certificate_copy import certificate_page, issuer_name
from backend.shared.certificate_pdf import render_pdf
from backend.shared.errors import ERRORS, AppError
from backend.shared.phone_link import LinkProblem, PhoneLinkError, check_link

from ...db.area_models import OrgUnit
from ...db.certificate_models import CertificateRecord
from .. import stations
from .catalog import catalog
from .errors import LINK_EXPIRED, LINK_INVALID, LINK_NOT_YET, LINK_REVOKED

_PROBLEMS = {LinkProblem.EXPIRED: LINK_EXPIRED, LinkProblem.MALFORMED: LINK_INVALID,
             LinkProblem.TOO_LONG: LINK_INVALID, LinkProblem.BAD_SIGNATURE: LINK_INVALID}


def checked_certificate(session: Session, *, certificate_id: str, exp: str, sig: str,
                        now: datetime) -> CertificateRecord:
    """Return the certificate a valid, current link names; raise phone_link.* otherwise."""
    record = session.get(CertificateRecord, certificate_id[:36])
    key = stations.request_key(session, record.station_id) if record is not None else None
    try:
        check_link(key, certificate_id=certificate_id, exp=exp, sig=sig, now=now)
    except PhoneLinkError as err:
        if record is None and err.problem is not LinkProblem.MALFORMED:
            raise AppError(LINK_NOT_YET) from err
        raise AppError(_PROBLEMS[err.problem], detail=err.problem.value) from err
    assert record is not None
    if record.state == "revoked":
        raise AppError(LINK_REVOKED)
    if not record.token:  # registered before copies were kept
        raise AppError(LINK_NOT_YET)
    return record


def certificate_pdf(session: Session, record: CertificateRecord) -> bytes:
    """The A4 PDF copy of a registered certificate."""
    kind = catalog().get(record.type_code)
    if kind is None or kind.template is None:
        raise AppError(LINK_NOT_YET, detail=f"type {record.type_code} not in the catalog")
    community = session.get(OrgUnit, record.community_code)
    name = issuer_name(community.name_zh) if community is not None else ""
    return render_pdf(certificate_page(record, kind, issuer_name=name))


def error_page(error: AppError) -> str:
    """A small page a phone's browser shows for a refused link, in Chinese and English."""
    spec = ERRORS[error.code]
    return ("<!doctype html><html lang=zh><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<title>证明下载 Certificate download</title>"
            "<style>body{font-family:sans-serif;margin:2em;font-size:1.2em;line-height:1.6}"
            "p.en{color:#555}</style></head><body>"
            f"<h1>{html.escape(spec.zh)}</h1><p class=en>{html.escape(spec.en)}</p>"
            f"<p><small>{html.escape(error.code)}</small></p></body></html>")
