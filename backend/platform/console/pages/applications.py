"""Applications that need a staff member's decision, and the district's certificate registry
(search by serial or masked holder, revoke with a reason). Both are the staff API's own route
functions: its role and area checks, its audit entries."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from backend.shared.errors import VALIDATION, AppError

from ...api.deps import RuntimeDep
from ...api.routes import applications as applications_api
from ...api.routes import certificates as certificates_api
from ...db.certificate_models import ApplicationRecord, CertificateRecord, Revocation
from ...runtime import PlatformRuntime
from ...services import fleet_service
from ...services.certificates.catalog import catalog as certificate_catalog
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


@router.get("/applications", response_class=HTMLResponse)
def applications_page(request: Request, user: UserDep, runtime: RuntimeDep,
                      show: str = Query("applied", pattern=r"^(applied|all)$")) -> HTMLResponse:
    """Applications of the user's area waiting for a decision (or all of them), updated live."""
    return render(request, "applications.html", user=user, section="applications",
                  applications=_applications(user, runtime, show), show=show, types=_type_names())


@router.get("/applications/cards", response_class=HTMLResponse)
def application_cards(request: Request, user: UserDep, runtime: RuntimeDep,
                      show: str = Query("applied", pattern=r"^(applied|all)$")) -> HTMLResponse:
    """The list alone, for live updates."""
    return render(request, "_applications.html", user=user, applications=_applications(user, runtime, show),
                  show=show, types=_type_names())


def _applications(user: ConsoleUser, runtime: PlatformRuntime, show: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = applications_api.list_applications(
        user.visible, runtime, state="all" if show == "all" else "applied", limit=200)
    return found[::-1] if show == "all" else found  # all: the newest first


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application_page(application_id: str, request: Request, user: UserDep,
                     runtime: RuntimeDep) -> HTMLResponse:
    """One application with what the resident entered (the staff API audits the viewing)."""
    application = applications_api.get_application(application_id, user.visible, runtime)
    return render(request, "application.html", user=user, section="applications", a=application,
                  types=_type_names(), duplicates=_likely_duplicates(runtime, application))


def _likely_duplicates(runtime: PlatformRuntime,
                       application: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Other applications and valid certificates of the same kind for the same resident (same
    community, masked ID number and name): approving again would issue a second one."""
    same = {"community_code": application["community_code"], "type_code": application["type_code"],
            "holder_id_masked": application["holder_id_masked"]}
    with runtime.db() as session:
        others = [a for a in session.scalars(select(ApplicationRecord).filter_by(**same))
                  if a.id != application["id"] and a.holder_name == application["holder_name"]
                  and a.state != "rejected"]
        issued = [c for c in session.scalars(select(CertificateRecord).filter_by(**same))
                  if c.holder_name == application["holder_name"] and c.state not in ("revoked", "expired")]
        return {"applications": [{"id": a.id, "state": a.state, "submitted_at": a.submitted_at.isoformat()}
                                 for a in others],
                "certificates": [{"serial": c.serial, "state": c.state, "issued_at": c.issued_at.isoformat()}
                                 for c in issued]}


@router.post("/applications/{application_id}/decision")
def decide(application_id: str, user: UserDep, runtime: RuntimeDep,
           decision: Annotated[str, Form(pattern=r"^(approve|reject)$")],
           reason: Annotated[str, Form(max_length=255)] = "") -> RedirectResponse:
    """Approve, or reject with a reason; the station learns it at its next sync."""
    approve = decision == "approve"
    try:
        body = applications_api.DecisionBody(approve=approve, reason=reason.strip())
        applications_api.decide(application_id, body, user.visible, runtime)
    except AppError as err:
        if err.status == 404:
            raise
        return back(f"/console/applications/{application_id}", error=err)
    done = "done.approved" if approve else "done.rejected"
    return back(f"/console/applications/{application_id}", done=done)


@router.get("/certificates", response_class=HTMLResponse)
def registry_page(request: Request, user: UserDep, runtime: RuntimeDep,
                  q: str = Query("", max_length=128), type_code: str = Query("", max_length=32),
                  state: str = Query("", max_length=16),
                  station_id: str = Query("", max_length=64)) -> HTMLResponse:
    """Search the registry by serial, identifier, masked ID number or name (never a full number),
    and filter by type, state and station; the query string reproduces the view."""
    cf = {"q": q.strip(), "type_code": type_code.strip(), "state": state.strip(),
          "station_id": station_id.strip()}
    found = certificates_api.search(user.visible, runtime, q=cf["q"], serial="", name="", id_masked="",
                                    type_code=cf["type_code"], state=cf["state"], station_id=cf["station_id"],
                                    limit=100)
    with runtime.db() as session:
        stations = fleet_service.visible_station_ids(session, user.visible.communities)
    return render(request, "certificates.html", user=user, section="registry", certificates=found, q=q,
                  types=_type_names(), cf=cf, stations=stations,
                  cf_query=urlencode({k: v for k, v in cf.items() if v}),
                  revocations=_revocations(runtime, found))


def _revocations(runtime: PlatformRuntime, found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Why, by whom and when each revoked certificate in the list was revoked, by certificate id."""
    revoked = {(c["station_id"], c["serial"]): c["id"] for c in found if c["state"] == "revoked"}
    if not revoked:
        return {}
    with runtime.db() as session:
        rows = session.scalars(select(Revocation).where(Revocation.serial.in_([s for _, s in revoked])))
        return {revoked[(r.issuer, r.serial)]: {"reason": r.reason, "by": r.revoked_by,
                                                "at": r.revoked_at.isoformat()}
                for r in rows if (r.issuer, r.serial) in revoked}


@router.post("/certificates/{certificate_id}/revoke")
def revoke(certificate_id: str, user: UserDep, runtime: RuntimeDep,
           reason: Annotated[str, Form(max_length=255)], q: Annotated[str, Form(max_length=128)] = "",
           ) -> RedirectResponse:
    """Revoke a certificate with a reason (administrators); verifiers everywhere then refuse it."""
    here = "/console/certificates?q=" + q
    try:
        body = _revoke_body(reason)
        certificates_api.revoke(certificate_id, body, user.visible, runtime)
    except AppError as err:
        if err.status == 404:
            raise
        return back(here, error=err)
    return back(here, done="done.revoked")


def _revoke_body(reason: str) -> certificates_api.RevokeBody:
    try:
        return certificates_api.RevokeBody(reason=reason.strip())
    except ValidationError as err:
        raise AppError(VALIDATION, detail="reason") from err


@lru_cache(maxsize=1)
def _type_names() -> dict[str, dict[str, Any]]:
    """Each certificate type's name, purposes and resident fields in words, by type code."""
    catalog = certificate_catalog()
    return {kind.code: {"zh": kind.name.zh, "en": kind.name.en,
                        "purposes": {p.code: {"zh": p.zh, "en": p.en} for p in kind.purposes},
                        "fields": {f.name: {"zh": f.zh, "en": f.en} for f in kind.resident_fields}}
            for kind in catalog.certificates}
